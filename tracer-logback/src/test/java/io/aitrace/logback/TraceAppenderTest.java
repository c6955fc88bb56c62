package io.aitrace.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ch.qos.logback.classic.LoggerContext;
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
import java.nio.file.Path;
import java.time.Duration;
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
class TraceAppenderTest {
    private static final Logger log = LoggerFactory.getLogger("com.acme.WeatherAgent");

    @TempDir
    Path dir;
    Path traceFile;
    TracerRuntime runtime;
    Tracer tracer;
    LoggerContext logback;

    @BeforeEach
    void setUp() {
        traceFile = dir.resolve("trace.jsonl");
        runtime = TracerRuntime.install(TracerConfig.builder().target(traceFile.toString()).build());
        tracer = TracerFactory.getTracer(TraceAppenderTest.class);
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
        logback = LogbackSetup.configure(resource, Map.of());
    }

    private TraceGraph readBack() throws IOException {
        assertThat(runtime.flush()).isTrue();
        TraceGraph graph = TraceReader.read(traceFile);
        assertThat(graph.problems()).isEmpty();
        return graph;
    }

    private static Node node(TraceGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> events(List<LogEntry> logs) {
        return logs.stream().map(LogEntry::event).collect(Collectors.toList());
    }

    @Test
    void linesLoggedInNestedSpansHangUnderTheSpanThatWroteThemInTimeOrder() throws IOException {
        configure("trace-appender.xml");
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            log.info("run started for {}", "Paris");
            try (Span llm = tracer.span("classify_intent", NodeType.LLM)) {
                log.debug("prompt built");
                try (Span tool = tracer.span("weather_api", NodeType.TOOL)) {
                    log.info("calling the weather API");
                }
                log.info("intent is {}", "weather_lookup");
            }
            log.warn("run done");
        }

        TraceGraph graph = readBack();
        Node agent = node(graph, "weather_agent");
        Node llm = node(graph, "classify_intent");
        Node tool = node(graph, "weather_api");
        assertThat(llm.parent()).isSameAs(agent);
        assertThat(tool.parent()).isSameAs(llm);
        assertThat(events(agent.logs())).containsExactly("run started for Paris", "run done");
        assertThat(events(llm.logs())).containsExactly("prompt built", "intent is weather_lookup");
        assertThat(events(tool.logs())).containsExactly("calling the weather API");
        assertThat(graph.logs()).extracting(LogEntry::event).containsExactly("run started for Paris", "prompt built",
                "calling the weather API", "intent is weather_lookup", "run done");
        assertThat(graph.logs()).extracting(LogEntry::timestamp).isSorted();

        LogEntry first = agent.logs().get(0);
        assertThat(first.level()).isEqualTo("info");
        assertThat(first.logger()).isEqualTo("com.acme.WeatherAgent");
        assertThat(first.thread()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.traceId()).isEqualTo(agent.traceId());
        assertThat(first.spanId()).isEqualTo(agent.spanId());
        assertThat(first.timestamp()).isBetween(agent.start(), agent.end());
        assertThat(agent.logs().get(1).level()).isEqualTo("warn");
        assertThat(first.attrs()).isEmpty();
        assertThat(first.error()).isNull();
    }

    @Test
    void mdcEntriesAndKeyValuePairsBecomeAttributesWithSecretsMasked() throws IOException {
        configure("trace-appender.xml");
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            MDC.put("user_id", "42");
            MDC.put("session_id", "s-123");
            log.atInfo().addKeyValue("model", "gpt-4o").addKeyValue("input_tokens", 17)
                    .addKeyValue("api_key", "sk-live-123").addKeyValue("cities", List.of("Paris", "Lyon"))
                    .log("calling model");
        }

