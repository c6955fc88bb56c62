package io.aitrace.benchmarks;

import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

/**
 * The heap a full writer queue holds: a runtime whose target never returns from its first write, filled with the
 * spans of benchmark 1 (three attributes) and of benchmark 2's steps (an input, an output, an attribute), heap in
 * use after a full GC before and after. Run with {@code java -cp tracer-benchmarks/target/benchmarks.jar
 * io.aitrace.benchmarks.QueueMemory [capacity]}.
 */
public final class QueueMemory {
    private QueueMemory() {
    }

    public static void main(String[] args) throws InterruptedException {
        int capacity = args.length > 0 ? Integer.parseInt(args[0]) : TracerConfig.builder().build().queueCapacity();
        System.out.printf("queue capacity %d records%n", capacity);
        measure("benchmark 1's span (3 attributes)", capacity, tracer -> Workload.aitraceSpan(tracer));
        measure("benchmark 2's step (input, output, attribute)", capacity, tracer -> Workload.aitraceTrace(tracer, 0));
    }

    private static void measure(String what, int capacity, java.util.function.Consumer<Tracer> span)
            throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target("none").serviceName("bench")
                .addTarget(new StuckTarget()).queueCapacity(capacity).flushTimeout(Duration.ofMillis(100)).build());
        Tracer tracer = runtime.tracer("bench");
        span.accept(tracer); // the writer takes this one and hangs in the target
        Thread.sleep(200);
        long before = used(memory);
        for (int i = 0; i < capacity + 1_000; i++) {
            span.accept(tracer);
        }
        long after = used(memory);
        System.out.printf("%s: %d records queued, %d dropped, %.1f MB held, %d bytes per queued record%n", what,
                capacity, runtime.droppedRecords(), (after - before) / 1e6, (after - before) / capacity);
        runtime.close();
    }

    private static long used(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
