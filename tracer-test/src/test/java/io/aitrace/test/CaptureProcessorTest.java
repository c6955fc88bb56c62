package io.aitrace.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.opentelemetry.context.Scope;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The capture behind {@link AitraceExtension} is a processor of typed records. Its runtime here has the target
 * {@code none}: no JSON encoder and no byte target exist, so every trace a test sees came from the typed records.
 */
class CaptureProcessorTest {

    private static TracerRuntime runtimeWithoutJson() {
        TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target("none").serviceName("capture-test")
                .environment(Map.of()).systemProperties(new Properties())
                .configFile(Path.of("/nonexistent/aitrace.properties"))
                .addProcessor(AitraceExtension.captureProcessor()).build());
        assertThat(runtime.targets()).as("byte targets").isEmpty();
        assertThat(runtime.processors()).containsExactly(AitraceExtension.captureProcessor());
        return runtime;
    }

    @Test
    void aTestsTraceIsBuiltFromTheTypedMaskedRecordsWithItsLogLinesAndLateEvaluations() {
        CapturedTraces traces = new CapturedTraces("CaptureProcessorTest.typed");
        try (TracerRuntime runtime = runtimeWithoutJson()) {
            Tracer tracer = runtime.tracer("test");
            String traceId;
            String toolId;
            try (Scope ignored = traces.context().makeCurrent();
                    Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
                try (Span tool = tracer.span("fetch_weather", NodeType.TOOL)) {
                    tool.input("request", Map.of("city", "Paris", "api_key", "sk-123"));
                    tool.output("forecast", "sunny");
                    traceId = tool.traceId();
                    toolId = tool.spanId();
                    runtime.submit(new LogRecord(runtime.now(), "info", "weather", "calling the API", traceId, toolId,
                            agent.spanId(), "main", Map.of(), null));
                }
            }
            runtime.submit(new EvaluationRecord(runtime.now(), traceId, toolId, "accuracy", 0.9, "pass", null));
            runtime.flush();
        } finally {
            traces.close();
        }

        TraceGraph trace = traces.single();
        Node root = trace.roots().get(0);
        assertThat(root.name()).isEqualTo("weather_agent");
        Node tool = root.children().get(0);
        assertThat(tool.name()).isEqualTo("fetch_weather");
        assertThat(tool.status()).isEqualTo("ok");
        assertThat(String.valueOf(tool.input())).contains("Paris", "***").doesNotContain("sk-123");
        assertThat(tool.output()).isEqualTo(Map.of("forecast", "sunny"));
        assertThat(tool.logs()).extracting(l -> l.event()).containsExactly("calling the API");
        assertThat(tool.evaluations()).extracting(e -> e.name() + " " + e.score() + " " + e.label())
                .containsExactly("accuracy 0.9 pass");
    }

    @Test
    void aFailedTestsPageGetsTheRecordsAsTheJsonLinesAFileWouldHold() {
        CapturedTraces traces = new CapturedTraces("CaptureProcessorTest.page");
        try (TracerRuntime runtime = runtimeWithoutJson()) {
            try (Scope ignored = traces.context().makeCurrent();
                    Span agent = runtime.tracer("test").span("booking_agent", NodeType.AGENT)) {
                agent.output("answer", "booked");
            }
            runtime.flush();
        } finally {
            traces.close();
        }

        assertThat(CapturedTraces.jsonLines(traces.records())).singleElement().asString()
                .startsWith("{\"v\":1,\"type\":\"span\",").contains("\"name\":\"booking_agent\"", "\"booked\"")
                .doesNotContain("\n");
    }
}
