package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenTelemetryInteropTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
            .build();
    private final io.opentelemetry.api.trace.Tracer raw = sdk.getTracer("raw-instrumentation");
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).openTelemetry(sdk).build());
    private final Tracer tracer = runtime.tracer("interop");

    @AfterEach
    void close() {
        runtime.close();
        sdk.close();
    }

    @Test
    void anAitraceSpanInsideARawOpenTelemetrySpanIsItsChild() {
        io.opentelemetry.api.trace.Span http = raw.spanBuilder("POST /chat").startSpan();
        try (Scope ignored = http.makeCurrent()) {
            tracer.run("agent", NodeType.AGENT, () -> { });
        } finally {
            http.end();
        }
        runtime.flush();
        JsonNode agent = target.endedSpans().get("agent");
        assertThat(agent.path("trace_id").asText()).isEqualTo(http.getSpanContext().getTraceId());
        assertThat(agent.path("parent_span_id").asText()).isEqualTo(http.getSpanContext().getSpanId());
    }

    @Test
    void aRawOpenTelemetrySpanInsideAnAitraceSpanIsItsChild() {
        String agentSpanId;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            agentSpanId = agent.spanId();
            io.opentelemetry.api.trace.Span db = raw.spanBuilder("SELECT docs").startSpan();
            db.end();
            try (Span inner = tracer.span("after_db", NodeType.STEP)) {
                inner.annotate("still under the agent");
            }
        }
        runtime.flush();
        SpanData db = exported.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("SELECT docs")).findFirst().orElseThrow();
        assertThat(db.getParentSpanId()).isEqualTo(agentSpanId);
        assertThat(SpanTreeTest.parentName(target.endedSpans(), "after_db")).isEqualTo("agent");
    }

    @Test
    void anOpenTelemetryWithoutAnSdkIsReplacedByAitracesOwnWithAWarning() throws Exception {
        MemoryTarget records = new MemoryTarget();
        String err = Stderr.capture(() -> {
            try (TracerRuntime noop = TracerRuntime.create(MemoryTarget.config(records)
                    .openTelemetry(io.opentelemetry.api.OpenTelemetry.noop()).build())) {
                noop.tracer("noop").run("agent", NodeType.AGENT, () -> { });
                noop.flush();
            }
        });
        assertThat(err).contains("aitrace: the OpenTelemetry instance given to TracerConfig makes spans without IDs");
        assertThat(records.endedSpans().get("agent").path("trace_id").asText())
                .matches("[0-9a-f]{32}").isNotEqualTo("00000000000000000000000000000000");
    }

    @Test
    void aitraceSpansReachTheApplicationsOpenTelemetryExportersWithTheirAttributes() {
        try (Span llm = tracer.span("classify", NodeType.LLM)) {
            llm.attribute("gen_ai.request.model", "gpt-4o").attribute("gen_ai.usage.input_tokens", 12);
            llm.annotate("routing to weather");
        }
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        SpanData span = spans.get(0);
        assertThat(span.getName()).isEqualTo("classify");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("aitrace.node_type"))).isEqualTo("llm");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o");
        assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(12L);
        assertThat(span.getEvents()).extracting(e -> e.getName()).containsExactly("routing to weather");
    }
}
