package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.core.target.MemoryTraces;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.read.Edge;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans of other OpenTelemetry instrumentation, through AitraceSpanProcessor on the application's SDK. */
class ForeignSpansTest {
    private final MemoryTraces traces = new MemoryTraces();
    private final MemoryTarget lines = new MemoryTarget();
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private TracerRuntime runtime;
    private OpenTelemetrySdk sdk;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    /** aitrace with its own SDK; the application's SDK carries the processor. */
    private Tracer separateSdks() {
        runtime = TracerRuntime.create(MemoryTarget.config(lines).addTarget(traces).build());
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(AitraceSpanProcessor.create(runtime))
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build();
        return runtime.tracer("agent");
    }

    /** aitrace handed the application's SDK, which carries the processor (recording into the global runtime). */
    private Tracer sharedSdk() {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(AitraceSpanProcessor.create())
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build();
        runtime = TracerRuntime.install(MemoryTarget.config(lines).addTarget(traces).openTelemetry(sdk).build());
        return runtime.tracer("agent");
    }

    private static Node named(TraceGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private void chatThroughThePlainOpenTelemetryApi() {
        io.opentelemetry.api.trace.Span chat = sdk.getTracer("com.acme.llm-client").spanBuilder("chat gpt-4o")
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.request.model", "gpt-4o")
                .setAttribute("gen_ai.usage.input_tokens", 120L)
                .setAttribute("gen_ai.usage.output_tokens", 30L)
                .setAttribute("gen_ai.input.messages",
                        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\"}]}]")
                .setAttribute("gen_ai.output.messages",
                        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Sunny\"}]}]")
                .setAttribute("api_key", "sk-secret")
                .startSpan();
        chat.addEvent("first chunk", Attributes.of(AttributeKey.longKey("chunk"), 1L));
        chat.end();
    }

    @Test
    void aPlainOpenTelemetryChatSpanInsideAnAitraceSpanBecomesItsLlmChildWithTokens() {
        Tracer tracer = separateSdks();
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            chatThroughThePlainOpenTelemetryApi();
        }
        runtime.flush();
        TraceGraph graph = traces.last().orElseThrow();
        Node chat = named(graph, "chat gpt-4o");
        assertThat(chat.type()).isEqualTo(NodeType.LLM);
        assertThat(chat.parent().name()).isEqualTo("weather_agent");
        assertThat(chat.spanKind()).isEqualTo("CLIENT");
        assertThat(chat.inputTokens()).isEqualTo(120);
        assertThat(graph.totalTokens()).isEqualTo(150);
        assertThat(chat.attribute("gen_ai.request.model")).isEqualTo("gpt-4o");
        assertThat(chat.attribute("api_key")).isEqualTo("***");
        assertThat(chat.attribute("gen_ai.input.messages")).isInstanceOf(List.class);
        assertThat(chat.input().toString()).contains("Weather in Paris?");
        assertThat(chat.output().toString()).contains("Sunny");
        assertThat(chat.annotations()).singleElement().satisfies(a -> assertThat(a.text()).contains("first chunk"));
        assertThat(chat.resource()).containsKey("service.name");
    }

    @Test
    void theNodeTypeFollowsGenAiOperationThenOpenInferenceKindThenStep() {
        Tracer tracer = separateSdks();
        io.opentelemetry.api.trace.Tracer raw = sdk.getTracer("com.acme");
        Map<String, String[]> spans = Map.of(
                "tool", new String[] {"gen_ai.operation.name", "execute_tool"},
                "agent", new String[] {"gen_ai.operation.name", "invoke_workflow"},
                "embedding", new String[] {"gen_ai.operation.name", "embeddings"},
                "retrieval", new String[] {"openinference.span.kind", "RETRIEVER"},
                "decision", new String[] {"gen_ai.operation.name", "plan"},
                "step", new String[] {"http.request.method", "GET"});
        try (Span root = tracer.span("root", NodeType.AGENT)) {
            spans.forEach((name, attribute) ->
                    raw.spanBuilder(name).setAttribute(attribute[0], attribute[1]).startSpan().end());
        }
        runtime.flush();
        TraceGraph graph = traces.last().orElseThrow();
        spans.keySet().forEach(name -> assertThat(named(graph, name).type().name()).isEqualTo(name));
    }

