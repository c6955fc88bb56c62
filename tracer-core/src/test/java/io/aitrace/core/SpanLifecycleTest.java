package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aitrace.core.internal.pipeline.StartRecordCoalescingTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanLifecycleTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("SpanLifecycleTest");

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void closingOutOfOrderRestoresTheOuterSpan() {
        Span outer = tracer.span("outer");
        Span middle = tracer.span("middle");
        Span inner = tracer.span("inner");
        middle.close();                      // out of order: inner is still current
        assertThat(tracer.currentSpan()).isSameAs(inner);
        inner.close();                       // middle is ended, so outer becomes current
        assertThat(tracer.currentSpan()).isSameAs(outer);
        try (Span next = tracer.span("next")) {
            next.annotate("after the mix-up");
        }
        outer.close();
        assertThat(tracer.currentSpan().isRecording()).isFalse();
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(SpanTreeTest.parentName(spans, "next")).isEqualTo("outer");
    }

    @Test
    void closingTwiceWritesOneEndRecordAndLeavesTheContextAlone() {
        try (Span outer = tracer.span("outer")) {
            Span inner = tracer.span("inner");
            inner.close();
            inner.close();
            assertThat(tracer.currentSpan()).isSameAs(outer);
        }
        runtime.flush();
        assertThat(target.records(r -> r.path("name").asText().equals("inner") && !r.path("end").isNull()))
                .hasSize(1);
    }

    @Test
    void callsAfterCloseAreIgnored() {
        Span span = tracer.span("done");
        span.output("answer", 42);
        span.close();
        span.output("answer", 43).attribute("late", true).annotate("too late").error(new IllegalStateException());
        runtime.flush();
        JsonNode record = target.endedSpans().get("done");
        assertThat(record.path("output").path("answer").asInt()).isEqualTo(42);
        assertThat(record.path("attributes").has("late")).isFalse();
        assertThat(record.path("status").asText()).isEqualTo("ok");
        assertThat(span.isEnded()).isTrue();
    }

    @Test
    void aSpanIsWrittenWhenItStartsAtEachSnapshotAndWhenItEnds() {
        // Flushed while it runs, as a live view would see it: a start or snapshot record whose end record
        // follows it in the writer's batch is left out (see StartRecordCoalescingTest).
        try (Span span = tracer.span("long_step", NodeType.TOOL)) {
            runtime.flush();
            span.input("query", "paris");
            span.snapshot();
            runtime.flush();
            span.output("result", "sunny");
        }
        runtime.flush();
        List<JsonNode> records = target.records(r -> r.path("name").asText().equals("long_step"));
        assertThat(records).hasSize(3);
        assertThat(records.get(0).path("end").isNull()).isTrue();
        assertThat(records.get(0).path("status").asText()).isEqualTo("running");
        assertThat(records.get(0).path("input").isNull()).isTrue();
        assertThat(records.get(1).path("end").isNull()).isTrue();
        assertThat(records.get(1).path("input").path("query").asText()).isEqualTo("paris");
        assertThat(records.get(1).path("output").isNull()).isTrue();
        assertThat(records.get(2).path("end").isNull()).isFalse();
        assertThat(records.get(2).path("output").path("result").asText()).isEqualTo("sunny");
    }

    @Test
    void theSpanRecordHasEveryFieldOfFormatV1() {
        Span failed;
        try (Span root = tracer.span("weather_agent", NodeType.AGENT)) {
            root.inheritableAttribute("gen_ai.conversation.id", "conv-1");
            try (Span first = tracer.span("search", NodeType.TOOL)) {
                failed = first;
                first.error(new IOException("timeout"));
            }
            try (Span step = tracer.span("search", NodeType.TOOL)) {
                step.edge(EdgeType.RETRY_OF, failed);
                step.input("query", "What's the weather in Paris?");
                step.attribute("gen_ai.request.model", "gpt-4o");
                step.output("intent", "weather_lookup");
                step.annotate("High confidence, routing to weather tool");
            }
        }
        runtime.flush();
        JsonNode retry = target.endedSpans().get("search");
        assertThat(retry.path("v").asInt()).isEqualTo(1);
        assertThat(retry.path("type").asText()).isEqualTo("span");
        assertThat(retry.path("node_type").asText()).isEqualTo("tool");
        assertThat(retry.path("span_kind").asText()).isEqualTo("INTERNAL");
        assertThat(retry.path("start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(retry.path("end").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(retry.path("duration_ms").isNumber()).isTrue();
        assertThat(retry.path("status").asText()).isEqualTo("ok");
        assertThat(retry.path("error").isNull()).isTrue();
        assertThat(retry.path("attributes").path("gen_ai.request.model").asText()).isEqualTo("gpt-4o");
        assertThat(retry.path("attributes").path("gen_ai.conversation.id").asText()).isEqualTo("conv-1");
        assertThat(retry.path("input").path("query").asText()).isEqualTo("What's the weather in Paris?");
        assertThat(retry.path("output").path("intent").asText()).isEqualTo("weather_lookup");
        assertThat(retry.path("annotations").get(0).path("text").asText())
                .isEqualTo("High confidence, routing to weather tool");
        assertThat(retry.path("annotations").get(0).path("ts").asText()).endsWith("Z");
        JsonNode edge = retry.path("edges").get(0);
        assertThat(edge.path("type").asText()).isEqualTo("retry_of");
        assertThat(edge.path("span_id").asText()).isEqualTo(failed.spanId());
        assertThat(edge.path("trace_id").asText()).isEqualTo(failed.traceId());
        assertThat(retry.path("resource").path("service.name").asText()).isEqualTo("test-agent");
        assertThat(retry.path("thread").asText()).isEqualTo(Thread.currentThread().getName());

        JsonNode first = target.records(r -> r.path("span_id").asText().equals(failed.spanId())
                && !r.path("end").isNull()).get(0);
        assertThat(first.path("status").asText()).isEqualTo("error");
        assertThat(first.path("error").path("type").asText()).isEqualTo("java.io.IOException");
        assertThat(first.path("error").path("message").asText()).isEqualTo("timeout");
        assertThat(first.path("error").path("stack").asText()).contains("SpanLifecycleTest");
    }

    @Test
    void callReturnsTheValueAsOutputAndRecordsAnExceptionBeforeThrowingItOn() {
        String result = tracer.call("classify", NodeType.LLM, () -> "weather");
        assertThat(result).isEqualTo("weather");
        assertThatThrownBy(() -> tracer.run("fail", NodeType.TOOL, () -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class).hasMessage("down");
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans.get("classify").path("output").asText()).isEqualTo("weather");
        assertThat(spans.get("fail").path("status").asText()).isEqualTo("error");
        assertThat(spans.get("fail").path("error").path("message").asText()).isEqualTo("down");
        assertThat(tracer.currentSpan().isRecording()).isFalse();
    }

    @Test
    void runKeepsTheOutputsItsBodySet() {
        tracer.run("render", NodeType.STEP, () -> tracer.currentSpan().output("html", "<p>sunny</p>"));
        runtime.flush();
        assertThat(target.endedSpans().get("render").path("output").path("html").asText()).isEqualTo("<p>sunny</p>");
    }

    @Test
    void inheritableAttributesReachEveryDescendantAndCanBeOverriddenForASubtree() {
        try (Span run = tracer.span("run", NodeType.AGENT)) {
            run.inheritableAttribute("gen_ai.conversation.id", "c-1");
            try (Span sub = tracer.span("sub_agent", NodeType.AGENT)) {
                sub.inheritableAttribute("gen_ai.conversation.id", "c-2");
                tracer.run("deep", NodeType.TOOL, () -> { });
            }
            tracer.run("sibling", NodeType.TOOL, () -> { });
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(conversation(spans, "run")).isEqualTo("c-1");
        assertThat(conversation(spans, "sub_agent")).isEqualTo("c-2");
        assertThat(conversation(spans, "deep")).isEqualTo("c-2");
        assertThat(conversation(spans, "sibling")).isEqualTo("c-1");
    }

    @Test
    void anEndedRootSpanIsFlushedWithoutAnExplicitFlush() throws Exception {
        try (Span root = tracer.span("root")) {
            root.annotate("x");
        }
        assertThat(Await.until(() -> target.endedSpans().containsKey("root"), Duration.ofSeconds(5))).isTrue();
    }

    private static String conversation(Map<String, JsonNode> spans, String name) {
        return spans.get(name).path("attributes").path("gen_ai.conversation.id").asText();
    }
}
