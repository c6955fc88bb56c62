package io.aitrace.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.LoggingEventVO;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@SuppressWarnings("try") // spans opened only to be current while a line is logged
class TraceContextAppenderTest {
    private static final Logger log = LoggerFactory.getLogger(TraceContextAppenderTest.class);

    @TempDir
    Path dir;
    Path logFile;
    Tracer tracer;
    LoggerContext logback;
    TracerRuntime runtime;

    @BeforeEach
    void setUp() {
        runtime = TracerRuntime.install(TracerConfig.builder().target(dir.resolve("trace.jsonl").toString()).build());
        tracer = TracerFactory.getTracer(TraceContextAppenderTest.class);
        logFile = dir.resolve("app.log");
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
        // The writer creates the trace file in the temporary folder: let it finish before the folder is deleted.
        runtime.close();
        if (logback != null) {
            assertThat(LogbackSetup.problems(logback)).as("Logback warnings and errors").isEmpty();
            logback.stop();
        }
    }

    private void configure(String resource) {
        logback = LogbackSetup.configure(resource, Map.of("logFile", logFile.toString()));
    }

    @Test
    void aPatternPrintsTheIdsOfTheCurrentSpanAndNothingOutsideSpans() {
        configure("pattern-ids.xml");
        String outer;
        String inner;
        String trace;
        String flags;
        log.info("before");
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            log.info("in agent");
            try (Span step = tracer.span("classify", NodeType.LLM)) {
                log.info("in step");
                inner = step.spanId();
            }
            outer = agent.spanId();
            trace = agent.traceId();
            flags = io.aitrace.core.SpanIds.current().traceFlags();
        }
        log.info("after");

