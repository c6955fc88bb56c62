package io.aitrace.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@SuppressWarnings("try") // spans opened only to be current while a line is logged
class TraceJsonEncoderTest {
    private static final Logger log = LoggerFactory.getLogger("com.acme.WeatherAgent");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path traceFile;
    Path logDir;
    Path logFile;
    TracerRuntime runtime;
    Tracer tracer;
    LoggerContext logback;

    @BeforeEach
    void setUp() throws IOException {
        traceFile = dir.resolve("traces").resolve("trace.jsonl");
        logDir = Files.createDirectories(dir.resolve("logs"));
        logFile = logDir.resolve("app.jsonl");
        runtime = TracerRuntime.install(TracerConfig.builder().target(traceFile.toString()).build());
        tracer = TracerFactory.getTracer(TraceJsonEncoderTest.class);
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
        if (logback != null) {
            assertThat(LogbackSetup.problems(logback)).as("Logback warnings and errors").isEmpty();
            logback.stop();
        }
    }

    private void configure(String resource) {
        logback = LogbackSetup.configure(resource, Map.of("logFile", logFile.toString()));
    }

    private void runTheAgent() {
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            MDC.put("user_id", "42");
            log.info("run started");
            try (Span llm = tracer.span("classify_intent", NodeType.LLM)) {
                log.atDebug().addKeyValue("model", "gpt-4o").addKeyValue("input_tokens", 17).log("calling model");
                try (Span tool = tracer.span("weather_api", NodeType.TOOL)) {
                    log.error("tool failed", new IllegalStateException("forecast unavailable"));
                }
            }
            MDC.remove("user_id");
            log.atWarn().addKeyValue("token", "sk-live-123").log("run done");
        }
    }

    private List<String> traceLines(String type) throws IOException {
        return Files.readAllLines(traceFile, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("{\"v\":1,\"type\":\"" + type + "\"")).collect(Collectors.toList());
    }

    @Test
    void aFileWrittenByTheEncoderReadsBackIntoTheSameGraphAsTheTraceAppenders() throws IOException {
        configure("trace-appender-and-json-file.xml");
        runTheAgent();
        assertThat(runtime.flush()).isTrue();
        List<String> encoded = LogbackSetup.lines(logFile, 4);

        assertThat(encoded).as("the encoder writes what the TraceAppender's writer wrote, byte for byte")
                .isEqualTo(traceLines("log")).hasSize(4);

        // The user's view: the spans from the trace file, the log lines from the Logback file, in one directory.
        Path merged = Files.createDirectories(dir.resolve("merged"));
        Files.write(merged.resolve("spans.jsonl"), traceLines("span"), StandardCharsets.UTF_8);
        Files.copy(logFile, merged.resolve("app.jsonl"));
        TraceGraph fromTraceAppender = TraceReader.read(traceFile);
        TraceGraph fromEncoder = TraceReader.read(merged);

        assertThat(fromEncoder.problems()).isEmpty();
        assertThat(fromEncoder.logs()).isEqualTo(fromTraceAppender.logs());
        assertThat(fromEncoder.nodes()).extracting(Node::name, Node::spanId, Node::parentSpanId)
                .isEqualTo(fromTraceAppender.nodes().stream()
                        .map(n -> org.assertj.core.groups.Tuple.tuple(n.name(), n.spanId(), n.parentSpanId()))
                        .collect(Collectors.toList()));
        for (Node node : fromTraceAppender.nodes()) {
            assertThat(fromEncoder.node(node.spanId()).orElseThrow().logs()).as(node.name())
                    .isEqualTo(node.logs()).isNotEmpty();
        }
        LogEntry failed = fromEncoder.nodes().stream().filter(n -> n.name().equals("weather_api")).findFirst()
                .orElseThrow().logs().get(0);
        assertThat(failed.error()).containsEntry("type", "java.lang.IllegalStateException");
    }

    @Test
    void everyEventIsWrittenAsOneLogRecordAlsoOutsideSpans() throws IOException {
        configure("trace-appender-and-json-file.xml");
        log.info("starting up");
        String trace;
        String span;
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            MDC.put("password", "hunter2");
            log.info("inside");
            trace = agent.traceId();
            span = agent.spanId();
        }

        List<String> lines = LogbackSetup.lines(logFile, 2);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"v\":1,\"type\":\"log\",\"timestamp\":\"")
                .endsWith("\"level\":\"info\",\"logger\":\"com.acme.WeatherAgent\",\"event\":\"starting up\","
                        + "\"trace_id\":null,\"span_id\":null,\"parent_span_id\":null,\"thread\":\""
                        + Thread.currentThread().getName() + "\",\"attrs\":{},\"exception\":null}");
        JsonNode inside = JSON.readTree(lines.get(1));
        assertThat(inside.path("trace_id").asText()).isEqualTo(trace);
        assertThat(inside.path("span_id").asText()).isEqualTo(span);
        assertThat(inside.path("attrs").toString()).isEqualTo("{\"password\":\"***\"}");

        TraceGraph graph = TraceReader.read(logFile);
        assertThat(graph.orphanLogs()).extracting(LogEntry::event).containsExactly("starting up");
        assertThat(graph.node(span).orElseThrow().logs()).extracting(LogEntry::event).containsExactly("inside");
    }

    @Test
    void behindAnAsyncAppenderTheIdsComeFromTheMdcStampedOnTheLoggingThread() throws IOException {
        configure("async-json-file.xml");
        String trace;
        String outer;
        String inner;
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            log.info("from the agent");
            try (Span step = tracer.span("step", NodeType.STEP)) {
                log.info("from the step");
                inner = step.spanId();
            }
            trace = agent.traceId();
            outer = agent.spanId();
        }

        List<JsonNode> records = LogbackSetup.lines(logFile, 2).stream().map(TraceJsonEncoderTest::parse)
                .collect(Collectors.toList());
        assertThat(records).extracting(r -> r.path("event").asText(), r -> r.path("trace_id").asText(),
                r -> r.path("span_id").asText(), r -> r.path("parent_span_id").asText(null))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("from the agent", trace, outer, null),
                        org.assertj.core.groups.Tuple.tuple("from the step", trace, inner, outer));
        assertThat(records).allSatisfy(r -> assertThat(r.path("attrs").size())
                .as("the IDs and trace flags are fields, not attributes").isZero());
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
