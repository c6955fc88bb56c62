package io.aitrace.benchmarks;

import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.SpanRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;

/**
 * How fast aitrace's writer catches up once it is behind, the speed that decides whether benchmark 1's tight loop
 * loses records after the writer was kept off its core: each round holds the writer on one record (a processor that
 * waits), queues {@code spans} of benchmark 1's spans behind it (to a discarding target), lets it go and measures the
 * writer's CPU and the wall clock per record until {@code flush()} returns. Unlike {@link ThreadCpuComparison}, the
 * writer never waits for records here, so the figure has no parking in it and little of the load around it.
 * Run with {@code java -cp tracer-benchmarks/target/benchmarks.jar io.aitrace.benchmarks.WriterCatchUp [rounds [spans]]}
 * (the first half of the rounds are warm-up and not printed).
 */
public final class WriterCatchUp {
    private static volatile CountDownLatch gate;

    private WriterCatchUp() {
    }

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int spans = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        RecordProcessor holder = new RecordProcessor() {
            @Override
            public void onEnd(SpanRecord span) {
                CountDownLatch wait = gate;
                if (wait != null) {
                    try {
                        wait.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        TracerConfig config = TracerConfig.builder().target("none").serviceName("bench")
                .queueCapacity(Math.max(32_768, spans + 1024)).addTarget(new DiscardingTarget())
                .addProcessor(holder).build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TracerRuntime runtime = TracerRuntime.create(config)) {
            Tracer tracer = runtime.tracer("bench");
            for (int round = 1; round <= rounds; round++) {
                CountDownLatch wait = new CountDownLatch(1);
                gate = wait;
                Workload.aitraceSpan(tracer); // the writer stops at this one
                for (int i = 0; i < spans; i++) {
                    Workload.aitraceSpan(tracer);
                }
                long dropped = runtime.droppedRecords();
                long writerBefore = ThreadCpuComparison.writerCpu(threads);
                long writtenBefore = runtime.writtenRecords();
                long start = System.nanoTime();
                gate = null;
                wait.countDown();
                runtime.flush();
                long wall = System.nanoTime() - start;
                long writer = ThreadCpuComparison.writerCpu(threads) - writerBefore;
                long written = Math.max(1, runtime.writtenRecords() - writtenBefore);
                if (round > rounds / 2) {
                    System.out.printf("round %d: writer %d ns CPU/record, %d ns wall clock/record over %d records;"
                            + " dropped %d%n", round, writer / written, wall / written, written, dropped);
                }
            }
        }
    }
}
