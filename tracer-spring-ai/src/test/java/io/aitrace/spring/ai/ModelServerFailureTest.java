package io.aitrace.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.spring.ai.app.WeatherApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = WeatherApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ModelServerFailureTest extends WeatherAppTest {

    @Autowired
    ChatClient chatClient;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        properties(registry, "model-server-failure");
    }

    @AfterEach
    void modelServerRecovers() {
        MODEL.failWith(0);
    }

    @Test
    void aModelServerAnswering500GivesErrorSpansWithTheException() throws Exception {
        MODEL.failWith(500);

        TraceGraph graph = traceOf("What's the weather in Paris?", 500);

        Node call = only(graph, "chat gpt-4o-mini");
        assertThat(call.isError()).isTrue();
        assertThat(String.valueOf(call.error().get("message"))).contains("overloaded");
        assertThat(String.valueOf(call.error().get("stack"))).isNotBlank();
        Node agent = only(graph, "spring_ai chat_client");
        assertThat(agent.isError()).isTrue();
        assertThat(graph.nodes()).allSatisfy(node -> assertThat(node.isEnded()).isTrue());
    }

    @Test
    void theApplicationSeesSpringAisOwnExceptionUnchanged() throws Exception {
        MODEL.failWith(500);
        int before = trace().traceIds().size();

        Throwable thrown = catchThrowable(() -> chatClient.prompt().user("What's the weather in Paris?").call().content());

        assertThat(thrown).isNotNull();
        assertThat(thrown.getClass().getName()).doesNotStartWith("io.aitrace");
        assertThat(thrown.getMessage()).contains("overloaded");
        TraceGraph graph = trace();
        assertThat(graph.traceIds()).hasSize(before + 1);
        Node call = all(graph, "chat gpt-4o-mini").stream().filter(n -> n.isError())
                .reduce((a, b) -> a.start().isAfter(b.start()) ? a : b).orElseThrow();
        assertThat(call.error().get("type")).isEqualTo(thrown.getClass().getName());
    }
}
