package io.aitrace.core.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aitrace.read.Annotation;
import io.aitrace.read.Edge;
import io.aitrace.EdgeType;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String ROOT = "00f067aa0ba902b7";
    private static final String CHILD = "b7ad6b7169203331";
    private static final String LEAF = "53995c3f42cd8ad8";

    @TempDir
    Path dir;

    @Test
    void skipsAGarbageLineAndACutOffLastLineAndKeepsEveryGoodRecord() {
        String jsonl = String.join("\n",
                span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00.000000Z", "2026-11-21T18:00:05.000000Z"),
                span(TRACE, CHILD, ROOT, "llm", "2026-11-21T18:00:01.000000Z", "2026-11-21T18:00:02.000000Z"),
                "this is not json {",
                log(TRACE, CHILD, "calling model"),
                span(TRACE, LEAF, CHILD, "tool", "2026-11-21T18:00:01.500000Z", "2026-11-21T18:00:01.600000Z"),
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"1111");

        TraceGraph graph = TraceReader.parse(jsonl);

        assertThat(graph.nodes()).extracting(Node::name).containsExactly("agent", "llm", "tool");
        assertThat(graph.logs()).extracting(LogEntry::event).containsExactly("calling model");
        assertThat(graph.skippedLines()).isEqualTo(2);
        assertThat(graph.problems()).hasSize(2);
        assertThat(graph.problems().get(0)).startsWith("line 3: invalid JSON");
        assertThat(graph.problems().get(1)).startsWith("line 6: truncated");
        assertThat(graph.problems()).allSatisfy(problem -> assertThat(problem).doesNotContain("\n"));
    }

    @Test
    void endedRecordWinsOverTheStartRecordAndSnapshots() {
        TraceGraph graph = TraceReader.parse("""
                {"v":1,"type":"span","trace_id":"%1$s","span_id":"%2$s","name":"classify","node_type":"llm","start":"2026-11-21T18:00:00.000000Z","end":null,"status":"running","output":null}
                {"v":1,"type":"span","trace_id":"%1$s","span_id":"%2$s","name":"classify","node_type":"llm","start":"2026-11-21T18:00:00.000000Z","end":null,"status":"running","output":{"partial":true}}
                {"v":1,"type":"span","trace_id":"%1$s","span_id":"%2$s","name":"classify","node_type":"llm","start":"2026-11-21T18:00:00.000000Z","end":"2026-11-21T18:00:00.250000Z","status":"ok","output":{"intent":"weather_lookup"}}
                """.formatted(TRACE, ROOT));

        assertThat(graph.nodes()).hasSize(1);
        Node node = graph.nodes().get(0);
        assertThat(node.status()).isEqualTo("ok");
        assertThat(node.end()).isEqualTo(Instant.parse("2026-11-21T18:00:00.250Z"));
        assertThat(node.output()).isEqualTo(Map.of("intent", "weather_lookup"));
        assertThat(node.durationMs()).isEqualTo(250.0);
    }

    @Test
    void endedRecordIsNotReplacedByALaterStaleSnapshot() {
        TraceGraph graph = TraceReader.parse("""
                {"v":1,"type":"span","trace_id":"%1$s","span_id":"%2$s","name":"search","start":"2026-11-21T18:00:00.000000Z","end":"2026-11-21T18:00:01.000000Z","status":"error","error":{"type":"java.io.IOException","message":"timeout"},"output":null}
                {"v":1,"type":"span","trace_id":"%1$s","span_id":"%2$s","name":"search","start":"2026-11-21T18:00:00.000000Z","end":null,"status":"running","output":{"stale":true}}
                """.formatted(TRACE, ROOT));

        Node node = graph.node(ROOT).orElseThrow();
        assertThat(node.isEnded()).isTrue();
        assertThat(node.isError()).isTrue();
        assertThat(node.error()).containsEntry("type", "java.io.IOException").containsEntry("message", "timeout");
        assertThat(node.output()).isNull();
    }

    @Test
    void spanWithOnlyItsStartRecordReadsAsRunning() {
        TraceGraph graph = TraceReader.parse("""
                {"v":1,"type":"span","trace_id":"%s","span_id":"%s","name":"weather_agent","node_type":"agent","start":"2026-11-21T18:00:00.000000Z","end":null,"status":"ok"}
                """.formatted(TRACE, ROOT));

        Node node = graph.nodes().get(0);
        assertThat(node.end()).isNull();
        assertThat(node.isEnded()).isFalse();
        assertThat(node.status()).isEqualTo("running");
        assertThat(node.duration()).isNull();
        assertThat(node.type()).isEqualTo(NodeType.AGENT);
    }

    @Test
    void childrenLinkToTheirParentsAcrossThreeLevels() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                span(TRACE, LEAF, CHILD, "weather_api", "2026-11-21T18:00:02Z", "2026-11-21T18:00:03Z"),
                span(TRACE, CHILD, ROOT, "lookup", "2026-11-21T18:00:01Z", "2026-11-21T18:00:04Z"),
                span(TRACE, ROOT, null, "weather_agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:05Z")));

        assertThat(graph.roots()).extracting(Node::name).containsExactly("weather_agent");
        Node root = graph.roots().get(0);
        assertThat(root.children()).extracting(Node::name).containsExactly("lookup");
        Node leaf = root.children().get(0).children().get(0);
        assertThat(leaf.name()).isEqualTo("weather_api");
        assertThat(leaf.depth()).isEqualTo(2);
        assertThat(leaf.parent().parent()).isSameAs(root);
    }

    @Test
    void spansWhoseParentIsNotInTheInputAreRoots() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                span(TRACE, ROOT, null, "first_run", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"),
                span(TRACE, CHILD, "ffffffffffffffff", "orphaned_step", "2026-11-21T18:00:02Z", "2026-11-21T18:00:03Z"),
                span(TRACE, LEAF, ROOT, "child", "2026-11-21T18:00:00.5Z", "2026-11-21T18:00:00.6Z")));

        assertThat(graph.roots()).extracting(Node::name).containsExactly("first_run", "orphaned_step");
        assertThat(graph.node(CHILD).orElseThrow().parent()).isNull();
    }

    @Test
    void twoTracesInOneFileAreListedNewestFirst() {
        TraceGraph graph = TraceReader.parse(twoTraces());

        assertThat(graph.traceIds()).containsExactly(OTHER_TRACE, TRACE);
        assertThat(graph.roots()).extracting(Node::name).containsExactly("morning_run", "evening_run");
    }

    @Test
    void traceIdSelectsOneTraceWithItsSpansAndLogs() {
        TraceGraph graph = TraceReader.parse(twoTraces());

        TraceGraph morning = graph.trace(TRACE);

        assertThat(morning.nodes()).extracting(Node::name).containsExactly("morning_run", "morning_step");
        assertThat(morning.roots().get(0).children()).extracting(Node::name).containsExactly("morning_step");
        assertThat(morning.logs()).extracting(LogEntry::event).containsExactly("calling model");
        assertThat(morning.traceIds()).containsExactly(TRACE);
    }

    @Test
    void v1LogRecordsHangUnderTheirSpanWithLevelLowercasedAndExceptionAsError() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:05Z"),
                """
                {"v":1,"type":"log","timestamp":"2026-11-21T18:00:01.000000Z","level":"WARN","logger":"com.acme.Agent","event":"retrying","trace_id":"%s","span_id":"%s","thread":"main","attrs":{"attempt":2},"exception":{"type":"java.io.IOException","message":"reset"}}
                """.formatted(TRACE, ROOT)));

        LogEntry log = graph.node(ROOT).orElseThrow().logs().get(0);
        assertThat(log.event()).isEqualTo("retrying");
        assertThat(log.level()).isEqualTo("warn");
        assertThat(log.logger()).isEqualTo("com.acme.Agent");
        assertThat(log.thread()).isEqualTo("main");
        assertThat(log.timestamp()).isEqualTo(Instant.parse("2026-11-21T18:00:01Z"));
        assertThat(log.attrs()).containsExactly(Map.entry("attempt", 2));
        assertThat(log.error()).containsEntry("type", "java.io.IOException").containsEntry("message", "reset");
        assertThat(graph.orphanLogs()).isEmpty();
    }

    @Test
    void pythonClientLogsBecomeLogsUnderTheirSpanWithUnknownFieldsInAttrs() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                span(TRACE, ROOT, null, "login_flow", "2025-10-24T12:00:00Z", "2025-10-24T12:00:01Z"),
                """
                {"timestamp":"2025-10-24T12:00:00.123Z","event":"user_login","level":"INFO","trace_id":"%s","span_id":"%s","user_id":42,"plan":"pro"}
                """.formatted(TRACE, ROOT)));

        assertThat(graph.skippedLines()).isZero();
        LogEntry log = graph.node(ROOT).orElseThrow().logs().get(0);
        assertThat(log.event()).isEqualTo("user_login");
        assertThat(log.level()).isEqualTo("info");
        assertThat(log.timestamp()).isEqualTo(Instant.parse("2025-10-24T12:00:00.123Z"));
        assertThat(log.traceId()).isEqualTo(TRACE);
        assertThat(log.attrs()).containsExactly(Map.entry("user_id", 42), Map.entry("plan", "pro"));
    }

    @Test
    void pythonClientEpochSecondsTimestampsAreRead() {
        TraceGraph graph = TraceReader.parse("""
                {"timestamp":1761307200.123456,"event":"user_login","level":"info","trace_id":"%s","span_id":"%s"}
                """.formatted(TRACE, ROOT));

        assertThat(graph.logs().get(0).timestamp()).isEqualTo(Instant.parse("2025-10-24T12:00:00.123456Z"));
    }

    @Test
    void logWhoseSpanWasNeverSeenCreatesAnImplicitSpanUnderTheParentItNames() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                span(TRACE, ROOT, null, "agent", "2025-10-24T12:00:00Z", "2025-10-24T12:00:10Z"),
                """
                {"timestamp":"2025-10-24T12:00:03Z","event":"second","level":"info","trace_id":"%1$s","span_id":"%2$s","parent_span_id":"%3$s"}
                {"timestamp":"2025-10-24T12:00:01Z","event":"first","level":"info","trace_id":"%1$s","span_id":"%2$s","parent_span_id":"%3$s"}
                """.formatted(TRACE, CHILD, ROOT)));

        Node implicit = graph.node(CHILD).orElseThrow();
        assertThat(implicit.isImplicit()).isTrue();
        assertThat(implicit.name()).isEqualTo("(span b7ad6b71)");
        assertThat(implicit.type()).isEqualTo(NodeType.STEP);
        assertThat(implicit.traceId()).isEqualTo(TRACE);
        assertThat(implicit.start()).isEqualTo(Instant.parse("2025-10-24T12:00:01Z"));
        assertThat(implicit.end()).isEqualTo(Instant.parse("2025-10-24T12:00:03Z"));
        assertThat(implicit.status()).isEqualTo("ok");
        assertThat(implicit.parent().name()).isEqualTo("agent");
        assertThat(implicit.logs()).extracting(LogEntry::event).containsExactly("first", "second");
        assertThat(graph.node(ROOT).orElseThrow().isImplicit()).isFalse();
    }

    @Test
    void spanRecordArrivingAfterItsLogsIsNotImplicit() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                log(TRACE, ROOT, "early line"),
                span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:05Z")));

        assertThat(graph.nodes()).singleElement().satisfies(node -> {
            assertThat(node.isImplicit()).isFalse();
            assertThat(node.name()).isEqualTo("agent");
            assertThat(node.logs()).extracting(LogEntry::event).containsExactly("early line");
        });
    }

    @Test
    void edgesAndAnnotationsReadBack() {
        TraceGraph graph = TraceReader.parse("""
                {"v":1,"type":"span","trace_id":"%1$s","span_id":"%2$s","name":"search","start":"2026-11-21T18:00:00Z","end":"2026-11-21T18:00:01Z","annotations":[{"ts":"2026-11-21T18:00:00.400000Z","text":"High confidence, routing to weather tool"}],"edges":[{"type":"retry_of","trace_id":"%1$s","span_id":"%3$s"},{"type":"inspired_by","span_id":"%4$s"}]}
                """.formatted(TRACE, ROOT, CHILD, LEAF));

        Node node = graph.node(ROOT).orElseThrow();
        assertThat(node.annotations()).containsExactly(
                new Annotation(Instant.parse("2026-11-21T18:00:00.400Z"), "High confidence, routing to weather tool"));
        assertThat(node.edges()).containsExactly(
                new Edge(EdgeType.RETRY_OF, "retry_of", ROOT, TRACE, CHILD),
                new Edge(null, "inspired_by", ROOT, TRACE, LEAF));
    }

    @Test
    void edgeToAnotherTraceKeepsThatTraceId() {
        TraceGraph graph = TraceReader.parse("""
                {"v":1,"type":"span","trace_id":"%s","span_id":"%s","name":"fallback","start":"2026-11-21T18:00:00Z","end":"2026-11-21T18:00:01Z","edges":[{"type":"FALLBACK_OF","trace_id":"%s","span_id":"%s"}]}
                """.formatted(TRACE, ROOT, OTHER_TRACE, CHILD));

        assertThat(graph.node(ROOT).orElseThrow().edges()).singleElement().satisfies(edge -> {
            assertThat(edge.type()).isEqualTo(EdgeType.FALLBACK_OF);
            assertThat(edge.toTraceId()).isEqualTo(OTHER_TRACE);
            assertThat(edge.toSpanId()).isEqualTo(CHILD);
        });
    }

    @Test
    void inputsOutputsAndAttributesBecomePlainJavaValuesInWrittenOrder() {
        TraceGraph graph = TraceReader.parse("""
                {"v":1,"type":"span","trace_id":"%s","span_id":"%s","name":"classify","node_type":"reranker","span_kind":"CLIENT","start":"2026-11-21T18:00:00Z","end":"2026-11-21T18:00:01Z","attributes":{"gen_ai.request.model":"gpt-4o","z":1,"a":2},"input":{"query":"Paris?","k":3,"scores":[0.5,1.25],"big":12345678901},"output":"sunny","resource":{"service.name":"weather-agent"},"thread":"worker-1"}
                """.formatted(TRACE, ROOT));

        Node node = graph.node(ROOT).orElseThrow();
        assertThat(node.attributes().keySet()).containsExactly("gen_ai.request.model", "z", "a");
        assertThat(node.input()).isEqualTo(Map.of("query", "Paris?", "k", 3, "scores", List.of(0.5, 1.25),
                "big", 12345678901L));
        assertThat(node.output()).isEqualTo("sunny");
        assertThat(node.type()).isEqualTo(NodeType.of("reranker"));
        assertThat(node.spanKind()).isEqualTo("CLIENT");
        assertThat(node.resource()).containsEntry("service.name", "weather-agent");
        assertThat(node.thread()).isEqualTo("worker-1");
    }

    @Test
    void directoryWithTwoJsonlFilesIsReadAsOneGraph() throws IOException {
        Files.writeString(dir.resolve("20261121_180000.jsonl"),
                span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:05Z") + "\n");
        Files.writeString(dir.resolve("20261121_180100.jsonl"),
                span(TRACE, CHILD, ROOT, "step", "2026-11-21T18:00:01Z", "2026-11-21T18:00:02Z") + "\n");
        Files.writeString(dir.resolve("notes.txt"), "not a trace\n");

        TraceGraph graph = TraceReader.read(dir);

        assertThat(graph.roots()).extracting(Node::name).containsExactly("agent");
        assertThat(graph.roots().get(0).children()).extracting(Node::name).containsExactly("step");
        assertThat(graph.skippedLines()).isZero();
    }

    @Test
    void problemsInADirectoryNameTheFileAndItsLine() throws IOException {
        Files.writeString(dir.resolve("a.jsonl"), log(TRACE, ROOT, "fine") + "\n");
        Files.writeString(dir.resolve("b.jsonl"), log(TRACE, ROOT, "fine") + "\n[1,2]\n");

        TraceGraph graph = TraceReader.read(dir);

        assertThat(graph.problems()).containsExactly("b.jsonl line 2: not a JSON object");
    }

    @Test
    void gzippedJsonlFileIsReadThroughGzip() throws IOException {
        Path file = dir.resolve("run.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(twoTraces().getBytes(StandardCharsets.UTF_8));
        }

        assertThat(TraceReader.read(file).traceIds()).containsExactly(OTHER_TRACE, TRACE);
        assertThat(TraceReader.read(dir).traceIds()).containsExactly(OTHER_TRACE, TRACE);
    }

    @Test
    void gzipFileCutOffByACrashKeepsWhatWasWritten() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GZIPOutputStream out = new GZIPOutputStream(bytes, true);
        out.write(twoTraces().getBytes(StandardCharsets.UTF_8));
        out.flush(); // everything so far is complete compressed data
        int complete = bytes.size();
        out.write(span(TRACE, "9f86d081884c7d65", ROOT, "being_written", "2026-11-21T08:00:30Z", null)
                .getBytes(StandardCharsets.UTF_8));
        out.finish();
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), complete + 12); // the crash cut the last line short

        TraceGraph graph = TraceReader.read(new ByteArrayInputStream(cut));

        assertThat(graph.nodes()).extracting(Node::name)
                .containsExactly("morning_run", "morning_step", "evening_run");
        assertThat(graph.logs()).extracting(LogEntry::event).containsExactly("calling model");
        assertThat(graph.problems()).singleElement().asString().startsWith("line 5: ");
    }

    @Test
    void missingPathGivesAnIOExceptionNamingIt() {
        Path missing = dir.resolve("no-such-run.jsonl");

        assertThatThrownBy(() -> TraceReader.read(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void droppedRecordsAreSummed() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                "{\"v\":1,\"type\":\"dropped\",\"count\":120}",
                span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:05Z"),
                "{\"v\":1,\"type\":\"dropped\",\"count\":7}"));

        assertThat(graph.droppedRecords()).isEqualTo(127);
        assertThat(graph.nodes()).hasSize(1);
    }

    @Test
    void unknownRecordTypesAndBlankLinesAreIgnoredWithoutProblems() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                "{\"v\":2,\"type\":\"metric\",\"name\":\"tokens\",\"value\":12}",
                "",
                "   ",
                span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:05Z")));

        assertThat(graph.nodes()).hasSize(1);
        assertThat(graph.skippedLines()).isZero();
        assertThat(graph.problems()).isEmpty();
    }

    @Test
    void nonObjectLinesAndSpanRecordsWithoutIdsAreSkippedAndCounted() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                "[1,2,3]",
                "\"just a string\"",
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"name\":\"no span id\"}",
                "{\"v\":1,\"type\":\"span\",\"span_id\":\"" + ROOT + "\",\"name\":\"no trace id\"}",
                "{\"v\":1,\"type\":\"span\"} {\"v\":1}"));

        assertThat(graph.isEmpty()).isTrue();
        assertThat(graph.skippedLines()).isEqualTo(5);
        assertThat(graph.problems()).hasSize(5).startsWith(
                "line 1: not a JSON object",
                "line 2: not a JSON object",
                "line 3: span record without span_id",
                "line 4: span record without trace_id");
        assertThat(graph.problems().get(4)).startsWith("line 5: invalid JSON");
    }

    @Test
    void accumulatorGivesAGraphOfTheLinesSoFarForTailing() {
        TraceReader.Accumulator records = new TraceReader.Accumulator();
        records.accept(span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00Z", null));
        TraceGraph before = records.graph();

        records.accept(span(TRACE, CHILD, ROOT, "step", "2026-11-21T18:00:01Z", "2026-11-21T18:00:02Z"));
        records.accept(span(TRACE, ROOT, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:05Z"));
        TraceGraph after = records.graph();

        assertThat(records.lineCount()).isEqualTo(3);
        assertThat(before.roots()).singleElement().satisfies(root -> {
            assertThat(root.status()).isEqualTo("running");
            assertThat(root.children()).isEmpty();
        });
        assertThat(after.roots()).singleElement().satisfies(root -> {
            assertThat(root.status()).isEqualTo("ok");
            assertThat(root.children()).extracting(Node::name).containsExactly("step");
        });
    }

    @Test
    void inputStreamReaderAndLinesFormsReadTheSameRecords() throws IOException {
        String jsonl = twoTraces();

        TraceGraph fromStream = TraceReader.read(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)));
        TraceGraph fromReader = TraceReader.read(new StringReader(jsonl));
        TraceGraph fromLines = TraceReader.readLines(jsonl.lines().toList());

        for (TraceGraph graph : List.of(fromStream, fromReader, fromLines)) {
            assertThat(graph.nodes()).extracting(Node::name)
                    .containsExactly("morning_run", "morning_step", "evening_run");
            assertThat(graph.logs()).hasSize(1);
        }
    }

    private static String twoTraces() {
        return String.join("\n",
                span(TRACE, ROOT, null, "morning_run", "2026-11-21T08:00:00Z", "2026-11-21T08:01:00Z"),
                span(OTHER_TRACE, LEAF, null, "evening_run", "2026-11-21T20:00:00Z", "2026-11-21T20:01:00Z"),
                span(TRACE, CHILD, ROOT, "morning_step", "2026-11-21T08:00:10Z", "2026-11-21T08:00:20Z"),
                log(TRACE, CHILD, "calling model")) + "\n";
    }

    @Test
    void readsOneRecordOnItsOwnByTheSameRules() {
        TraceReader.ParsedRecord running = TraceReader.readRecord(
                span(TRACE, CHILD, ROOT, "llm", "2026-11-21T18:00:01.000000Z", null));
        TraceReader.ParsedRecord log = TraceReader.readRecord(log(TRACE, CHILD, "calling model")
                .replace("\"thread\"", "\"parent_span_id\":\"" + ROOT + "\",\"thread\""));
        TraceReader.ParsedRecord dropped = TraceReader.readRecord("{\"v\":1,\"type\":\"dropped\",\"count\":7}");

        assertThat(running.span().spanId()).isEqualTo(CHILD);
        assertThat(running.span().parentSpanId()).isEqualTo(ROOT);
        assertThat(running.span().status()).isEqualTo("running");
        assertThat(running.span().start()).isEqualTo(Instant.parse("2026-11-21T18:00:01Z"));
        assertThat(log.log().event()).isEqualTo("calling model");
        assertThat(log.parentSpanId()).isEqualTo(ROOT);
        assertThat(dropped.dropped()).isEqualTo(7);
        assertThat(TraceReader.readRecord("this is not json {").problem()).startsWith("invalid JSON");
        assertThat(TraceReader.readRecord("{\"v\":1,\"type\":\"span\"}").problem())
                .isEqualTo("span record without span_id");
        assertThat(TraceReader.readRecord("   ")).isEqualTo(TraceReader.readRecord("{\"v\":1,\"type\":\"future\"}"));
    }

    private static String span(String traceId, String spanId, String parentSpanId, String name, String start,
            String end) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + traceId + "\",\"span_id\":\"" + spanId + "\","
                + "\"parent_span_id\":" + quoted(parentSpanId) + ",\"name\":\"" + name + "\",\"node_type\":\"step\","
                + "\"start\":" + quoted(start) + ",\"end\":" + quoted(end) + ",\"status\":\"ok\"}";
    }

    private static String log(String traceId, String spanId, String event) {
        return "{\"v\":1,\"type\":\"log\",\"timestamp\":\"2026-11-21T18:00:01.500000Z\",\"level\":\"info\","
                + "\"logger\":\"com.acme.Agent\",\"event\":\"" + event + "\",\"trace_id\":\"" + traceId
                + "\",\"span_id\":\"" + spanId + "\",\"thread\":\"main\",\"attrs\":{}}";
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
