package io.aitrace.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.core.Await;
import io.aitrace.read.Node;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamingAiServiceTest extends FakeServerTest {
    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    public static class FlightTools {
        @Tool("Finds flights to a city")
        public String findFlights(String city) {
            return "TP123 to " + city;
        }
    }

    @Test
    void aStreamedServiceCallWithAToolEndsEverySpanUnderTheAgentWhateverThreadTheEventsCameOn() throws Exception {
        server.stream(
                        FakeOpenAi.chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"findFlights\",\"arguments\":\"\"}}]}", null),
                        FakeOpenAi.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"arg0\\\":\\\"Lisbon\\\"}\"}}]}",
                                null),
                        FakeOpenAi.chunk("{}", "\"tool_calls\""),
                        FakeOpenAi.usageChunk(50, 9))
                .stream(FakeOpenAi.chunk("{\"role\":\"assistant\",\"content\":\"Flight \"}", null),
                        FakeOpenAi.chunk("{\"content\":\"TP123.\"}", null),
                        FakeOpenAi.chunk("{}", "\"stop\""),
                        FakeOpenAi.usageChunk(70, 4));
        LangChain4jTracing tracing = run.tracing(true);
        StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                .streamingChatModel(AitraceLangChain4j.timeToFirstToken(OpenAiStreamingChatModel.builder()
                        .baseUrl(server.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
                        .listeners(List.of(tracing.chatModelListener())).build()))
                .tools(new FlightTools())
                .registerListeners(tracing.aiServiceListeners())
                .build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        try (Span app = run.tracer.span("app", NodeType.AGENT)) {
            assistant.chat("Flights to Lisbon?").onPartialResponse(text -> { })
                    .onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
        }

        assertThat(done.get(30, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Flight TP123.");
        assertThat(Await.until(() -> run.nodes("StreamingAssistant.chat").stream().anyMatch(Node::isEnded)))
                .as("the agent span ends").isTrue();
        Node agent = run.node("StreamingAssistant.chat");
        assertThat(agent.parent().name()).isEqualTo("app");
        assertThat(agent.children()).extracting(Node::name)
                .containsExactly("chat gpt-4o-mini", "findFlights", "chat gpt-4o-mini");
        assertThat(agent.children()).allMatch(Node::isEnded);
        Node first = agent.children().get(0);
        Node second = agent.children().get(2);
        assertThat(((Number) first.attribute("gen_ai.usage.input_tokens")).intValue()).isEqualTo(50);
        assertThat(((Number) second.attribute("gen_ai.usage.input_tokens")).intValue()).isEqualTo(70);
        assertThat(first.attribute("gen_ai.response.time_to_first_chunk")).isNotNull();
        assertThat(second.attribute("gen_ai.response.time_to_first_chunk")).isNotNull();
        assertThat(second.edges()).noneMatch(e -> e.type() == EdgeType.RETRY_OF);
        Node tool = agent.children().get(1);
        assertThat(tool.input()).isEqualTo("{\"arg0\":\"Lisbon\"}");
        assertThat(tool.output()).isEqualTo("TP123 to Lisbon");
        assertThat(agent.output()).isEqualTo("Flight TP123.");
    }

    @Test
    void aLaterModelCallOnTheCallingThreadIsNotTakenForTheStreamedServicesCall() throws Exception {
        // the streamed answer is held until the later call arrives: that call runs while the stream is in flight
        server.togetherReplies(Map.of(
                "Hello", FakeOpenAi.sse(FakeOpenAi.chunk("{\"role\":\"assistant\",\"content\":\"Hi.\"}", null),
                        FakeOpenAi.chunk("{}", "\"stop\""), FakeOpenAi.usageChunk(5, 2)),
                "Something else", new FakeOpenAi.Reply(200, "application/json",
                        FakeOpenAi.completion("chatcmpl-9", "Unrelated.", "stop", 9, 1))));
        LangChain4jTracing tracing = run.tracing(true);
        StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                        .modelName("gpt-4o-mini").build())
                .registerListeners(tracing.aiServiceListeners())
                .build();
        dev.langchain4j.model.chat.ChatModel other = dev.langchain4j.model.openai.OpenAiChatModel.builder()
                .baseUrl(server.baseUrl()).apiKey("sk-test").modelName("other-model")
                .listeners(List.of(tracing.chatModelListener())).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        assistant.chat("Hello").onPartialResponse(text -> { })
                .onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
        try (Span app = run.tracer.span("later", NodeType.AGENT)) {
            other.chat("Something else");
        }
        done.get(30, TimeUnit.SECONDS);

        assertThat(run.node("chat other-model").parent().name()).isEqualTo("later");
        assertThat(Await.until(() -> run.nodes("StreamingAssistant.chat").stream().anyMatch(Node::isEnded)))
                .isTrue();
        assertThat(run.node("StreamingAssistant.chat").children()).extracting(Node::name)
                .containsExactly("chat gpt-4o-mini");
    }
}
