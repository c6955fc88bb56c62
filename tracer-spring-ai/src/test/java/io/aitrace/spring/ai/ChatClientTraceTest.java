package io.aitrace.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.spring.ai.app.WeatherApp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = WeatherApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ChatClientTraceTest extends WeatherAppTest {

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        properties(registry, "chat-client");
    }

    @Test
    void oneRequestIsOneTraceWithTheChatClientAdvisorModelCallsAndTool() throws Exception {
        TraceGraph graph = traceOf("What's the weather in Paris?", 200);

        Node agent = only(graph, "spring_ai chat_client");
        assertThat(agent.type()).isEqualTo(NodeType.AGENT);
        assertThat(agent.parentSpanId()).isNull();
        assertThat(agent.attribute("gen_ai.operation.name")).isEqualTo("invoke_agent");
        assertThat(agent.resource()).containsEntry("service.name", "weather-app");
        assertThat(agent.input()).isEqualTo(Map.of("messages", List.of(
                Map.of("role", "system", "parts", List.of(Map.of("type", "text", "content", "You are a weather assistant."))),
                Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "What's the weather in Paris?"))))));
        assertThat(agent.output()).isEqualTo(Map.of("answer", FakeOpenAi.ANSWER));

        // Spring AI's tool loop advisor calls the rest of the chain once per model call: two passes.
        Node toolLoop = only(graph, "Tool Calling Advisor");
        assertThat(toolLoop.type()).isEqualTo(NodeType.STEP);
        assertThat(toolLoop.parent()).isSameAs(agent);
        List<Node> audits = all(graph, "AuditAdvisor");
        assertThat(audits).hasSize(2).allSatisfy(audit -> {
            assertThat(audit.type()).isEqualTo(NodeType.STEP);
            assertThat(audit.attribute("spring.ai.advisor.name")).isEqualTo("AuditAdvisor");
            assertThat(audit.parent()).isSameAs(toolLoop);
        });

        List<Node> calls = all(graph, "chat gpt-4o-mini");
        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(call.type()).isEqualTo(NodeType.LLM);
            assertThat(call.spanKind()).isEqualTo("CLIENT");
            assertThat(call.attribute("gen_ai.provider.name")).isEqualTo("openai");
            assertThat(call.attribute("gen_ai.request.model")).isEqualTo("gpt-4o-mini");
            assertThat(call.attribute("gen_ai.response.model")).isEqualTo("gpt-4o-mini-2024-07-18");
            assertThat(audits).anySatisfy(audit -> assertThat(isBelow(call, audit)).isTrue());
        });
        Node first = calls.get(0).start().isBefore(calls.get(1).start()) ? calls.get(0) : calls.get(1);
        Node second = first == calls.get(0) ? calls.get(1) : calls.get(0);
        assertThat(first.inputTokens()).isEqualTo(FakeOpenAi.TOOL_CALL_INPUT_TOKENS);
        assertThat(first.outputTokens()).isEqualTo(FakeOpenAi.TOOL_CALL_OUTPUT_TOKENS);
        assertThat(second.inputTokens()).isEqualTo(FakeOpenAi.ANSWER_INPUT_TOKENS);
        assertThat(second.outputTokens()).isEqualTo(FakeOpenAi.ANSWER_OUTPUT_TOKENS);
        assertThat(graph.totalTokens()).isEqualTo(FakeOpenAi.TOOL_CALL_INPUT_TOKENS + FakeOpenAi.TOOL_CALL_OUTPUT_TOKENS
                + FakeOpenAi.ANSWER_INPUT_TOKENS + FakeOpenAi.ANSWER_OUTPUT_TOKENS);
        assertThat(first.attribute("gen_ai.input.messages")).isEqualTo(List.of(
                Map.of("role", "system", "parts", List.of(Map.of("type", "text", "content", "You are a weather assistant."))),
                Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "What's the weather in Paris?")))));
        assertThat(first.attribute("gen_ai.output.messages")).isEqualTo(List.of(Map.of("role", "assistant",
                "parts", List.of(Map.of("type", "tool_call", "id", "call_1", "name", "weather",
                        "arguments", Map.of("city", "Paris"))),
                "finish_reason", "tool_calls")));
        assertThat(second.attribute("gen_ai.output.messages")).isEqualTo(List.of(Map.of("role", "assistant",
                "parts", List.of(Map.of("type", "text", "content", FakeOpenAi.ANSWER)), "finish_reason", "stop")));
        assertThat(String.valueOf(second.attribute("gen_ai.input.messages"))).contains("tool_call_response", "sunny");

        Node tool = only(graph, "execute_tool weather");
        assertThat(tool.type()).isEqualTo(NodeType.TOOL);
        assertThat(tool.attribute("gen_ai.tool.name")).isEqualTo("weather");
        assertThat(tool.attribute("gen_ai.tool.call.id")).isEqualTo("call_1");
        assertThat(tool.input()).isEqualTo(Map.of("city", "Paris"));
        assertThat(tool.output()).isEqualTo(Map.of("city", "Paris", "sky", "sunny", "celsius", 21));
        assertThat(tool.parent()).isSameAs(toolLoop);
        assertThat(tool.start()).isAfterOrEqualTo(first.end());
        assertThat(tool.end()).isBeforeOrEqualTo(second.start());
    }

    @Test
    void theApplicationGetsTheModelsAnswer() throws Exception {
        HttpResponse<String> response = ask("What's the weather in Paris?");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(FakeOpenAi.ANSWER);
    }

    @Test
    void aLogLineWrittenInsideTheToolHangsUnderTheToolSpan() throws Exception {
        TraceGraph graph = traceOf("What's the weather in Paris?", 200);

        Node tool = only(graph, "execute_tool weather");
        LogEntry line = tool.logs().stream().filter(l -> l.event().equals("looking up the weather in Paris"))
                .findFirst().orElseThrow();
        assertThat(line.logger()).endsWith("WeatherTools");
        assertThat(line.attrs()).doesNotContainKeys("traceId", "spanId");
    }

    @Test
    void bootsDefaultConsoleLinesShowTheIdsOfTheSpanTheyWereLoggedIn(CapturedOutput output) throws Exception {
        TraceGraph graph = traceOf("What's the weather in Paris?", 200);

        Node tool = only(graph, "execute_tool weather");
        assertConsoleLineShowsIds(output.getOut(), "looking up the weather in Paris", tool);
        String outside = output.getOut().lines().filter(l -> l.contains("asking the model"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(outside).doesNotContain(tool.traceId());
    }
}
