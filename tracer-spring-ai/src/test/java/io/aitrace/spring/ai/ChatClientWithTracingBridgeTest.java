package io.aitrace.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.spring.ai.app.WeatherApp;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application with Spring's tracing on ({@code spring-boot-starter-opentelemetry}: Boot's observation
 * module, Micrometer Tracing and its OpenTelemetry bridge): Spring AI's operations are recorded once, inside the
 * trace of Spring's HTTP server span.
 */
@SpringBootTest(classes = { WeatherApp.class, ChatClientWithTracingBridgeTest.SpringSpans.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.tracing.sampling.probability=1.0",
                "management.otlp.metrics.export.enabled=false" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ChatClientWithTracingBridgeTest extends WeatherAppTest {

    @Autowired
    SpringSpans springSpans;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        properties(registry, "with-tracing-bridge");
    }

    @Test
    void eachSpringAiOperationIsOneSpanInTheTraceOfSpringsHttpServerSpan() throws Exception {
        TraceGraph graph = traceOf("What's the weather in Paris?", 200);

        SpanData server = springSpans.awaitServerSpan();
        Node agent = only(graph, "spring_ai chat_client");
        assertThat(agent.traceId()).isEqualTo(server.getTraceId());
        assertThat(agent.parentSpanId()).isEqualTo(server.getSpanId());
        assertThat(all(graph, "chat gpt-4o-mini")).hasSize(2);
        assertThat(only(graph, "execute_tool weather").input()).isNotNull();
        // What Spring's SDK saw of the same request: aitrace's spans (aitrace makes them there) and nothing twice.
        List<String> names = springSpans.names(server.getTraceId());
        assertThat(names.stream().filter("chat gpt-4o-mini"::equals)).hasSize(2);
        assertThat(names.stream().filter("execute_tool weather"::equals)).hasSize(1);
        assertThat(names.stream().filter("spring_ai chat_client"::equals)).hasSize(1);
    }

    @Test
    void bootsConsoleLinesShowTheIdsOfTheSpanTheyWereLoggedIn(CapturedOutput output) throws Exception {
        TraceGraph graph = traceOf("What's the weather in Paris?", 200);

        Node tool = only(graph, "execute_tool weather");
        assertConsoleLineShowsIds(output.getOut(), "looking up the weather in Paris", tool);
        assertThat(tool.logs()).extracting(l -> l.event()).contains("looking up the weather in Paris");
    }

    /** Every span Spring's OpenTelemetry SDK ends, as Boot adds SpanProcessor beans to its tracer provider. */
    @TestConfiguration
    static class SpringSpans {
        final List<SpanData> ended = new CopyOnWriteArrayList<>();

        @Bean
        SpanProcessor recordingSpanProcessor() {
            return new SpanProcessor() {
                @Override
                public void onStart(Context parentContext, ReadWriteSpan span) {
                }

                @Override
                public boolean isStartRequired() {
                    return false;
                }

                @Override
                public void onEnd(ReadableSpan span) {
                    ended.add(span.toSpanData());
                }

                @Override
                public boolean isEndRequired() {
                    return true;
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            };
        }

        SpanData awaitServerSpan() {
            io.aitrace.core.Await.until(() -> ended.stream().anyMatch(SpringSpans::isServer));
            return ended.stream().filter(SpringSpans::isServer).reduce((a, b) -> b).orElseThrow();
        }

        private static boolean isServer(SpanData span) {
            return span.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER;
        }

        List<String> names(String traceId) {
            return ended.stream().filter(s -> s.getTraceId().equals(traceId)).map(SpanData::getName)
                    .collect(Collectors.toList());
        }
    }
}
