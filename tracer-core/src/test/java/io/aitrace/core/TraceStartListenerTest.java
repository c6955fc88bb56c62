package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.Tracing;
import io.aitrace.core.target.MemoryTraces;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The context-borne listener that hears of each trace begun, and the small runtime and config additions beside it. */
class TraceStartListenerTest {
    private final MemoryTraces traces = new MemoryTraces();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget())
            .addTarget(traces).build());
    private final Tracer tracer = runtime.tracer("agent");

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void hearsOfEachTraceBegunInItsContextAndNotOfChildSpans() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        ExecutorService pool = Tracing.wrap(Executors.newSingleThreadExecutor());
        try (Scope ignored = Context.current().with(TraceStartListener.KEY, heard::add).makeCurrent()) {
            try (Span run = tracer.span("first", NodeType.AGENT)) {
                tracer.run("child", NodeType.TOOL, () -> { });
            }
            pool.submit(() -> tracer.run("in_pool", NodeType.AGENT, () -> { })).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        tracer.run("outside", NodeType.AGENT, () -> { });
        runtime.flush();

        assertThat(heard).hasSize(2);
        assertThat(heard).containsExactly(rootId("first"), rootId("in_pool"));
    }

    @Test
    void aListenerThatThrowsIsReportedOnceAndTheSpanIsStillRecorded() throws Exception {
        TraceStartListener broken = id -> {
            throw new IllegalStateException("broken listener");
        };
        String err = Stderr.capture(() -> {
            try (Scope ignored = Context.current().with(TraceStartListener.KEY, broken).makeCurrent()) {
                tracer.run("one", NodeType.AGENT, () -> { });
                tracer.run("two", NodeType.AGENT, () -> { });
            }
            runtime.flush();
        });

        assertThat(traces.traces()).extracting(t -> t.roots().get(0).name()).containsExactly("one", "two");
        assertThat(err).containsOnlyOnce("aitrace: internal error in trace start listener")
                .contains("broken listener");
    }

    @Test
    void toBuilderKeepsEverySettingAndAddsTargets() {
        TracerConfig config = TracerConfig.builder().target("none").serviceName("svc").queueCapacity(7)
                .flushInterval(Duration.ofMillis(300)).flushTimeout(Duration.ofSeconds(3)).maxStringLength(99)
                .maskKeys(List.of("pin")).token("t").enabled(false).sampleRatio(0.5).addTarget(traces)
                .otlpEndpoint("http://127.0.0.1:4318").propagateBaggage(true).build();
        MemoryTraces more = new MemoryTraces();

        TracerConfig copy = config.toBuilder().addTarget(more).build();

        assertThat(copy).usingRecursiveComparison().ignoringFields("processors").isEqualTo(config);
        assertThat(copy.processors()).containsExactly(traces, more);
    }

    private String rootId(String name) {
        return traces.traces().stream().filter(t -> t.roots().get(0).name().equals(name)).findFirst().orElseThrow()
                .roots().get(0).traceId();
    }
}
