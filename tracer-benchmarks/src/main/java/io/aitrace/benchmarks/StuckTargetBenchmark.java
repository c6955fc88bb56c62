package io.aitrace.benchmarks;

import io.aitrace.Tracer;
import io.aitrace.core.Target;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 4, the application thread when the target hangs: the latency of each span (start, three attributes,
 * close) sampled by JMH ({@code SampleTime}, so p50, p99 and p99.9 are reported), once with a target whose
 * write never returns and once with a working one. The queue fills and the stuck run drops, which is the
 * point: the application must not wait. Drops are reported beside the percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StuckTargetBenchmark {

    /** A runtime whose only target is stuck. */
    @State(Scope.Benchmark)
    public static class Stuck {
        TracerRuntime runtime;
        Tracer tracer;

        @Setup(Level.Trial)
        public void start() {
            runtime = open(new StuckTarget());
            tracer = runtime.tracer("bench");
            TracerRuntime rt = runtime;
            Drops.source = rt::droppedRecords;
        }

        @TearDown(Level.Trial)
        public void stop() {
            runtime.close();
        }
    }

    /** A runtime whose target works (and discards). */
    @State(Scope.Benchmark)
    public static class Working {
        TracerRuntime runtime;
        Tracer tracer;

        @Setup(Level.Trial)
        public void start() {
            runtime = open(new DiscardingTarget());
            tracer = runtime.tracer("bench");
            TracerRuntime rt = runtime;
            Drops.source = rt::droppedRecords;
        }

        @TearDown(Level.Trial)
        public void stop() {
            runtime.close();
        }
    }

    static TracerRuntime open(Target target) {
        return TracerRuntime.create(TracerConfig.builder().target("none").serviceName("bench")
                .flushTimeout(Duration.ofSeconds(1)).addTarget(target).build());
    }

    @Benchmark
    public void spanWithStuckTarget(Stuck state, Drops drops) {
        Workload.aitraceSpan(state.tracer);
    }

    @Benchmark
    public void spanWithWorkingTarget(Working state, Drops drops) {
        Workload.aitraceSpan(state.tracer);
    }
}
