package io.aitrace.benchmarks;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.opentelemetry.context.Scope;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Benchmark 3 (a log line with trace IDs) in thread CPU time instead of wall-clock time, for machines too busy
 * for JMH's figures: each variant of {@link LogLineBenchmark} logs the same lines on a thread of its own, inside a
 * span of its own kind, one variant after the other, and the CPU that thread used is divided by the lines. The
 * first round warms up; each later round starts at the next variant, so no variant always runs first or last. The
 * whole line is compared with OpenTelemetry's logback-mdc appender and logstash-logback-encoder; the stamping
 * alone (each appender in front of {@link LogLineBenchmark.MdcReader}) with that appender in front of the same
 * reader. The last lines give each variant's median over the rounds and the median of its per-round ratios. Run
 * with {@code java -cp tracer-benchmarks/target/benchmarks.jar io.aitrace.benchmarks.LogLineThreadCpu [rounds]
 * [lines]}.
 */
public final class LogLineThreadCpu {
    private static final String OTEL_LINE = "OTel logback-mdc + logstash";
    private static final String OTEL_STAMP = "OTel logback-mdc, stamping only";

    private LogLineThreadCpu() {
    }

    /** A variant, and the variant its CPU is divided by. */
    private record Variant(String name, String baseline, Runnable body) {
    }

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LogLineBenchmark.Loggers loggers = new LogLineBenchmark.Loggers();
        loggers.start();
        try {
            List<Variant> variants = List.of(
                    new Variant("plain Logback, no IDs", OTEL_LINE, () -> log(loggers.plainLogstash, lines)),
                    new Variant("plain Logback, IDs already in the MDC", OTEL_LINE,
                            () -> withIdsInMdc(loggers.plainLogstash, lines)),
                    new Variant(OTEL_LINE, OTEL_LINE, () -> inOtelSpan(loggers, loggers.otelLogstash, lines)),
                    new Variant("aitrace TraceContextAppender + logstash", OTEL_LINE,
                            () -> inAitraceSpan(loggers, loggers.aitraceLogstash, lines)),
                    new Variant("aitrace TraceContextAppender + TraceJsonEncoder", OTEL_LINE,
                            () -> inAitraceSpan(loggers, loggers.aitraceJson, lines)),
                    new Variant(OTEL_STAMP, OTEL_STAMP, () -> inOtelSpan(loggers, loggers.otelStampOnly, lines)),
                    new Variant("aitrace TraceContextAppender, stamping only", OTEL_STAMP,
                            () -> inAitraceSpan(loggers, loggers.aitraceStampOnly, lines)),
                    new Variant("no appender, IDs already in the MDC, reading only", OTEL_STAMP,
                            () -> withIdsInMdc(loggers.plainStampOnly, lines)));
            Map<String, List<Long>> cpuPerRound = new LinkedHashMap<>();
            Map<String, List<Double>> ratioPerRound = new LinkedHashMap<>();
            for (int round = 0; round <= rounds; round++) {
                Map<String, Long> cpu = new LinkedHashMap<>();
                Map<String, Long> bytes = new LinkedHashMap<>();
                for (int i = 0; i < variants.size(); i++) {
                    Variant variant = variants.get((i + round) % variants.size());
                    long[] used = onOwnThread(threads, variant.body(), "log-" + round);
                    cpu.put(variant.name(), used[0] / lines);
                    bytes.put(variant.name(), used[1] / lines);
                }
                if (round == 0) {
                    continue; // warm-up
                }
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (Variant variant : variants) {
                    long ns = cpu.get(variant.name());
                    double ratio = (double) ns / cpu.get(variant.baseline());
                    cpuPerRound.computeIfAbsent(variant.name(), k -> new ArrayList<>()).add(ns);
                    ratioPerRound.computeIfAbsent(variant.name(), k -> new ArrayList<>()).add(ratio);
                    line.append(String.format("%n  %-50s %5d ns/line %5d B/line  %.2fx %s", variant.name(), ns,
                            bytes.get(variant.name()), ratio, variant.baseline()));
                }
                System.out.println(line);
            }
            StringBuilder summary = new StringBuilder("median of " + rounds + " rounds:");
            for (Variant variant : variants) {
                summary.append(String.format("%n  %-50s %5d ns/line  %.2fx %s (rounds %.2f-%.2fx)", variant.name(),
                        medianNs(cpuPerRound.get(variant.name())), medianRatio(ratioPerRound.get(variant.name())),
                        variant.baseline(), min(ratioPerRound.get(variant.name())),
                        max(ratioPerRound.get(variant.name()))));
            }
            System.out.println(summary);
        } finally {
            loggers.stop();
        }
    }

    /** Runs {@code body} on a new thread: the CPU nanoseconds and bytes allocated by that thread. */
    private static long[] onOwnThread(com.sun.management.ThreadMXBean threads, Runnable body, String name)
            throws InterruptedException {
        long[] used = new long[2];
        Thread thread = new Thread(() -> {
            long id = Thread.currentThread().getId();
            long allocated = threads.getThreadAllocatedBytes(id);
            long start = threads.getCurrentThreadCpuTime();
            body.run();
            used[0] = threads.getCurrentThreadCpuTime() - start;
            used[1] = threads.getThreadAllocatedBytes(id) - allocated;
        }, name);
        thread.start();
        thread.join();
        return used;
    }

    private static void inOtelSpan(LogLineBenchmark.Loggers loggers, Logger logger, int lines) {
        io.opentelemetry.api.trace.Span span = loggers.otel.get("bench").spanBuilder("weather_agent").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            log(logger, lines);
        } finally {
            span.end();
        }
    }

    private static void inAitraceSpan(LogLineBenchmark.Loggers loggers, Logger logger, int lines) {
        try (Span ignored = loggers.runtime.tracer("bench").span("weather_agent", NodeType.AGENT)) {
            log(logger, lines);
        }
    }

    private static void withIdsInMdc(Logger logger, int lines) {
        LogLineBenchmark.IdsInMdc ids = new LogLineBenchmark.IdsInMdc();
        ids.put();
        try {
            log(logger, lines);
        } finally {
            ids.clear();
        }
    }

    private static void log(Logger logger, int lines) {
        for (int i = 0; i < lines; i++) {
            logger.info("calling model {}", Workload.MODEL);
        }
    }

    private static long medianNs(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double medianRatio(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
