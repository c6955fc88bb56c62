package io.aitrace.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.internal.pipeline.JsonLinesProcessor;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import io.aitrace.core.target.ConsoleTarget;
import io.aitrace.core.target.MemoryTraces;
import io.aitrace.core.target.SpanListener;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every in-process consumer is a processor fed typed records. With the target {@code none} the runtime has no JSON
 * encoder at all, so whatever these consumers show came from the typed records, not from JSON.
 */
class RecordProcessorTest {

    private static TracerConfig.Builder noJson() {
        return TracerConfig.builder().target("none").serviceName("processor-test").environment(Map.of())
                .systemProperties(new Properties()).configFile(Path.of("/nonexistent/aitrace.properties"));
    }

    private static void assertNoJsonEncoder(TracerRuntime runtime) {
        assertThat(runtime.processors()).noneMatch(p -> p instanceof JsonLinesProcessor);
        assertThat(runtime.targets()).isEmpty();
    }

    /** Keeps what it is handed, with the method it came through. */
    private static final class Recording implements RecordProcessor {
        final List<String> calls = new ArrayList<>();
        final List<TraceRecord> records = new ArrayList<>();

        @Override public synchronized void onStart(SpanRecord span) { add("start " + span.name(), span); }
        @Override public synchronized void onSnapshot(SpanRecord span) { add("snapshot " + span.name(), span); }
        @Override public synchronized void onEnd(SpanRecord span) { add("end " + span.name(), span); }
        @Override public synchronized void onLog(LogRecord log) { add("log " + log.event(), log); }
        @Override public synchronized void onEvaluation(EvaluationRecord e) { add("evaluation " + e.name(), e); }
        @Override public boolean needsStartRecords() { return true; }

        private void add(String call, TraceRecord record) {
            calls.add(call);
            records.add(record);
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }
    }

    @Test
    void aProcessorGetsEachRecordTypedAndMaskedThroughTheMethodForItsKind() {
        Recording recording = new Recording();
        try (TracerRuntime runtime = TracerRuntime.create(noJson().addProcessor(recording).build())) {
            assertNoJsonEncoder(runtime);
            Tracer tracer = runtime.tracer("test");
            String traceId;
            String spanId;
            try (Span agent = tracer.span("agent", NodeType.AGENT)) {
                agent.input("request", Map.of("city", "Paris", "api_key", "sk-123"));
                agent.snapshot();
                traceId = agent.traceId();
                spanId = agent.spanId();
                runtime.submit(new LogRecord(runtime.now(), "info", "test", "working", traceId, spanId, null, "main",
                        Map.of(), null));
            }
            runtime.submit(new EvaluationRecord(runtime.now(), traceId, spanId, "faithfulness", 0.8, "pass", null));
            runtime.flush();

            assertThat(recording.calls()).containsExactly("start agent", "snapshot agent", "log working", "end agent",
                    "evaluation faithfulness");
            SpanRecord end = (SpanRecord) recording.records.get(3);
            assertThat(end.ended()).isTrue();
            assertThat(end.endEpochNanos()).isGreaterThanOrEqualTo(end.startEpochNanos());
            assertThat(end.input().path("request").path("city").asText()).isEqualTo("Paris");
            assertThat(end.input().path("request").path("api_key").asText()).isEqualTo("***");
            assertThat(((SpanRecord) recording.records.get(1)).ended()).isFalse();
        }
    }

    @Test
    void memoryTracesBuildTheGraphFromTypedRecords() {
        MemoryTraces traces = new MemoryTraces();
        try (TracerRuntime runtime = TracerRuntime.create(noJson().addTarget(traces).build())) {
            assertNoJsonEncoder(runtime);
            Tracer tracer = runtime.tracer("test");
            try (Span agent = tracer.span("agent", NodeType.AGENT)) {
                agent.attribute("gen_ai.conversation.id", "conv-42");
                try (Span tool = tracer.span("weather_api", NodeType.TOOL)) {
                    tool.input("token", "secret-value");
                    tool.output("forecast", "sunny");
                }
            }
            runtime.flush();

            TraceGraph run = traces.byAttribute("gen_ai.conversation.id", "conv-42").get(0);
            Node root = run.roots().get(0);
            assertThat(root.name()).isEqualTo("agent");
            assertThat(root.children()).extracting(Node::name).containsExactly("weather_api");
            Node tool = root.children().get(0);
            assertThat(tool.isEnded()).isTrue();
            assertThat(tool.status()).isEqualTo("ok");
            assertThat(String.valueOf(tool.input())).contains("***").doesNotContain("secret-value");
            assertThat(String.valueOf(tool.output())).contains("sunny");
        }
    }

    @Test
    void theConsolePrintsTheTreeFromTypedRecords() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ConsoleTarget console = new ConsoleTarget(new PrintStream(printed, true, StandardCharsets.UTF_8),
                TreePrinter.Style.PLAIN, 0);
        try (TracerRuntime runtime = TracerRuntime.create(noJson().addProcessor(console).build())) {
            assertNoJsonEncoder(runtime);
            Tracer tracer = runtime.tracer("test");
            try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
                try (Span tool = tracer.span("fetch_weather", NodeType.TOOL)) {
                    tool.output("forecast", "sunny");
                }
            }
            runtime.flush();
        }
        String tree = printed.toString(StandardCharsets.UTF_8);
        assertThat(tree).startsWith("Trace: [agent] weather_agent (").contains("[tool] fetch_weather", "sunny");
    }

    @Test
    void listenersGetStartSnapshotAndEndFromTheRecordsKindNotFromGuessing() {
        List<String> seen = new ArrayList<>();
        SpanListener listener = new SpanListener() {
            @Override public void onStart(Node span) { seen.add("start " + span.name() + " " + span.status()); }
            @Override public void onSnapshot(Node span) { seen.add("snapshot " + span.name() + " " + span.status()); }
            @Override public void onEnd(Node span) { seen.add("end " + span.name() + " " + span.status()); }
        };
        try (TracerRuntime runtime = TracerRuntime.create(noJson().addListener(listener).build())) {
            assertNoJsonEncoder(runtime);
            Tracer tracer = runtime.tracer("test");
            try (Span agent = tracer.span("agent", NodeType.AGENT)) {
                agent.snapshot();
                agent.snapshot();
            }
            runtime.flush();
        }
        assertThat(seen).containsExactly("start agent running", "snapshot agent running", "snapshot agent running",
                "end agent ok");
    }

    @Test
    void startRecordsAreKeptWhenAProcessorNeedsThem() {
        Recording recording = new Recording();
        try (TracerRuntime runtime = TracerRuntime.create(noJson().addProcessor(recording).build())) {
            Tracer tracer = runtime.tracer("test");
            for (int i = 0; i < 50; i++) {
                try (Span step = tracer.span("step" + i, NodeType.STEP)) {
                    step.output("i", i);
                }
            }
            runtime.flush();
        }
        assertThat(recording.calls()).filteredOn(c -> c.startsWith("start ")).hasSize(50);
        assertThat(recording.calls()).filteredOn(c -> c.startsWith("end ")).hasSize(50);
    }
}
