package io.aitrace.benchmarks;

import io.aitrace.core.target.Target;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

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
    public static class Stuck extends RuntimeState {
        @Override
        Target target() {
            return new StuckTarget();
        }
    }

    /** A runtime whose target works (and discards). */
    @State(Scope.Benchmark)
    public static class Working extends RuntimeState {
        @Override
        Target target() {
            return new DiscardingTarget();
        }
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
