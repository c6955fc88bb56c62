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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingAiServiceTest {
    @TempDir
    Path dir;
    private FakeOpenAi server;
    private TracedRun run;

    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    public static class FlightTools {
        @Tool("Finds flights to a city")
        public String findFlights(String city) {
            return "TP123 to " + city;
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAi();
        run = new TracedRun(dir);
    }

    @AfterEach
    void stop() {
        run.close();
        server.close();
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + finishReason + "}]}";
    }

    private static String usage(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt
                + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    @Test
    void aStreamedServiceCallWithAToolEndsEverySpanUnderTheAgentWhateverThreadTheEventsCameOn() throws Exception {
        server.stream(
                        chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"findFlights\",\"arguments\":\"\"}}]}", null),
                        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"arg0\\\":\\\"Lisbon\\\"}\"}}]}",
                                null),
                        chunk("{}", "\"tool_calls\""),
                        usage(50, 9))
                .stream(chunk("{\"role\":\"assistant\",\"content\":\"Flight \"}", null),
                        chunk("{\"content\":\"TP123.\"}", null),
                        chunk("{}", "\"stop\""),
                        usage(70, 4));
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
}
