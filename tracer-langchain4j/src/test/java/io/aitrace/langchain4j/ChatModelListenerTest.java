package io.aitrace.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.Node;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatModelListenerTest extends FakeServerTest {
    private ChatModel model(LangChain4jTracing tracing) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
                .temperature(0.2).maxTokens(300).maxRetries(0)
                .listeners(List.of(tracing.chatModelListener())).build();
    }

    private static ToolSpecification forecastTool() {
        return ToolSpecification.builder().name("forecast").description("Weather forecast for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
    }

    @Test
    void aBlockingCallIsAnLlmSpanWithTheGenAiAttributesUnderTheCurrentSpan() {
        server.json("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"forecast\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":57,\"completion_tokens\":17,"
                + "\"total_tokens\":74,\"prompt_tokens_details\":{\"cached_tokens\":32},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":5}}}");
        ChatModel model = model(run.tracing(true));
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from("You are a weather bot."), UserMessage.from("Weather in Paris?"))
                .toolSpecifications(forecastTool()).build();

        try (Span app = run.tracer.span("app", NodeType.AGENT)) {
            model.chat(request);
        }

        Node llm = run.node("chat gpt-4o-mini");
        assertThat(llm.type()).isEqualTo(NodeType.LLM);
        assertThat(llm.spanKind()).isEqualTo("CLIENT");
        assertThat(llm.parent().name()).isEqualTo("app");
        assertThat(llm.isError()).isFalse();
        Map<String, Object> a = llm.attributes();
        assertThat(a).containsEntry("gen_ai.operation.name", "chat").containsEntry("gen_ai.provider.name", "openai")
                .containsEntry("gen_ai.request.model", "gpt-4o-mini")
                .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
                .containsEntry("gen_ai.response.id", "chatcmpl-1")
                .containsEntry("gen_ai.request.temperature", 0.2)
                .containsEntry("gen_ai.response.finish_reasons", List.of("tool_call"));
        assertThat(((Number) a.get("gen_ai.request.max_tokens")).intValue()).isEqualTo(300);
        assertThat(((Number) a.get("gen_ai.usage.input_tokens")).intValue()).isEqualTo(57);
        assertThat(((Number) a.get("gen_ai.usage.output_tokens")).intValue()).isEqualTo(17);
        assertThat(((Number) a.get("gen_ai.usage.cache_read.input_tokens")).intValue()).isEqualTo(32);
        assertThat(((Number) a.get("gen_ai.usage.reasoning.output_tokens")).intValue()).isEqualTo(5);
        assertThat(a.get("gen_ai.input.messages")).isEqualTo(List.of(
                Map.of("role", "system", "parts", List.of(Map.of("type", "text", "content", "You are a weather bot."))),
                Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "Weather in Paris?")))));
        assertThat(a.get("gen_ai.output.messages")).isEqualTo(List.of(Map.of("role", "assistant",
                "parts", List.of(Map.of("type", "tool_call", "id", "call_1", "name", "forecast",
                        "arguments", "{\"city\":\"Paris\"}")),
                "finish_reason", "tool_call")));
        assertThat(a.get("gen_ai.tool.definitions")).asString()
                .contains("name=forecast", "description=Weather forecast for a city", "type=function", "city");
        assertThat(run.graph().inputTokens()).isEqualTo(57);
    }

    @Test
    void toolResultsAndAssistantToolCallsAreInputMessages() {
        server.json(FakeOpenAi.completion("chatcmpl-2", "Sunny, 21 degrees.", "stop", 90, 8));
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_1").name("forecast")
                .arguments("{\"city\":\"Paris\"}").build();
        model(run.tracing(true)).chat(ChatRequest.builder().messages(UserMessage.from("Weather in Paris?"),
                AiMessage.from(call), ToolExecutionResultMessage.from(call, "sunny, 21C")).build());

        Node llm = run.node("chat gpt-4o-mini");
        assertThat(llm.parent()).isNull();
        assertThat(llm.attribute("gen_ai.input.messages")).isEqualTo(List.of(
                Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "Weather in Paris?"))),
                Map.of("role", "assistant", "parts", List.of(Map.of("type", "tool_call", "id", "call_1",
                        "name", "forecast", "arguments", "{\"city\":\"Paris\"}"))),
                Map.of("role", "tool", "parts", List.of(Map.of("type", "tool_call_response", "id", "call_1",
                        "response", "sunny, 21C")))));
        assertThat(llm.attribute("gen_ai.output.messages")).isEqualTo(List.of(Map.of("role", "assistant",
                "parts", List.of(Map.of("type", "text", "content", "Sunny, 21 degrees.")), "finish_reason", "stop")));
        assertThat(((Number) llm.attribute("gen_ai.usage.input_tokens")).intValue()).isEqualTo(90);
        assertThat(((Number) llm.attribute("gen_ai.usage.output_tokens")).intValue()).isEqualTo(8);
    }

    @Test
    void aFailedCallIsAnErrorSpanWithTheExceptionAndTheCallerStillGetsIt() {
        server.error(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}");
        ChatModel model = model(run.tracing(true));

        assertThatThrownBy(() -> model.chat("Hello")).hasMessageContaining("Incorrect API key provided");

        Node llm = run.node("chat gpt-4o-mini");
        assertThat(llm.isError()).isTrue();
        assertThat(llm.isEnded()).isTrue();
        assertThat(String.valueOf(llm.error().get("type"))).contains("AuthenticationException");
        assertThat(String.valueOf(llm.error().get("message"))).contains("Incorrect API key provided");
    }

    @Test
    void aStreamingCallEndsOnTheStreamingThreadWithTokensAndTimeToFirstToken() throws Exception {
        server.stream(
                FakeOpenAi.chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                FakeOpenAi.chunk("{\"content\":\"Sunny\"}", null),
                FakeOpenAi.chunk("{\"content\":\" in Paris.\"}", null),
                FakeOpenAi.chunk("{}", "\"stop\""),
                FakeOpenAi.usageChunk(12, 4));
        LangChain4jTracing tracing = run.tracing(true);
        StreamingChatModel model = AitraceLangChain4j.timeToFirstToken(OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
                .listeners(List.of(tracing.chatModelListener())).build());
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder streamed = new StringBuilder();

        try (Span app = run.tracer.span("app", NodeType.AGENT)) {
            model.chat("Weather in Paris?", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partialResponse) {
                    streamed.append(partialResponse);
                }

                @Override
                public void onCompleteResponse(ChatResponse completeResponse) {
                    done.complete(completeResponse);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
        }
        assertThat(done.get(30, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Sunny in Paris.");
        assertThat(streamed).hasToString("Sunny in Paris.");

        Node llm = run.node("chat gpt-4o-mini");
        assertThat(llm.parent().name()).isEqualTo("app");
        assertThat(llm.isEnded()).isTrue();
        assertThat(((Number) llm.attribute("gen_ai.usage.input_tokens")).intValue()).isEqualTo(12);
        assertThat(((Number) llm.attribute("gen_ai.usage.output_tokens")).intValue()).isEqualTo(4);
        assertThat(llm.attribute("gen_ai.response.finish_reasons")).isEqualTo(List.of("stop"));
        double ttft = ((Number) llm.attribute("gen_ai.response.time_to_first_chunk")).doubleValue();
        assertThat(ttft).isPositive().isLessThanOrEqualTo(llm.duration().toNanos() / 1e9);
        assertThat(llm.attribute("gen_ai.output.messages")).isEqualTo(List.of(Map.of("role", "assistant",
                "parts", List.of(Map.of("type", "text", "content", "Sunny in Paris.")), "finish_reason", "stop")));
    }

    @Test
    void withoutContentCaptureNoMessageTextIsWritten() {
        server.json(FakeOpenAi.completion("chatcmpl-3", "The secret answer is forty-two.", "stop", 20, 7));
        model(run.tracing(false)).chat(ChatRequest.builder()
                .messages(SystemMessage.from("Confidential system prompt"), UserMessage.from("What is the answer?"))
                .build());

        Node llm = run.node("chat gpt-4o-mini");
        assertThat(llm.attributes()).doesNotContainKeys("gen_ai.input.messages", "gen_ai.output.messages")
                .containsEntry("gen_ai.response.finish_reasons", List.of("stop"));
        assertThat(((Number) llm.attribute("gen_ai.usage.output_tokens")).intValue()).isEqualTo(7);
        assertThat(run.text()).doesNotContain("forty-two", "Confidential", "What is the answer");
    }

    @Test
    void theCaptureSwitchIsReadFromTheSystemPropertyThenTheEnvironment() {
        java.util.Properties properties = new java.util.Properties();
        assertThat(ContentCapture.configured(properties, Map.of())).isTrue();
        assertThat(ContentCapture.configured(properties, Map.of("AITRACE_CAPTURE_CONTENT", "false"))).isFalse();
        properties.setProperty("aitrace.capture-content", "true");
        assertThat(ContentCapture.configured(properties, Map.of("AITRACE_CAPTURE_CONTENT", "false"))).isTrue();
        properties.setProperty("aitrace.capture-content", "FALSE");
        assertThat(ContentCapture.configured(properties, Map.of())).isFalse();
    }

    @Test
    void anAnswerWithoutUsageModelOrIdGivesASpanWithoutThoseFields() {
        server.json("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"ok\"}}]}");
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
                .listeners(List.of(run.tracing(true).chatModelListener())).build();

        assertThat(model.chat("hi")).isEqualTo("ok");

        Node llm = run.node("chat gpt-4o-mini");
        assertThat(llm.isError()).isFalse();
        assertThat(llm.isEnded()).isTrue();
        assertThat(llm.attributes()).doesNotContainKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
                "gen_ai.response.model", "gen_ai.response.id", "gen_ai.response.finish_reasons",
                "gen_ai.request.temperature");
        assertThat(llm.attribute("gen_ai.output.messages")).isEqualTo(List.of(Map.of("role", "assistant",
                "parts", List.of(Map.of("type", "text", "content", "ok")))));
    }

    @Test
    void aFailureInsideTheListenerNeverReachesTheApplication() {
        server.json(FakeOpenAi.completion("chatcmpl-4", "fine", "stop", 3, 1));
        LangChain4jTracing tracing = run.tracing(true);
        io.aitrace.Tracer broken = (io.aitrace.Tracer) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.aitrace.Tracer.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("tracer broke in " + method.getName());
                });
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test").modelName("m")
                .listeners(List.of(AitraceLangChain4j.builder().tracer(broken).build().chatModelListener(),
                        tracing.chatModelListener()))
                .build();

        assertThat(model.chat("hi")).isEqualTo("fine");
        assertThat(run.node("chat m").isEnded()).isTrue();
    }
}
