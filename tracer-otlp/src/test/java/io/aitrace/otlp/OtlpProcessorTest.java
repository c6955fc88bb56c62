package io.aitrace.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.Await;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.internal.pipeline.JsonLinesProcessor;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.SpanRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** OTLP export is a processor: it builds its spans from the typed records, with their nanoseconds, never from JSON. */
class OtlpProcessorTest {
    private static final OtlpTestReceiver RECEIVER = new OtlpTestReceiver();

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void theExportedSpanHasTheTypedRecordsNanosecondsWithNoJsonEncoderInTheRuntime() {
        List<SpanRecord> ended = new CopyOnWriteArrayList<>();
        RecordProcessor recording = new RecordProcessor() {
            @Override
            public void onEnd(SpanRecord span) {
                ended.add(span);
            }
        };
        try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target("none")
                .environment(Map.of()).systemProperties(new Properties())
                .configFile(Path.of("/nonexistent/aitrace.properties"))
                .otlpEndpoint(RECEIVER.baseUrl()).addProcessor(recording).build())) {
            assertThat(runtime.processors()).noneMatch(p -> p instanceof JsonLinesProcessor)
                    .anyMatch(p -> p instanceof OtlpTarget);
            Tracer tracer = runtime.tracer("test");
            try (Span tool = tracer.span("typed_tool", NodeType.TOOL)) {
                tool.output("forecast", "sunny");
            }
            runtime.flush();
        }
        assertThat(Await.until(() -> RECEIVER.spans().stream().anyMatch(r -> r.span().getName().equals("typed_tool")),
                Duration.ofSeconds(20))).isTrue();
        SpanRecord record = ended.get(0);
        OtlpTestReceiver.Received sent = RECEIVER.spans().stream()
                .filter(r -> r.span().getName().equals("typed_tool")).findFirst().orElseThrow();
        assertThat(sent.span().getStartTimeUnixNano()).isEqualTo(record.startEpochNanos());
        assertThat(sent.span().getEndTimeUnixNano()).isEqualTo(record.endEpochNanos());
        assertThat(OtlpTestReceiver.attributes(sent.span().getAttributesList()))
                .containsEntry("aitrace.node.type", "tool").containsEntry("output.value", "{\"forecast\":\"sunny\"}");
    }
}
