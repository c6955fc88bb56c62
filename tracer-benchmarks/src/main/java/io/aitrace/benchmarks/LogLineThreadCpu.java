package io.aitrace.benchmarks;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.opentelemetry.context.Scope;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Benchmark 3 (a log line with trace IDs) in thread CPU time instead of wall-clock time, for machines too busy
 * for JMH's figures: each variant of {@link LogLineBenchmark} logs the same lines on a thread of its own, inside a
 * span of its own kind, one variant after the other, and the CPU that thread used is divided by the lines. The
 * first round warms up. Run with
 * {@code java -cp tracer-benchmarks/target/benchmarks.jar io.aitrace.benchmarks.LogLineThreadCpu [rounds] [lines]}.
 */
public final class LogLineThreadCpu {
    private LogLineThreadCpu() {
    }

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LogLineBenchmark.Loggers loggers = new LogLineBenchmark.Loggers();
        loggers.start();
        try {
            Map<String, Runnable> variants = new LinkedHashMap<>();
            variants.put("plain Logback, no IDs", () -> log(loggers.plainLogstash, lines));
            variants.put("plain Logback, IDs already in the MDC", () -> {
                LogLineBenchmark.IdsInMdc ids = new LogLineBenchmark.IdsInMdc();
                ids.put();
                try {
                    log(loggers.plainLogstash, lines);
                } finally {
                    ids.clear();
                }
            });
            variants.put("OTel logback-mdc + logstash", () -> {
                io.opentelemetry.api.trace.Span span = loggers.otel.get("bench").spanBuilder("weather_agent")
                        .startSpan();
                try (Scope ignored = span.makeCurrent()) {
                    log(loggers.otelLogstash, lines);
                } finally {
                    span.end();
                }
            });
            variants.put("aitrace TraceContextAppender + logstash", () -> {
                try (Span ignored = loggers.runtime.tracer("bench").span("weather_agent", NodeType.AGENT)) {
                    log(loggers.aitraceLogstash, lines);
                }
            });
            variants.put("aitrace TraceContextAppender + TraceJsonEncoder", () -> {
                try (Span ignored = loggers.runtime.tracer("bench").span("weather_agent", NodeType.AGENT)) {
                    log(loggers.aitraceJson, lines);
                }
            });
            for (int round = 0; round <= rounds; round++) {
                Map<String, Long> cpu = new LinkedHashMap<>();
                Map<String, Long> bytes = new LinkedHashMap<>();
                for (Map.Entry<String, Runnable> variant : variants.entrySet()) {
                    long[] used = new long[2];
                    Thread thread = new Thread(() -> {
                        long id = Thread.currentThread().getId();
                        long allocated = threads.getThreadAllocatedBytes(id);
                        long start = threads.getCurrentThreadCpuTime();
                        variant.getValue().run();
                        used[0] = threads.getCurrentThreadCpuTime() - start;
                        used[1] = threads.getThreadAllocatedBytes(id) - allocated;
                    }, "log-" + round);
                    thread.start();
                    thread.join();
                    cpu.put(variant.getKey(), used[0] / lines);
                    bytes.put(variant.getKey(), used[1] / lines);
                }
                if (round == 0) {
                    continue; // warm-up
                }
                long otel = cpu.get("OTel logback-mdc + logstash");
                StringBuilder line = new StringBuilder("round " + round + ":");
                cpu.forEach((name, ns) -> line.append(String.format("%n  %-50s %5d ns/line %5d B/line  %.2fx OTel",
                        name, ns, bytes.get(name), (double) ns / otel)));
                System.out.println(line);
            }
        } finally {
            loggers.stop();
        }
    }

    private static void log(Logger logger, int lines) {
        for (int i = 0; i < lines; i++) {
            logger.info("calling model {}", Workload.MODEL);
        }
    }
}
