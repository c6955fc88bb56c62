package io.aitrace.benchmarks;

import io.aitrace.Tracer;
import io.aitrace.core.TracerRuntime;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark 2 (spans to a JSON-lines file) measured in thread CPU time, for machines too busy for JMH's figures:
 * per span, the CPU of the application thread and of aitrace's writer, and the CPU of writing the same bytes raw
 * to a 64 KB buffered file. On two free cores the application thread and the writer run side by side, so the
 * larger of the two bounds the lossless rate. Each round is {@code invocations} times the benchmark's invocation
 * (100 traces of 10 spans, then {@code flush()}). Run with {@code java -cp tracer-benchmarks/target/benchmarks.jar
 * io.aitrace.benchmarks.SpanToDiskThreadCpu [rounds [invocations]]}.
 */
public final class SpanToDiskThreadCpu {
    private SpanToDiskThreadCpu() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int invocations = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long spans = (long) invocations * SpanToDiskBenchmark.SPANS;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path dir = Workload.tempDir("disk-cpu");
        Path file = dir.resolve("aitrace.jsonl");
        try (TracerRuntime runtime = SpanToDiskBenchmark.open(file)) {
            Tracer tracer = runtime.tracer("bench");
            for (int round = 1; round <= rounds; round++) {
                long writerBefore = ThreadCpuComparison.writerCpu(threads);
                long writerAllocatedBefore = ThreadCpuComparison.writerAllocated(threads);
                long droppedBefore = runtime.droppedRecords();
                long wallStart = System.nanoTime();
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < invocations; i++) {
                    for (int t = 0; t < SpanToDiskBenchmark.TRACES; t++) {
                        Workload.aitraceTrace(tracer, SpanToDiskBenchmark.CHILDREN);
                    }
                    tracer.flush();
                }
                long app = threads.getCurrentThreadCpuTime() - start;
                long wall = System.nanoTime() - wallStart;
                long writer = ThreadCpuComparison.writerCpu(threads) - writerBefore;
                long writerAllocated = ThreadCpuComparison.writerAllocated(threads) - writerAllocatedBefore;
                long raw = rawWriteCpu(threads, file, dir.resolve("raw.jsonl"));
                long bound = Math.max(app, writer) / spans;
                System.out.printf("round %d: application thread %d ns/span, writer %d ns/span and %d B allocated/span (bound on 2 free cores:"
                        + " %,d spans/s); wall clock %,d spans/s; raw write of the same bytes %d ns/span (%.1fx);"
                        + " dropped in the round %d%n",
                        round, app / spans, writer / spans, writerAllocated / spans, bound == 0 ? 0 : 1_000_000_000L / bound,
                        spans * 1_000_000_000L / wall, raw / spans, raw == 0 ? 0 : (double) Math.max(app, writer) / raw,
                        runtime.droppedRecords() - droppedBefore);
                Files.write(file, new byte[0]); // start the file over (the target appends)
            }
        } finally {
            Workload.delete(dir);
        }
    }

    /** CPU time of writing the file's lines to another file, line by line, through a 64 KB buffer. */
    private static long rawWriteCpu(ThreadMXBean threads, Path from, Path to) throws IOException {
        List<String> text = Files.readAllLines(from);
        byte[][] lines = new byte[text.size()][];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = (text.get(i) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        long start = threads.getCurrentThreadCpuTime();
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(to.toFile()), 64 * 1024)) {
            for (byte[] line : lines) {
                out.write(line);
            }
        }
        return threads.getCurrentThreadCpuTime() - start;
    }
}
