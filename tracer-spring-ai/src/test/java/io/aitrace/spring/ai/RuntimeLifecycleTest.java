package io.aitrace.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.TracerFactory;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.TracerRuntime;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.spring.ai.app.WeatherApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The aitrace runtime lives and dies with the application context. */
class RuntimeLifecycleTest {

    private static ConfigurableApplicationContext start(Path file, String... more) {
        String[] properties = {
                "spring.main.web-application-type=none",
                "spring.ai.openai.base-url=" + WeatherAppTest.MODEL.baseUrl(),
                "spring.ai.openai.api-key=sk-test-key",
                "spring.ai.openai.chat.options.model=gpt-4o-mini",
                "spring.application.name=weather-app",
                "aitrace.target=" + file,
                // Long enough that only the context's close can have written the records.
                "aitrace.flush.interval=10m" };
        return new SpringApplicationBuilder(WeatherApp.class)
                .properties(properties).properties(more).run();
    }

    @Test
    void closingTheContextFlushesTheRecordsOfSpansStillOpen() throws Exception {
        Path file = WeatherAppTest.traceFile("lifecycle-close");
        ConfigurableApplicationContext context = start(file);
        Span request = TracerFactory.getTracer(RuntimeLifecycleTest.class).span("handle_request", NodeType.AGENT);
        context.getBean(ChatClient.class).prompt().user("What's the weather in Paris?").call().content();

        context.close(); // the request span is still open: no root ended, no interval passed

        TraceGraph graph = TraceReader.read(file);
        Node agent = graph.nodes().stream().filter(n -> n.name().equals("spring_ai chat_client")).findFirst().orElseThrow();
        assertThat(agent.isEnded()).isTrue();
        assertThat(agent.parent().name()).isEqualTo("handle_request");
        assertThat(graph.nodes()).extracting(Node::name).contains("execute_tool weather", "chat gpt-4o-mini");
        request.close();
    }

    @Test
    void theRuntimeIsABeanAndTheGlobalRuntimeOfTracerFactory() {
        Path file = WeatherAppTest.traceFile("lifecycle-bean");
        try (ConfigurableApplicationContext context = start(file)) {
            TracerRuntime runtime = context.getBean(TracerRuntime.class);

            assertThat(runtime).isSameAs(TracerRuntime.global());
            assertThat(runtime.config().serviceName()).isEqualTo("weather-app");
            assertThat(runtime.config().target()).isEqualTo(file.toString());
        }
    }

    @Test
    void aitraceEnabledFalseRecordsNothing() throws Exception {
        Path file = WeatherAppTest.traceFile("lifecycle-disabled");
        try (ConfigurableApplicationContext context = start(file, "aitrace.enabled=false")) {
            String answer = context.getBean(ChatClient.class).prompt().user("What's the weather in Paris?").call()
                    .content();

            assertThat(answer).isEqualTo(FakeOpenAi.ANSWER);
        }
        assertThat(Files.exists(file) ? Files.readString(file) : "").isEmpty();
    }
}