    @Test
    void statusExceptionAndLinksAreKept() {
        Tracer tracer = separateSdks();
        String otherSpan;
        try (Span root = tracer.span("root", NodeType.AGENT)) {
            otherSpan = root.spanId();
            io.opentelemetry.api.trace.Span failing = sdk.getTracer("com.acme").spanBuilder("SELECT docs")
                    .addLink(io.opentelemetry.api.trace.Span.current().getSpanContext())
                    .startSpan();
            failing.recordException(new IllegalStateException("connection reset"));
            failing.setStatus(StatusCode.ERROR, "connection reset");
            failing.end();
        }
        runtime.flush();
        Node db = named(traces.last().orElseThrow(), "SELECT docs");
        assertThat(db.isError()).isTrue();
        assertThat(db.error()).containsEntry("type", "java.lang.IllegalStateException")
                .containsEntry("message", "connection reset");
        assertThat(db.edges()).extracting(Edge::toSpanId).containsExactly(otherSpan);
    }

    @Test
    void withTheSdkHandedToAitraceItsOwnSpansAreRecordedOnceAndForeignOnesNestUnderThem() {
        Tracer tracer = sharedSdk();
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            agent.input("query", "Weather in Paris?");
            chatThroughThePlainOpenTelemetryApi();
            tracer.run("render", NodeType.STEP, () -> { });
        }
        runtime.flush();
        TraceGraph graph = traces.last().orElseThrow();
        assertThat(graph.nodes()).extracting(Node::name)
                .containsExactlyInAnyOrder("weather_agent", "chat gpt-4o", "render");
        assertThat(named(graph, "chat gpt-4o").parent().name()).isEqualTo("weather_agent");
        assertThat(named(graph, "weather_agent").input().toString()).contains("Paris");
        long agentRecords = lines.records(r -> "weather_agent".equals(r.path("name").asText())
                && !r.path("end").isNull()).size();
        assertThat(agentRecords).isEqualTo(1);
        assertThat(exported.getFinishedSpanItems()).extracting(s -> s.getName())
                .contains("weather_agent", "chat gpt-4o", "render");
    }

    @Test
    void anAitraceSpanInsideAForeignSpanIsItsChildInOneTrace() {
        Tracer tracer = separateSdks();
        io.opentelemetry.api.trace.Span server = sdk.getTracer("com.acme.http").spanBuilder("POST /ask")
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).startSpan();
        try (Scope ignored = server.makeCurrent()) {
            tracer.run("weather_agent", NodeType.AGENT, () -> { });
        } finally {
            server.end();
        }
        runtime.flush();
        TraceGraph graph = traces.last().orElseThrow();
        assertThat(graph.roots()).extracting(Node::name).containsExactly("POST /ask");
        assertThat(named(graph, "weather_agent").parent().name()).isEqualTo("POST /ask");
    }

    @Test
    void foreignSpansBelowATraceLeftOutBySamplingAreLeftOutToo() {
        runtime = TracerRuntime.create(MemoryTarget.config(lines).addTarget(traces).sampleRatio(0).build());
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(AitraceSpanProcessor.create(runtime)).build()).build();
        try (Span root = runtime.tracer("agent").span("root", NodeType.AGENT)) {
            sdk.getTracer("com.acme").spanBuilder("GET /weather").startSpan().end();
        }
        sdk.getTracer("com.acme").spanBuilder("outside").startSpan().end();
        runtime.flush();
        assertThat(traces.traces()).flatExtracting(TraceGraph::nodes).extracting(Node::name)
                .containsExactly("outside");
    }

    @Test
    void anSdkBuiltByOpenTelemetryAutoconfigureGetsTheProcessorWithoutCode() {
        runtime = TracerRuntime.install(MemoryTarget.config(lines).addTarget(traces).build());
        sdk = io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of("otel.traces.exporter", "none", "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .disableShutdownHook().build().getOpenTelemetrySdk();
        try (Span agent = runtime.tracer("agent").span("weather_agent", NodeType.AGENT)) {
            chatThroughThePlainOpenTelemetryApi();
        }
        runtime.flush();
        Node chat = named(traces.last().orElseThrow(), "chat gpt-4o");
        assertThat(chat.type()).isEqualTo(NodeType.LLM);
        assertThat(chat.parent().name()).isEqualTo("weather_agent");
    }

    @Test
    void anSdkHandedToAitraceWithoutTheProcessorGetsOneHintOnStderr() throws Exception {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build();
        String without = Stderr.capture(() -> TracerRuntime.create(MemoryTarget.config(lines).openTelemetry(sdk).build())
                .close());
        assertThat(without).startsWith("aitrace: spans that other instrumentation makes through the OpenTelemetry SDK"
                + " given to TracerConfig are not recorded by aitrace: add AitraceSpanProcessor.create()");
        sdk.close();
        String with = Stderr.capture(() -> sharedSdk());
        assertThat(with).isEmpty();
        assertThat(exported.getFinishedSpanItems()).isEmpty(); // the probes never end, so they are never exported
    }
}