        assertThat(LogbackSetup.lines(logFile, 4)).containsExactly(
                "[] [] [] [] before",
                "[" + trace + "] [" + outer + "] [] [" + flags + "] in agent",
                "[" + trace + "] [" + inner + "] [" + outer + "] [" + flags + "] in step",
                "[] [] [] [] after");
        assertThat(trace).matches("[0-9a-f]{32}");
        assertThat(inner).matches("[0-9a-f]{16}");
    }

    @Test
    void theIdsReachAPatternBehindAnAsyncAppender() {
        configure("async-ids.xml");
        String trace;
        String span;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            log.info("inside");
            trace = agent.traceId();
            span = agent.spanId();
        }
        log.info("outside");

        List<String> lines = LogbackSetup.lines(logFile, 2);
        String thread = Thread.currentThread().getName();
        assertThat(lines).containsExactly(
                "[" + trace + "] [" + span + "] [" + thread + "] inside",
                "[] [] [" + thread + "] outside");
    }

    @Test
    void aVirtualThreadPrintsTheIdsOfTheSpanItRunsIn() throws Exception {
        configure("pattern-ids.xml");
        String[] ids = new String[4];
        boolean[] virtual = new boolean[1];
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            ids[0] = agent.traceId();
            ids[1] = agent.spanId();
            Thread thread = Threads.startVirtual(Tracing.wrap(() -> {
                virtual[0] = Threads.isVirtual(Thread.currentThread());
                log.info("carried into the thread");
                try (Span tool = tracer.span("tool", NodeType.TOOL)) {
                    ids[2] = tool.spanId();
                    log.info("in a span of the thread");
                }
            }));
            thread.join(10_000);
            ids[3] = io.aitrace.core.SpanIds.current().traceFlags();
        }

        assertThat(virtual[0]).as("a virtual thread (a platform thread on JDK 17)")
                .isEqualTo(Runtime.version().feature() >= 21);
        assertThat(LogbackSetup.lines(logFile, 2)).containsExactly(
                "[" + ids[0] + "] [" + ids[1] + "] [] [" + ids[3] + "] carried into the thread",
                "[" + ids[0] + "] [" + ids[2] + "] [" + ids[1] + "] [" + ids[3] + "] in a span of the thread");
    }

    @Test
    void aWrappedExecutorTaskPrintsTheIdsOfTheSpanThatSubmittedIt() throws Exception {
        configure("pattern-ids.xml");
        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(2));
        String trace;
        String span;
        String flags;
        try {
            try (Span agent = tracer.span("agent", NodeType.AGENT)) {
                trace = agent.traceId();
                span = agent.spanId();
                flags = io.aitrace.core.SpanIds.current().traceFlags();
                pool.submit(() -> log.info("in the task")).get(10, TimeUnit.SECONDS);
            }
            pool.submit(() -> log.info("task outside spans")).get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }

        assertThat(LogbackSetup.lines(logFile, 2)).containsExactly(
                "[" + trace + "] [" + span + "] [] [" + flags + "] in the task",
                "[] [] [] [] task outside spans");
    }

    @Test
    void anEventWhoseMdcAlreadyHasATraceIdIsLeftAlone() {
        configure("pattern-ids.xml");
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            MDC.put("trace_id", "from-the-gateway");
            log.info("stamped upstream");
            MDC.remove("trace_id");
        }

        assertThat(LogbackSetup.lines(logFile, 1)).containsExactly("[from-the-gateway] [] [] [] stamped upstream");
    }

    @Test
    void keyNamesAreConfigurable() {
        configure("custom-keys.xml");
        String trace;
        String inner;
        String outer;
        try (Span agent = tracer.span("agent", NodeType.AGENT); Span step = tracer.span("step")) {
            log.info("renamed");
            trace = step.traceId();
            inner = step.spanId();
            outer = agent.spanId();
        }

        assertThat(LogbackSetup.lines(logFile, 1)).singleElement().asString()
                .startsWith("traceId=" + trace + " spanId=" + inner + " parent=" + outer + " flags=")
                .endsWith(" trace_id= renamed");
    }

    @Test
    void callerDataSurvivesBecauseTheEventIsNotWrapped() {
        configure("caller-data.xml");
        String span;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            log.info("who called");
            span = agent.spanId();
        }

        assertThat(LogbackSetup.lines(logFile, 1))
                .containsExactly("TraceContextAppenderTest.callerDataSurvivesBecauseTheEventIsNotWrapped [" + span
                        + "] who called");
    }

    @Test
    void aJsonEncoderDownstreamWritesTheIdsWithTheOtherMdcEntries() throws Exception {
        configure("logback-json-ids.xml");
        String trace;
        String span;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            MDC.put("user_id", "42");
            log.info("as json");
            trace = agent.traceId();
            span = agent.spanId();
        }

        String line = LogbackSetup.lines(logFile, 1).stream().filter(l -> l.contains("as json")).findFirst()
                .orElseThrow();
        JsonNode mdc = new ObjectMapper().readTree(line).path("mdc");
        assertThat(mdc.path("trace_id").asText()).isEqualTo(trace);
        assertThat(mdc.path("span_id").asText()).isEqualTo(span);
        assertThat(mdc.path("user_id").asText()).isEqualTo("42");
    }

    @Test
    void theIdsAreAddedAlsoWhenAnAppenderBeforeItReadTheMdc() {
        configure("trace-before-ids.xml");
        String trace;
        String span;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            MDC.put("user_id", "42");
            log.info("second in line");
            trace = agent.traceId();
            span = agent.spanId();
        }

        assertThat(LogbackSetup.lines(logFile, 1))
                .containsExactly("[" + trace + "] [" + span + "] user=42 second in line");
    }

    @Test
    void anMdcEntryPutBetweenTwoLinesOfOneSpanReachesOnlyTheSecond() throws Exception {
        configure("logback-json-ids.xml");
        String span;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            log.info("first");
            MDC.put("user_id", "42");
            log.info("second");
            MDC.remove("user_id");
            log.info("third");
            span = agent.spanId();
        }

        List<JsonNode> mdcs = new ArrayList<>();
        for (String line : LogbackSetup.lines(logFile, 3)) {
            mdcs.add(new ObjectMapper().readTree(line).path("mdc"));
        }
        assertThat(mdcs).extracting(mdc -> mdc.path("span_id").asText()).containsExactly(span, span, span);
        assertThat(mdcs).extracting(mdc -> mdc.path("user_id").asText("none")).containsExactly("none", "42", "none");
    }

    @Test
    void anIdKeyTheApplicationPutItselfIsReplacedByTheCurrentSpans() {
        configure("pattern-ids.xml");
        String span;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            MDC.put("span_id", "stale");
            log.info("current wins");
            MDC.remove("span_id");
            span = agent.spanId();
        }

        assertThat(LogbackSetup.lines(logFile, 1)).singleElement().asString()
                .contains("] [" + span + "] [] [").endsWith(" current wins");
    }

    @Test
    void aLineAfterTheSpanEndedOnAnotherThreadCarriesTheParentsIds() throws Exception {
        configure("pattern-ids.xml");
        String outer;
        String inner;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            Span call = tracer.span("chat", NodeType.LLM);
            log.info("while the call runs");
            CompletableFuture.runAsync(call::close).get(10, TimeUnit.SECONDS);
            log.info("after the callback ended it");
            outer = agent.spanId();
            inner = call.spanId();
        }

        List<String> lines = LogbackSetup.lines(logFile, 2);
        assertThat(lines.get(0)).contains("] [" + inner + "] [" + outer + "] [");
        assertThat(lines.get(1)).contains("] [" + outer + "] [] [");
    }

    @Test
    void theMdcOfAStampedEventSerializesAsAPlainMapWithTheIds() throws Exception {
        configure("pattern-ids.xml");
        TraceContextAppender appender = (TraceContextAppender) logback.getLogger("ROOT").getAppender("TRACE_IDS");
        LoggingEvent event = new LoggingEvent(
                TraceContextAppenderTest.class.getName(), logback.getLogger("x"), Level.INFO,
                "sent over a socket", null, null);
        String span;
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            MDC.put("user_id", "42");
            appender.doAppend(event);
            span = agent.spanId();
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(LoggingEventVO.build(event));
        }
        Object read;
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(bytes.toByteArray()))) {
            read = in.readObject();
        }
        assertThat(((ILoggingEvent) read).getMDCPropertyMap())
                .containsEntry("user_id", "42").containsEntry("span_id", span).containsKey("trace_id")
                .containsKey("trace_flags").doesNotContainKey("parent_span_id");
    }
}
