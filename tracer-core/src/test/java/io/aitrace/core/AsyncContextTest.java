package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Scope;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.Tracer;
import io.aitrace.Tracing;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans that end on another thread: the async pattern, startSpan + makeCurrent, and scopes closed wrongly. */
class AsyncContextTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("AsyncContextTest");
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        pool.shutdownNow();
        runtime.close();
    }

    /**
     * The pattern users wrote before startSpan existed: tracer.span (made current) ended by a callback on
     * another thread. Shared with the Java 25 test, which runs it on virtual threads.
     */
    static Map<String, JsonNode> spanEndedOnAnotherThreadThenNextStep(Tracer tracer, TracerRuntime runtime,
            MemoryTarget target, ExecutorService pool, StringBuilder currentAfterwards) throws Exception {
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            Span call = tracer.span("chat", NodeType.LLM, SpanKind.CLIENT);
            CompletableFuture<String> reply = new CompletableFuture<>(); // as client.sendAsync(...) returns
            CompletableFuture<String> handled = reply.whenComplete((r, e) -> {
                if (e != null) {
                    call.fail(e);
                } else {
                    call.output(r).close();
                }
            });
            pool.submit(() -> reply.complete("reply")); // the callback runs on the pool thread
            handled.get(10, TimeUnit.SECONDS);
            currentAfterwards.append(tracer.currentSpan().spanId().equals(root.spanId()) ? "root" : "other");
            try (Span next = tracer.span("next_step")) {
                next.annotate("after the model answered");
            }
        }
        runtime.flush();
        return target.endedSpans();
    }

    @Test
    void aSpanStartedAfterTheCurrentSpanEndedOnAnotherThreadIsAChildOfTheOpenAncestor() throws Exception {
        StringBuilder current = new StringBuilder();
        String err = Stderr.capture(() -> {
            Map<String, JsonNode> spans = spanEndedOnAnotherThreadThenNextStep(tracer, runtime, target, pool, current);
            assertThat(SpanTreeTest.parentName(spans, "chat")).isEqualTo("agent");
            assertThat(SpanTreeTest.parentName(spans, "next_step")).isEqualTo("agent");
        });
        assertThat(current).hasToString("root");
        assertThat(err).contains("aitrace: span 'next_step' was started under 'chat', which had already ended")
                .contains("attached to 'agent'").contains("startSpan");
        assertThat(err.lines().filter(l -> l.startsWith("aitrace:"))).hasSize(1);
    }

    @Test
    void theWarningAboutAnEndedParentIsPrintedOnce() throws Exception {
        String err = Stderr.capture(() -> {
            spanEndedOnAnotherThreadThenNextStep(tracer, runtime, target, pool, new StringBuilder());
            spanEndedOnAnotherThreadThenNextStep(tracer, runtime, target, pool, new StringBuilder());
        });
        assertThat(err.lines().filter(l -> l.startsWith("aitrace:"))).hasSize(1);
    }

    @Test
    void theThreadIsBackWithoutASpanAfterTheRootClosesAboveASpanEndedElsewhere() throws Exception {
        spanEndedOnAnotherThreadThenNextStep(tracer, runtime, target, pool, new StringBuilder());
        assertThat(tracer.currentSpan().isRecording()).isFalse();
        try (Span fresh = tracer.span("fresh")) {
            assertThat(fresh.traceId()).isNotEqualTo(target.endedSpans().get("agent").path("trace_id").asText());
        }
        runtime.flush();
        assertThat(target.endedSpans().get("fresh").path("parent_span_id").isNull()).isTrue();
    }

    @Test
    void startSpanIsAChildOfTheCurrentSpanButNotCurrent() {
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            Span call = tracer.startSpan("chat", NodeType.LLM, SpanKind.CLIENT);
            assertThat(tracer.currentSpan().spanId()).isEqualTo(root.spanId());
            try (Span sibling = tracer.span("sibling")) {
                sibling.annotate("not under chat");
            }
            call.close();
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(SpanTreeTest.parentName(spans, "chat")).isEqualTo("agent");
        assertThat(SpanTreeTest.parentName(spans, "sibling")).isEqualTo("agent");
        assertThat(spans.get("chat").path("span_kind").asText()).isEqualTo("CLIENT");
    }

    @Test
    void theAsyncPatternWithStartSpanAndMakeCurrentOnAPoolNestsTheCallbacksSpans() throws Exception {
        ExecutorService wrapped = Tracing.wrap(pool);
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            Span call = tracer.startSpan("chat", NodeType.LLM, SpanKind.CLIENT);
            CompletableFuture<String> reply;
            try (Scope scope = call.makeCurrent()) {
                assertThat(tracer.currentSpan().spanId()).isEqualTo(call.spanId());
                reply = CompletableFuture.supplyAsync(() -> tracer.call("http_send", NodeType.STEP, () -> "reply"),
                        wrapped);
            }
            assertThat(tracer.currentSpan().spanId()).isEqualTo(root.spanId());
            reply.thenAcceptAsync(r -> {
                try (Scope scope = call.makeCurrent()) {
                    tracer.run("parse_reply", NodeType.STEP, () -> { });
                }
                call.output(r).close();
            }, pool).get(10, TimeUnit.SECONDS);
            tracer.run("next_step", NodeType.STEP, () -> { });
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(SpanTreeTest.parentName(spans, "chat")).isEqualTo("agent");
        assertThat(SpanTreeTest.parentName(spans, "http_send")).isEqualTo("chat");
        assertThat(SpanTreeTest.parentName(spans, "parse_reply")).isEqualTo("chat");
        assertThat(SpanTreeTest.parentName(spans, "next_step")).isEqualTo("agent");
        assertThat(spans.get("chat").path("output").asText()).isEqualTo("reply");
    }

    @Test
    void aScopeClosedTwiceRestoresOnce() {
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            Span a = tracer.startSpan("a", NodeType.STEP);
            Scope scopeA = a.makeCurrent();
            Span b = tracer.startSpan("b", NodeType.STEP);
            Scope scopeB = b.makeCurrent();
            scopeB.close();
            assertThat(tracer.currentSpan().spanId()).isEqualTo(a.spanId());
            scopeB.close();
            assertThat(tracer.currentSpan().spanId()).isEqualTo(a.spanId());
            scopeA.close();
            scopeA.close();
            assertThat(tracer.currentSpan().spanId()).isEqualTo(root.spanId());
            a.close();
            b.close();
        }
        assertThat(tracer.currentSpan().isRecording()).isFalse();
    }

    @Test
    void scopesClosedOutOfOrderLeaveTheOuterContextWhenTheLastOneCloses() {
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            Span a = tracer.startSpan("a", NodeType.STEP);
            Span b = tracer.startSpan("b", NodeType.STEP);
            Scope scopeA = a.makeCurrent();
            Scope scopeB = b.makeCurrent();
            scopeA.close(); // out of order: b's scope is still open above it
            assertThat(tracer.currentSpan().spanId()).isEqualTo(b.spanId());
            scopeB.close(); // skips a's closed scope
            assertThat(tracer.currentSpan().spanId()).isEqualTo(root.spanId());
            a.close();
            b.close();
        }
        assertThat(tracer.currentSpan().isRecording()).isFalse();
    }

    @Test
    void aScopeClosedOnAnotherThreadChangesNothingThereOrHere() throws Exception {
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            Span a = tracer.startSpan("a", NodeType.STEP);
            Scope scope = a.makeCurrent();
            String[] seenThere = new String[1];
            pool.submit(() -> {
                scope.close();
                seenThere[0] = tracer.currentSpan().spanId();
            }).get(10, TimeUnit.SECONDS);
            assertThat(seenThere[0]).isEmpty();
            assertThat(tracer.currentSpan().spanId()).isEqualTo(a.spanId());
            scope.close();
            assertThat(tracer.currentSpan().spanId()).isEqualTo(root.spanId());
            a.close();
        }
    }

    @Test
    void closingAScopeNeverThrowsAndTheScopeOfANoopSpanDoesNothing() {
        Span noop = io.aitrace.helpers.NoopSpan.INSTANCE;
        try (Scope scope = noop.makeCurrent()) {
            assertThat(tracer.currentSpan().isRecording()).isFalse();
        }
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            Scope scope = root.makeCurrent();
            scope.close();
            assertThat(tracer.currentSpan().spanId()).isEqualTo(root.spanId());
        }
        assertThat(tracer.currentSpan().isRecording()).isFalse();
    }

    @Test
    void spansClosedOutOfOrderStillLeaveNoEndedSpanCurrent() {
        Span outer = tracer.span("outer");
        Span inner = tracer.span("inner");
        outer.close();
        assertThat(tracer.currentSpan().spanId()).isEqualTo(inner.spanId());
        inner.close();
        assertThat(tracer.currentSpan().isRecording()).isFalse();
    }

    @Test
    void anExplicitParentThatEndedIsHonoured() {
        Span chat;
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            chat = tracer.startSpan("chat", NodeType.LLM);
            chat.close();
            try (Span followUp = tracer.span("follow_up", NodeType.STEP, chat)) {
                followUp.annotate("explicitly under chat");
            }
            Span late = tracer.startSpan("late", NodeType.STEP, SpanKind.INTERNAL, chat);
            late.close();
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(SpanTreeTest.parentName(spans, "follow_up")).isEqualTo("chat");
        assertThat(SpanTreeTest.parentName(spans, "late")).isEqualTo("chat");
    }
}
