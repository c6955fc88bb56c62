package io.aitrace.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.Tracer;
import io.aitrace.core.Await;
import io.aitrace.core.MemoryTarget;
import io.aitrace.core.TracerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A span's start record is kept aside until something needs it: a short span is one record, while a running
 * span still reaches the file on the flush interval, and the records of other threads that refer to it come
 * after it.
 */
public class DeferredStartTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Each record as "name start" or "name end", in file order. */
    private static List<String> records(MemoryTarget target) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : target.records()) {
            out.add(r.path("name").asText() + (r.path("end").isNull() ? " start" : " end"));
        }
        return out;
    }

    @Test
    void aRunningSpanReachesTheFileOnTheFlushIntervalWithoutAFlush() {
        MemoryTarget target = new MemoryTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofMillis(10)).build())) {
            Tracer tracer = runtime.tracer("deferred");
            try (Span step = tracer.span("waiting_for_model", NodeType.LLM)) {
                assertThat(Await.until(() -> records(target).contains("waiting_for_model start"), PATIENCE))
                        .as("the start record of a span that runs on, with nothing else traced").isTrue();
            }
            assertThat(runtime.flush()).isTrue();
            assertThat(records(target)).containsExactly("waiting_for_model start", "waiting_for_model end");
        }
    }

    @Test
    void aSpanEndedOnAnotherThreadIsOneRecordAndAChildOnAnotherThreadComesAfterItsParentsStart()
            throws Exception {
        MemoryTarget target = new MemoryTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofHours(1)).build())) {
            Tracer tracer = runtime.tracer("deferred");
            Span quick = tracer.startSpan("handed_over", NodeType.TOOL);
            Thread closer = new Thread(quick::close);
            closer.start();
            closer.join(PATIENCE.toMillis());

            Span agent = tracer.startSpan("agent", NodeType.AGENT);
            Thread worker = new Thread(() -> {
                try (Span child = tracer.startSpan("tool_call", NodeType.TOOL, SpanKind.INTERNAL, agent)) {
                    child.attribute("city", "Paris");
                }
            });
            worker.start();
            worker.join(PATIENCE.toMillis());
            agent.close();
            assertThat(runtime.flush()).isTrue();

            assertThat(records(target)).containsExactly("handed_over end", "agent start", "tool_call end",
                    "agent end");
            assertThat(target.endedSpans().get("tool_call").path("parent_span_id").asText())
                    .isEqualTo(agent.spanId());
        }
    }
}
