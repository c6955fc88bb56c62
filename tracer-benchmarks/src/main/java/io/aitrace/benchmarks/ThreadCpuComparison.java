package io.aitrace.benchmarks;

import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Benchmark 1 measured in thread CPU time instead of wall-clock time, for machines too busy for JMH's figures:
 * the application thread's CPU per span for aitrace and for the raw OpenTelemetry SDK, and the CPU aitrace's
 * writer thread spends per span and per record (a span that ends before anything needed its start record is one record),
 * and the records dropped in each round: the writer's queue has the default capacity unless a second argument
 * gives another, so a round with drops shows a writer that could not keep up with the tight loop.
 * Run with {@code java -cp tracer-benchmarks/target/benchmarks.jar
 * io.aitrace.benchmarks.ThreadCpuComparison [rounds [capacity]]}.
 */
public final class ThreadCpuComparison {
    private static final int SPANS = 200_000;

    private ThreadCpuComparison() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        TracerConfig.Builder config = TracerConfig.builder().target("none").serviceName("bench")
                .addTarget(new DiscardingTarget());
        if (args.length > 1) {
            config.queueCapacity(Integer.parseInt(args[1]));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SdkTracerProvider otel = SpanOverheadBenchmark.sdk(SimpleSpanProcessor.create(new DiscardingSpanExporter()));
        io.opentelemetry.api.trace.Tracer otelTracer = otel.get("bench");
        try (TracerRuntime runtime = TracerRuntime.create(config.build())) {
            System.out.printf("writer queue capacity %d records%n", runtime.config().queueCapacity());
            Tracer tracer = runtime.tracer("bench");
            for (int round = 1; round <= rounds; round++) {
                long writerBefore = writerCpu(threads);
                long writerAllocatedBefore = writerAllocated(threads);
                long writtenBefore = runtime.writtenRecords();
                long droppedBefore = runtime.droppedRecords();
                long wallStart = System.nanoTime();
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < SPANS; i++) {
                    Workload.aitraceSpan(tracer);
                }
                long aitrace = threads.getCurrentThreadCpuTime() - start;
                long wall = System.nanoTime() - wallStart;
                runtime.flush();
                long writer = writerCpu(threads) - writerBefore;
                long writerAllocated = writerAllocated(threads) - writerAllocatedBefore;
                long written = runtime.writtenRecords() - writtenBefore;
                start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < SPANS; i++) {
                    Workload.otelSpan(otelTracer);
                }
                long sdk = threads.getCurrentThreadCpuTime() - start;
                System.out.printf("round %d: application thread %d ns/span with aitrace (wall clock %d ns), %d ns/span"
                        + " with the OTel SDK (%.2fx); aitrace writer %d ns/span, %d ns/record over %d records, %d B"
                        + " allocated/record; dropped in the round %d%n",
                        round, aitrace / SPANS, wall / SPANS, sdk / SPANS, (double) aitrace / sdk, writer / SPANS,
                        written == 0 ? 0 : writer / written, written, written == 0 ? 0 : writerAllocated / written,
                        runtime.droppedRecords() - droppedBefore);
            }
        } finally {
            otel.shutdown();
        }
    }

    /** CPU time of aitrace's writer thread so far (0 when there is none). */
    static long writerCpu(ThreadMXBean threads) {
        long id = writerId(threads);
        return id < 0 ? 0 : threads.getThreadCpuTime(id);
    }

    /** Bytes aitrace's writer thread has allocated so far (0 when there is none or the JVM cannot tell). */
    static long writerAllocated(ThreadMXBean threads) {
        long id = writerId(threads);
        return id >= 0 && threads instanceof com.sun.management.ThreadMXBean sun
                ? Math.max(0, sun.getThreadAllocatedBytes(id)) : 0;
    }

    private static long writerId(ThreadMXBean threads) {
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().equals("aitrace-writer")) {
                return info.getThreadId();
            }
        }
        return -1;
    }
}
