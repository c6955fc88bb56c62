package io.aitrace.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.aitrace.core.read.TraceReader;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/** Observations used out of order, with Micrometer's real registry and Spring AI's real contexts. */
class ObservationLifecycleTest {
    @TempDir
    Path dir;
    private TracerRuntime runtime;
    private ObservationRegistry registry;

    @BeforeEach
    void setUp() {
        runtime = TracerRuntime.create(TracerConfig.builder().target(dir.resolve("t.jsonl").toString()).build());
        registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new AitraceObservationHandler(
                new ObservationSpans(runtime.tracer("test"), AitraceSpringAiAutoConfiguration.mappings(), true)));
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private TraceGraph trace() throws Exception {
        runtime.flush();
        Path file = dir.resolve("t.jsonl");
        return java.nio.file.Files.exists(file) ? TraceReader.read(file) : TraceReader.parse("");
    }

    private Observation chat() {
        ChatModelObservationContext context = ChatModelObservationContext.builder()
                .prompt(new Prompt("hello")).provider("openai").build();
        return Observation.createNotStarted("gen_ai.client.operation", () -> context, registry);
    }

    @Test
    void anObservationStoppedWithoutStartingMakesNoSpanAndNoException() throws Exception {
        assertThatCode(() -> chat().stop()).doesNotThrowAnyException();

        assertThat(trace().nodes()).isEmpty();
    }

    @Test
    void anObservationStartedTwiceMakesOneSpan() throws Exception {
        Observation observation = chat();
        observation.start();
        assertThatCode(observation::start).doesNotThrowAnyException();
        observation.stop();
        observation.stop();

        TraceGraph graph = trace();
        assertThat(graph.nodes()).hasSize(1);
        assertThat(graph.nodes().get(0).isEnded()).isTrue();
    }

    @Test
    void anObservationStoppedOnAnotherThreadEndsItsSpan() throws Exception {
        Observation observation = chat().start();
        Observation.Scope scope = observation.openScope();
        scope.close();

        CompletableFuture.runAsync(observation::stop).get();

        Node span = trace().nodes().get(0);
        assertThat(span.name()).isEqualTo("chat");
        assertThat(span.isEnded()).isTrue();
        assertThat(runtime.tracer("test").currentSpan().isRecording()).isFalse();
    }

    @Test
    void aScopeOpenedOnTheObservationMakesItsSpanCurrentUntilClosed() {
        Observation observation = chat().start();
        String spanId;
        try (Observation.Scope ignored = observation.openScope()) {
            spanId = runtime.tracer("test").currentSpan().spanId();
        }
        assertThat(spanId).isNotEmpty();
        assertThat(runtime.tracer("test").currentSpan().isRecording()).isFalse();
        observation.stop();
    }

    @Test
    void aFailureInsideTheHandlerIsReportedOnceAndNeverReachesTheApplication() throws Exception {
        ToolDefinition broken = new ToolDefinition() {
            @Override
            public String name() {
                return "lookup";
            }

            @Override
            public String description() {
                throw new IllegalStateException("description unavailable");
            }

            @Override
            public String inputSchema() {
                return "{}";
            }
        };
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 3; i++) {
                ToolCallingObservationContext context = ToolCallingObservationContext.builder()
                        .toolDefinition(broken).toolCallArguments("{}").build();
                String result = Observation.createNotStarted("spring.ai.tool", () -> context, registry)
                        .observe(() -> "done");
                assertThat(result).isEqualTo("done");
            }
        } finally {
            System.setErr(original);
        }

        String reported = err.toString(StandardCharsets.UTF_8);
        assertThat(reported).contains("aitrace: internal error in the Spring AI observation handler",
                "description unavailable");
        assertThat(reported.lines().filter(l -> l.startsWith("aitrace:")).count()).isEqualTo(1);
        assertThat(trace().nodes()).extracting(Node::name).containsOnly("execute_tool lookup");
    }
}
