package io.aitrace.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.aitrace.read.LogEntry;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every complete logback.xml in docs/logback.md configures without warnings and does what the text says. */
class DocsExamplesTest {
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(<configuration>.*?</configuration>)\\n```",
            Pattern.DOTALL);
    private static final Logger log = LoggerFactory.getLogger("com.acme.WeatherAgent");

    @TempDir
    Path dir;

    static List<String> configurations() throws IOException {
        Path docs = Path.of(System.getProperty("basedir", ".")).resolve("../docs/logback.md");
        Matcher m = XML_BLOCK.matcher(Files.readString(docs, StandardCharsets.UTF_8));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @TestFactory
    Stream<DynamicTest> everyLogbackXmlInTheDocsWorksAsDescribed() throws IOException {
        List<String> blocks = configurations();
        assertThat(blocks).as("the set-ups of docs/logback.md").hasSize(4);
        return blocks.stream().map(xml -> DynamicTest.dynamicTest(
                "logback.xml #" + (blocks.indexOf(xml) + 1), () -> check(xml, dir.resolve("run" + blocks.indexOf(xml)))));
    }

    private void check(String xml, Path run) throws Exception {
        Path traceFile = run.resolve("trace.jsonl");
        Path logDir = run.resolve("logs");
        TracerRuntime runtime = TracerRuntime.install(TracerConfig.builder().target(traceFile.toString()).build());
        Tracer tracer = TracerFactory.getTracer(DocsExamplesTest.class);
        LoggerContext logback = LogbackSetup.configure(new java.io.ByteArrayInputStream(
                xml.getBytes(StandardCharsets.UTF_8)), Map.of("LOG_DIR", logDir.toString()));
        PrintStream stdout = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String trace;
        String span;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            log.info("idle");
            try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
                log.info("calling model");
                log.debug("prompt built");
                trace = agent.traceId();
                span = agent.spanId();
            }
            logback.stop(); // an AsyncAppender hands over what it queued
        } finally {
            System.setOut(stdout);
        }
        assertThat(LogbackSetup.problems(logback)).as("Logback warnings and errors").isEmpty();
        assertThat(runtime.flush()).isTrue();

        if (xml.contains("ConsoleAppender")) {
            assertThat(console.toString(StandardCharsets.UTF_8))
                    .contains("com.acme.WeatherAgent trace_id=" + trace + " span_id=" + span + " - calling model")
                    .contains("com.acme.WeatherAgent trace_id= span_id= - idle")
                    .doesNotContain("prompt built");
        }
        if (xml.contains("TraceJsonEncoder")) {
            TraceGraph logs = TraceReader.read(logDir);
            assertThat(logs.logs()).extracting(LogEntry::event).containsExactly("idle", "calling model");
            assertThat(logs.node(span).orElseThrow().logs()).extracting(LogEntry::event)
                    .containsExactly("calling model");
        }
        if (xml.contains("io.aitrace.logback.TraceAppender")) {
            TraceGraph graph = TraceReader.read(traceFile);
            assertThat(graph.node(span).orElseThrow().logs()).extracting(LogEntry::event)
                    .containsExactly("calling model", "prompt built");
            assertThat(graph.orphanLogs()).isEmpty();
        }
    }
}
