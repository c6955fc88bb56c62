package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.Tracing;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanTreeTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.install(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("SpanTreeTest");

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void nestedSpansOnThreadsExecutorsAndAnotherThreadFormOneTreeWithTheRightParents() throws Exception {
        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(2));
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            try (Span plan = tracer.span("plan", NodeType.DECISION)) {
                try (Span llm = tracer.span("llm_call", NodeType.LLM)) {
                    llm.output("text", "ok");
                }
            }
            Future<?> a = pool.submit(() -> tracer.run("tool_a", NodeType.TOOL, () -> { }));
            Future<String> b = pool.submit(() -> tracer.call("tool_b", NodeType.TOOL, () -> "b"));
            a.get(10, TimeUnit.SECONDS);
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("b");
            Thread thread = startThread(Tracing.wrap(() -> tracer.run("on_thread", NodeType.STEP, () -> { })));
            thread.join(10_000);
        } finally {
            pool.shutdown();
        }
        runtime.flush();

        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans).containsOnlyKeys("agent", "plan", "llm_call", "tool_a", "tool_b", "on_thread");
        String traceId = spans.get("agent").path("trace_id").asText();
        assertThat(spans.values()).allSatisfy(s -> assertThat(s.path("trace_id").asText()).isEqualTo(traceId));
        assertThat(traceId).matches("[0-9a-f]{32}");
        assertThat(spans.get("agent").path("parent_span_id").isNull()).isTrue();
        assertThat(parentName(spans, "plan")).isEqualTo("agent");
        assertThat(parentName(spans, "llm_call")).isEqualTo("plan");
        assertThat(parentName(spans, "tool_a")).isEqualTo("agent");
        assertThat(parentName(spans, "tool_b")).isEqualTo("agent");
        assertThat(parentName(spans, "on_thread")).isEqualTo("agent");
        for (JsonNode span : spans.values()) {
            assertThat(span.path("span_id").asText()).matches("[0-9a-f]{16}");
            assertThat(start(span)).isBeforeOrEqualTo(end(span));
            JsonNode parent = byId(spans, span.path("parent_span_id").asText());
            if (parent != null) {
                assertThat(start(span)).isAfterOrEqualTo(start(parent));
                assertThat(end(span)).isBeforeOrEqualTo(end(parent));
            }
        }
        double children = spans.get("llm_call").path("duration_ms").asDouble();
        assertThat(spans.get("plan").path("duration_ms").asDouble()).isGreaterThanOrEqualTo(children);
        assertThat(spans.get("tool_b").path("output").asText()).isEqualTo("b");
        assertThat(spans.get("on_thread").path("thread").asText()).isNotEqualTo(spans.get("agent").path("thread").asText());
    }

    @Test
    void completableFutureBranchesOnAWrappedExecutorAreParallelSiblings() {
        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(3));
        try (Span root = tracer.span("fan_out", NodeType.AGENT)) {
            List<CompletableFuture<String>> searches = List.of("a", "b", "c").stream()
                    .map(q -> CompletableFuture.supplyAsync(
                            () -> tracer.call("search_" + q, NodeType.RETRIEVAL, () -> q), pool))
                    .toList();
            CompletableFuture.allOf(searches.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(List.of("search_a", "search_b", "search_c"))
                .allSatisfy(name -> assertThat(parentName(spans, name)).isEqualTo("fan_out"));
    }

    @Test
    void aSpanStartedWithNoCurrentSpanBeginsANewTrace() {
        try (Span first = tracer.span("first")) {
            first.annotate("one");
        }
        try (Span second = tracer.span("second")) {
            second.annotate("two");
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans.get("first").path("trace_id").asText())
                .isNotEqualTo(spans.get("second").path("trace_id").asText());
    }

    @Test
    void currentSpanIsTheInnermostOpenSpanAndANoopSpanOutsideAny() {
        assertThat(tracer.currentSpan().isRecording()).isFalse();
        try (Span outer = tracer.span("outer")) {
            assertThat(tracer.currentSpan()).isSameAs(outer);
            try (Span inner = tracer.span("inner")) {
                assertThat(tracer.currentSpan()).isSameAs(inner);
            }
            assertThat(tracer.currentSpan()).isSameAs(outer);
        }
        assertThat(tracer.currentSpan().isRecording()).isFalse();
        assertThat(tracer.currentSpan().spanId()).isEmpty();
    }

    @Test
    void spanIdsNameTheCurrentSpanAndItsParentAndAreNullOutsideSpans() {
        assertThat(SpanIds.current()).isNull();
        try (Span outer = tracer.span("outer"); Span inner = tracer.span("inner")) {
            SpanIds ids = SpanIds.current();
            assertThat(ids.traceId()).isEqualTo(inner.traceId());
            assertThat(ids.spanId()).isEqualTo(inner.spanId());
            assertThat(ids.parentSpanId()).isEqualTo(outer.spanId());
            assertThat(Integer.parseInt(ids.traceFlags(), 16) & 1).as("sampled bit").isEqualTo(1);
        }
        assertThat(SpanIds.current()).isNull();
    }

    /** Starts a virtual thread where the JDK has them (21+), a platform thread on 17. */
    static Thread startThread(Runnable task) throws Exception {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
            return (Thread) start.invoke(builder, task);
        } catch (NoSuchMethodException e) {
            Thread thread = new Thread(task);
            thread.start();
            return thread;
        }
    }

    static String parentName(Map<String, JsonNode> spans, String name) {
        JsonNode parent = byId(spans, spans.get(name).path("parent_span_id").asText());
        return parent == null ? null : parent.path("name").asText();
    }

    static JsonNode byId(Map<String, JsonNode> spans, String spanId) {
        return spans.values().stream().filter(s -> s.path("span_id").asText().equals(spanId)).findFirst().orElse(null);
    }

    static Instant start(JsonNode span) {
        return Instant.parse(span.path("start").asText());
    }

    static Instant end(JsonNode span) {
        return Instant.parse(span.path("end").asText());
    }
}