        LogEntry line = node(readBack(), "weather_agent").logs().get(0);
        assertThat(line.event()).isEqualTo("calling model");
        assertThat(line.attrs()).containsExactly(
                entry("user_id", "42"),
                entry("session_id", "***"),
                entry("model", "gpt-4o"),
                entry("input_tokens", 17),
                entry("api_key", "***"),
                entry("cities", List.of("Paris", "Lyon")));
    }

    @Test
    void aLoggedExceptionBecomesAnErrorObjectWithItsStackAndCause() throws IOException {
        configure("trace-appender.xml");
        try (Span tool = tracer.span("weather_api", NodeType.TOOL)) {
            IllegalStateException failure = new IllegalStateException("forecast unavailable",
                    new IOException("connection reset"));
            log.error("tool failed", failure);
        }

        LogEntry line = node(readBack(), "weather_api").logs().get(0);
        assertThat(line.level()).isEqualTo("error");
        assertThat(line.event()).isEqualTo("tool failed");
        assertThat(line.error()).containsEntry("type", "java.lang.IllegalStateException")
                .containsEntry("message", "forecast unavailable");
        assertThat((String) line.error().get("stack"))
                .startsWith("java.lang.IllegalStateException: forecast unavailable")
                .contains("at io.aitrace.logback.TraceAppenderTest.aLoggedExceptionBecomesAnErrorObjectWithItsStackAndCause")
                .contains("Caused by: java.io.IOException: connection reset");
    }

    @Test
    void eventsOutsideAnySpanAreNotRecordedByDefault() throws IOException {
        configure("trace-appender.xml");
        log.info("before the run");
        tracer.run("agent", NodeType.AGENT, () -> log.info("in the run"));
        log.info("after the run");

        TraceGraph graph = readBack();
        assertThat(graph.logs()).extracting(LogEntry::event).containsExactly("in the run");
        assertThat(graph.orphanLogs()).isEmpty();
    }

    @Test
    void theSwitchRecordsEventsOutsideSpansAsTraceLessLines() throws IOException {
        configure("trace-appender-outside-spans.xml");
        log.info("before the run");
        tracer.run("agent", NodeType.AGENT, () -> log.info("in the run"));

        TraceGraph graph = readBack();
        assertThat(node(graph, "agent").logs()).extracting(LogEntry::event).containsExactly("in the run");
        assertThat(graph.orphanLogs()).singleElement().satisfies(line -> {
            assertThat(line.event()).isEqualTo("before the run");
            assertThat(line.traceId()).isNull();
            assertThat(line.spanId()).isNull();
        });
    }

    @Test
    void behindAnAsyncAppenderTheSpanComesFromTheIdsStampedOnTheLoggingThread() throws IOException {
        configure("async-trace-appender.xml");
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            log.info("from the agent");
            try (Span step = tracer.span("step", NodeType.STEP)) {
                MDC.put("user_id", "42");
                log.info("from the step");
            }
        }
        log.info("outside");
        logback.stop(); // the AsyncAppender hands over what it queued

        TraceGraph graph = readBack();
        assertThat(node(graph, "agent").logs()).extracting(LogEntry::event).containsExactly("from the agent");
        LogEntry step = node(graph, "step").logs().get(0);
        assertThat(step.event()).isEqualTo("from the step");
        assertThat(step.thread()).isEqualTo(Thread.currentThread().getName());
        assertThat(step.attrs()).as("the IDs are fields of the record, not attributes")
                .containsExactly(entry("user_id", "42"));
        assertThat(graph.orphanLogs()).isEmpty();
    }

    @Test
    void logging100000EventsWhileTheTargetIsBlockedNeverBlocksTheLoggingThreadAndCountsTheDrops() throws Exception {
        GateTarget stuck = new GateTarget();
        runtime = TracerRuntime.install(TracerConfig.builder().target("none").addTarget(stuck).queueCapacity(1024)
                .flushTimeout(Duration.ofSeconds(10)).build());
        configure("trace-appender.xml");
        long dropped;
        try {
            Thread app = new Thread(() -> {
                try (Span agent = tracer.span("busy_agent", NodeType.AGENT)) {
                    for (int i = 0; i < 100_000; i++) {
                        log.info("event {}", i);
                    }
                }
            }, "application");
            app.start();
            app.join(60_000);
            assertThat(app.isAlive()).as("the logging thread finished its 100,000 events").isFalse();
            dropped = runtime.droppedRecords();
        } finally {
            stuck.release.countDown();
        }

        assertThat(runtime.flush()).isTrue();
        // 100,002 records (span start, 100,000 lines, span end) into a queue of 1,024 behind a stuck target.
        assertThat(dropped).isGreaterThan(95_000);
        TraceGraph graph = TraceReader.readLines(stuck.lines());
        long spanRecords = stuck.lines().stream().filter(l -> l.contains("\"type\":\"span\"")).count();
        assertThat(graph.droppedRecords()).isEqualTo(dropped);
        assertThat(graph.logs().size() + spanRecords + dropped).as("every record is written or counted")
                .isEqualTo(100_002);
    }
}
