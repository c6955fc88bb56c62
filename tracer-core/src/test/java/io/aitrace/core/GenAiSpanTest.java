package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.read.TraceReader;
import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.genai.GenAi;
import io.aitrace.genai.GenAi.Message;
import io.aitrace.genai.GenAi.Part;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GenAiSpanTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("GenAiSpanTest");

    @AfterEach
    void close() {
        runtime.close();
    }

    private TraceGraph readBack() {
        runtime.flush();
        return TraceReader.readLines(target.lines());
    }

    @Test
    void anLlmSpanCarriesTheGenAiAttributesAndStructuredMessages() {
        try (Span call = tracer.span("chat gpt-4o", NodeType.LLM, SpanKind.CLIENT)) {
            GenAi.chat(call, "openai", "gpt-4o");
            GenAi.inputMessages(call, Message.system("You are a weather bot."), Message.user("Weather in Paris?"));
            GenAi.timeToFirstChunk(call, Duration.ofMillis(250));
            GenAi.responseModel(call, "gpt-4o-2024-08-06");
            GenAi.usage(call, 120, 48);
            GenAi.outputMessages(call, Message.assistant("Let me check.")
                    .with(Part.toolCall("call_1", "forecast", Map.of("city", "Paris"))).finishReason("tool_call"));
        }
        runtime.flush();
        JsonNode span = target.endedSpans().get("chat gpt-4o");
        assertThat(span.path("span_kind").asText()).isEqualTo("CLIENT");
        JsonNode attributes = span.path("attributes");
        assertThat(attributes.path("gen_ai.operation.name").asText()).isEqualTo("chat");
        assertThat(attributes.path("gen_ai.provider.name").asText()).isEqualTo("openai");
        assertThat(attributes.has("gen_ai.system")).isFalse();
        assertThat(attributes.path("gen_ai.request.model").asText()).isEqualTo("gpt-4o");
        assertThat(attributes.path("gen_ai.response.model").asText()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(attributes.path("gen_ai.usage.input_tokens").asLong()).isEqualTo(120);
        assertThat(attributes.path("gen_ai.usage.output_tokens").asLong()).isEqualTo(48);
        assertThat(attributes.path("gen_ai.response.time_to_first_chunk").asDouble()).isEqualTo(0.25);
        assertThat(attributes.path("gen_ai.response.finish_reasons").toString()).isEqualTo("[\"tool_call\"]");
        assertThat(attributes.path("gen_ai.input.messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a weather bot.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\"}]}]");
        assertThat(attributes.path("gen_ai.output.messages").toString()).isEqualTo(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Let me check.\"},"
                + "{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"forecast\",\"arguments\":{\"city\":\"Paris\"}}],"
                + "\"finish_reason\":\"tool_call\"}]");
    }

    @Test
    void spanKindDefaultsToInternalAndCanBeSetOnTheSpan() {
        try (Span server = tracer.span("handle_request", NodeType.AGENT).kind(SpanKind.SERVER)) {
            tracer.run("step", NodeType.STEP, () -> { });
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans.get("handle_request").path("span_kind").asText()).isEqualTo("SERVER");
        assertThat(spans.get("step").path("span_kind").asText()).isEqualTo("INTERNAL");
        assertThat(readBack().nodes()).extracting(Node::spanKind).containsExactly("SERVER", "INTERNAL");
    }

    @Test
    void theReaderSumsTokensPerTraceAndPerSubtree() {
        try (Span run = tracer.span("agent", NodeType.AGENT)) {
            try (Span planner = tracer.span("planner", NodeType.AGENT)) {
                tracer.run("plan", NodeType.LLM, () -> GenAi.usage(tracer.currentSpan(), 100, 10));
                tracer.run("refine", NodeType.LLM, () -> GenAi.usage(tracer.currentSpan(), 50, 5));
            }
            tracer.run("answer", NodeType.LLM, () -> GenAi.usage(tracer.currentSpan(), 7, 3));
        }
        TraceGraph graph = readBack();
        assertThat(graph.inputTokens()).isEqualTo(157);
        assertThat(graph.outputTokens()).isEqualTo(18);
        assertThat(graph.totalTokens()).isEqualTo(175);
        Node planner = graph.nodes().stream().filter(n -> n.name().equals("planner")).findFirst().orElseThrow();
        assertThat(planner.inputTokens()).isEqualTo(150);
        assertThat(planner.outputTokens()).isEqualTo(15);
        assertThat(graph.roots().get(0).totalTokens()).isEqualTo(175);
    }

    @Test
    void helpersOnANoopSpanDoNothingAndNeverThrow() {
        Span none = tracer.currentSpan();
        assertThat(GenAi.usage(GenAi.chat(none, null, null), 1, 2)).isSameAs(none);
        assertThat(GenAi.outputMessages(none, (List<Message>) null)).isSameAs(none);
        assertThat(target.lines()).isEmpty();
    }

    @Test
    void cacheAndReasoningTokensAreWrittenAndSummedOverTheTree() {
        try (Span run = tracer.span("agent", NodeType.AGENT)) {
            try (Span call = tracer.span("chat", NodeType.LLM)) {
                GenAi.usage(call, 1000, 300);
                GenAi.cacheUsage(call, 800, 100);
                GenAi.reasoningUsage(call, 200);
            }
            try (Span call = tracer.span("chat again", NodeType.LLM)) {
                GenAi.usage(call, 500, 50);
                GenAi.cacheUsage(call, 400, -1);
            }
        }
        runtime.flush();
        JsonNode attributes = target.endedSpans().get("chat").path("attributes");
        assertThat(attributes.path("gen_ai.usage.cache_read.input_tokens").asLong()).isEqualTo(800);
        assertThat(attributes.path("gen_ai.usage.cache_creation.input_tokens").asLong()).isEqualTo(100);
        assertThat(attributes.path("gen_ai.usage.reasoning.output_tokens").asLong()).isEqualTo(200);
        assertThat(target.endedSpans().get("chat again").path("attributes")
                .has("gen_ai.usage.cache_creation.input_tokens")).isFalse();

        Node root = readBack().roots().get(0);
        assertThat(root.inputTokens()).isEqualTo(1500);
        assertThat(root.outputTokens()).isEqualTo(350);
        assertThat(root.cacheReadInputTokens()).isEqualTo(1200);
        assertThat(root.cacheCreationInputTokens()).isEqualTo(100);
        assertThat(root.reasoningOutputTokens()).isEqualTo(200);
    }
}
