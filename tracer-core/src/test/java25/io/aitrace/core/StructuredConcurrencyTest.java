package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.internal.span.ScopedContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.util.Map;
import java.util.concurrent.StructuredTaskScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Java 25 only: spans in StructuredTaskScope forks see their parent through ScopedValue, without wrapping. */
class StructuredConcurrencyTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("structured");

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void theOverlayWithScopedValueIsTheOneInUse() {
        assertThat(ScopedContext.usesScopedValue()).isTrue();
    }

    @Test
    void forksOfAStructuredTaskScopeInsideCallAreChildrenOfItsSpanAndInheritItsAttributes() throws Exception {
        String answer = tracer.call("agent", NodeType.AGENT, () -> {
            tracer.currentSpan().inheritableAttribute("gen_ai.conversation.id", "conv-25");
            try (var scope = StructuredTaskScope.open()) {
                var weather = scope.fork(() -> tracer.call("weather", NodeType.TOOL, () -> "sunny"));
                var news = scope.fork(() -> tracer.call("news", NodeType.TOOL, () -> "quiet"));
                scope.join();
                return weather.get() + ", " + news.get();
            }
        });
        assertThat(answer).isEqualTo("sunny, quiet");
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(SpanTreeTest.parentName(spans, "weather")).isEqualTo("agent");
        assertThat(SpanTreeTest.parentName(spans, "news")).isEqualTo("agent");
        assertThat(spans.get("news").path("attributes").path("gen_ai.conversation.id").asText()).isEqualTo("conv-25");
        assertThat(spans.get("weather").path("thread").asText()).isNotEqualTo(spans.get("agent").path("thread").asText());
    }

    @Test
    void aVirtualThreadStartedWithAWrappedTaskNestsUnderTheCaller() throws Exception {
        try (Span root = tracer.span("root", NodeType.AGENT)) {
            Thread.ofVirtual().start(io.aitrace.Tracing.wrap(() -> tracer.run("virtual", NodeType.STEP, () -> { })))
                    .join();
        }
        runtime.flush();
        assertThat(SpanTreeTest.parentName(target.endedSpans(), "virtual")).isEqualTo("root");
    }
}
