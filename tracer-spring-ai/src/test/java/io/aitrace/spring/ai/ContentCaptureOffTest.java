package io.aitrace.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.spring.ai.app.WeatherApp;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = WeatherApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "aitrace.spring-ai.capture-content=false")
@DirtiesContext
class ContentCaptureOffTest extends WeatherAppTest {

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        properties(registry, "content-off");
    }

    @Test
    void noMessageTextReachesTheRecordsButTheStructureAndTokensDo() throws Exception {
        TraceGraph graph = traceOf("What's the weather in Paris?", 200);

        String written = Files.readString(Paths.get(runtime.config().target()));
        assertThat(written).doesNotContain("What's the weather", "You are a weather assistant", FakeOpenAi.ANSWER,
                "sunny", "celsius", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.call.arguments");
        assertThat(graph.nodes()).extracting(Node::name)
                .contains("spring_ai chat_client", "Tool Calling Advisor", "AuditAdvisor", "execute_tool weather");
        assertThat(all(graph, "chat gpt-4o-mini")).hasSize(2);
        assertThat(graph.totalTokens()).isEqualTo(FakeOpenAi.TOOL_CALL_INPUT_TOKENS + FakeOpenAi.TOOL_CALL_OUTPUT_TOKENS
                + FakeOpenAi.ANSWER_INPUT_TOKENS + FakeOpenAi.ANSWER_OUTPUT_TOKENS);
        assertThat(only(graph, "execute_tool weather").input()).isNull();
    }
}
