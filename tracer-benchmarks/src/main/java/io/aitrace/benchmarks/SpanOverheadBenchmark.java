package io.aitrace.benchmarks;

import io.aitrace.core.target.Target;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
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
 * Benchmark 1, span overhead on the application thread: one span started, made current, given three attributes
 * and closed, with records going to a target that discards them; the baseline is the raw OpenTelemetry SDK doing
 * the same with a discarding exporter behind a {@code SimpleSpanProcessor} (lossless, like aitrace's writer).
 * Also a whole agent run: one root and ten children, each with an input and an output.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpanOverheadBenchmark {

    /** aitrace writing to a discarding target. */
    @State(Scope.Benchmark)
    public static class Aitrace extends RuntimeState {
        @Override
        Target target() {
            return new DiscardingTarget();
        }
    }

    /** The OpenTelemetry SDK exporting every span, synchronously, to a discarding exporter. */
    @State(Scope.Benchmark)
    public static class Otel {
        SdkTracerProvider provider;
        io.opentelemetry.api.trace.Tracer tracer;

        @Setup(Level.Trial)
        public void start() {
            provider = sdk(SimpleSpanProcessor.create(new DiscardingSpanExporter()));
            tracer = provider.get("bench");
            Drops.source = () -> 0; // SimpleSpanProcessor exports every span on the calling thread
        }

        @TearDown(Level.Trial)
        public void stop() {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    static SdkTracerProvider sdk(io.opentelemetry.sdk.trace.SpanProcessor processor) {
        return SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), "bench"))))
                .addSpanProcessor(processor)
                .build();
    }

    @Benchmark
    public void aitraceSpan(Aitrace state, Drops drops) {
        Workload.aitraceSpan(state.tracer);
    }

    @Benchmark
    public void otelSdkSpan(Otel state, Drops drops) {
        Workload.otelSpan(state.tracer);
    }

    @Benchmark
    public void aitraceTraceOf11Spans(Aitrace state, Drops drops) {
        Workload.aitraceTrace(state.tracer, 10);
    }

    @Benchmark
    public void otelSdkTraceOf11Spans(Otel state, Drops drops) {
        Workload.otelTrace(state.tracer, 10);
    }
}
