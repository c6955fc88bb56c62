package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SpanIds#current()} as logging integrations call it: once per line, often many lines in one span. */
class SpanIdsTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("SpanIdsTest");

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void manyLinesInOneSpanShareOneAnswer() {
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            SpanIds first = SpanIds.current();
            assertThat(SpanIds.current()).isSameAs(first);
            assertThat(first.spanId()).isEqualTo(agent.spanId());
        }
    }

    @Test
    void theAnswerFollowsTheCurrentSpanInAndOut() {
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            assertThat(SpanIds.current().spanId()).isEqualTo(agent.spanId());
            try (Span step = tracer.span("step")) {
                assertThat(SpanIds.current().spanId()).isEqualTo(step.spanId());
                assertThat(SpanIds.current().parentSpanId()).isEqualTo(agent.spanId());
            }
            assertThat(SpanIds.current().spanId()).isEqualTo(agent.spanId());
            assertThat(SpanIds.current().parentSpanId()).isNull();
        }
        assertThat(SpanIds.current()).isNull();
    }

    @Test
    void aSpanEndedOnAnotherThreadWhileCurrentHereGivesWayToItsParent() throws Exception {
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            Span call = tracer.span("chat", NodeType.LLM);
            assertThat(SpanIds.current().spanId()).as("asked once while open").isEqualTo(call.spanId());
            CompletableFuture.runAsync(call::close).get(10, TimeUnit.SECONDS);

            SpanIds after = SpanIds.current();
            assertThat(after.spanId()).isEqualTo(agent.spanId());
            assertThat(after.parentSpanId()).isNull();
        }
    }
}
