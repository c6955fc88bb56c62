package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.MemoryTarget;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.record.JsonLineEncoder;
import io.aitrace.core.record.LogRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fast path of log ingest stores exactly what the full path stores: for every line it takes, the same text,
 * columns and digest (so a line stored before the fast path existed and sent again is still found as a duplicate),
 * and every line it cannot vouch for is left to the full path.
 */
class CanonicalRecordTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    /** A log line of format v1 with the given fields after {@code "v":1,"type":"log",}. */
    private static String line(String timestamp, String level, String ids, String attrs, String exception) {
        return "{\"v\":1,\"type\":\"log\",\"timestamp\":" + timestamp + ",\"level\":" + level
                + ",\"logger\":\"com.acme.Agent\",\"event\":\"calling model\"," + ids
                + ",\"thread\":\"main\",\"attrs\":" + attrs + ",\"exception\":" + exception + "}";
    }

    private static String ids(String trace, String span, String parent) {
        return "\"trace_id\":" + trace + ",\"span_id\":" + span + ",\"parent_span_id\":" + parent;
    }

    private static final String TS = "\"2026-11-21T18:00:00.300000Z\"";
    private static final String IDS = ids('"' + TRACE + '"', '"' + SPAN + '"', "null");

    /** Lines aitrace's writers send: each is taken by the fast path. */
    private static final List<String> AS_STORED = List.of(
            Records.log(TRACE, SPAN, "2026-11-21T18:00:00.300000Z", "info", "calling model"),
            line(TS, "\"warn\"", IDS, "{\"user_id\":42}", "null"),
            line(TS, "null", ids('"' + TRACE + '"', '"' + SPAN + '"', "\"a3ce929d0e0e4736\""), "{}", "null"),
            line("null", "\"debug\"", ids('"' + TRACE + '"', "null", "null"), "{}", "null"),
            line(TS, "\"info\"", ids("null", "null", "null"), "{\"a\":\"b\"}", "null"),
            line(TS, "\"info\"", ids('"' + TRACE + '"', '"' + SPAN + '"', "\"0000000000000000\""), "{}", "null"),
            line(TS, "\"info\"", IDS, "{\"n\":1.5,\"m\":0.1,\"z\":-0.0,\"big\":123456789012345678,\"long\":"
                    + "9007199254740993,\"e\":1.0E10,\"list\":[1,2.5,{\"k\":null},[]],\"t\":true,\"f\":false}", "null"),
            line(TS, "\"info\"", IDS, "{\"text\":\"quote \\\" backslash \\\\ tab \\t nl \\n cr \\r ctl \\u0001"
                    + " é 😀 / ok\"}", "null"),
            line(TS, "\"error\"", IDS, "{}", "{\"type\":\"java.io.IOException\",\"message\":\"refused\","
                    + "\"stack\":\"java.io.IOException: refused\\n\\tat com.acme.Agent.run(Agent.java:12)\\n\"}"),
            line("\"1970-01-01T00:00:00.000000Z\"", "\"info\"", IDS, "{}", "null"),
            line(TS, "\"null\"", IDS, "{\"ctl\":\"\\u001F\\u0000 \\b\\f \u2028 \u007f\",\"x\":-7,"
                    + "\"l\":123456789012345678}", "null").replace("calling model", "quoted \\\"step\\\" one\\nnext"),
            line(TS, "\"info\"", IDS, "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,"
                    + "\"j\":{\"a\":[[],{}]}}", "{\"message\":null,\"cause\":{\"message\":\"x\"}}"));

    /** Lines the full path changes, refuses or masks: each is left to it. */
    private static final List<String> CHANGED = List.of(
            line(TS, "\"info\"", ids('"' + TRACE.toUpperCase() + '"', '"' + SPAN + '"', "null"), "{}", "null"),
            line(TS, "\"INFO\"", IDS, "{}", "null"),
            line("\"2026-11-21T18:00:00.300Z\"", "\"info\"", IDS, "{}", "null"),
            line("1763748000.3", "\"info\"", IDS, "{}", "null"),
            line(TS, "\"info\"", IDS, "{\"n\":1e3,\"m\":2.50,\"k\":-0}", "null"),
            line(TS, "\"info\"", IDS, "{\"n\":1.5e-7}", "null"),
            line(TS, "\"info\"", IDS, "{\"s\":\"\\u00e9\"}", "null"),
            line(TS, "\"info\"", IDS, "{\"s\":\"\\/\"}", "null"),
            line(TS, "\"info\"", IDS, "{\"s\":\"\\u001f\"}", "null"),
            line(TS, "\"info\"", IDS, "{\"s\":\"\\u000A\"}", "null"),
            // an Arabic-Indic digit in an escape: Jackson reads it as a digit, and writes the escape in ASCII
            line(TS, "\"info\"", IDS, "{\"s\":\"\\u001\u0663\"}", "null"),
            line(TS, "\"info\"", IDS, "{\"n\":1.0E400}", "null"),
            line(TS, "\"info\"", IDS, "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,"
                    + "\"a\":10}", "null"),
            line(TS, "\"info\"", IDS, "{}", "{\"m\":1,\"m\":2}"),
            line(TS, "\"Info\"", IDS, "{}", "null"),
            line(TS, "\"info\"", IDS, "{\"x\":NaN}", "null"),
            line(TS, "\"info\"", IDS, "{\"s\" : 1}", "null"),
            line(TS, "\"info\"", IDS, "{\"a\":1,\"a\":2}", "null"),
            line(TS, "\"info\"", IDS, "[1,2]", "null"),
            line(TS, "\"info\"", IDS, "null", "null"),
            line(TS, "\"info\"", IDS, "{}", "\"a plain message\""),
            line(TS, "\"info\"", ids('"' + TRACE + '"', "null", "\"a3ce929d0e0e4736\""), "{}", "null"),
            line(TS, "\"info\"", ids("null", "null", "\"a3ce929d0e0e4736\""), "{}", "null"),
            line(TS, "\"info\"", ids('"' + TRACE + '"', '"' + SPAN + '"', "\"\""), "{}", "null"),
            line(TS, "5", IDS, "{}", "null"),
            line(TS, "\"info\"", IDS, "{}", "null") + "  ",
            line(TS, "\"info\"", IDS, "{}", "null").replace("\"v\":1,", "\"v\":1.0,"),
            line(TS, "\"info\"", IDS, "{}", "null").replace("\"type\":\"log\"", "\"type\":\"LOG\""),
            line(TS, "\"info\"", IDS, "{}", "null").replace("\"thread\":\"main\",", ""),
            line(TS, "\"info\"", IDS, "{}", "null").replace("null}", "null,\"extra\":1}"),
            "{\"timestamp\":1763748000.3,\"event\":\"flat python log\",\"level\":\"info\",\"trace_id\":\"" + TRACE
                    + "\",\"span_id\":\"" + SPAN + "\",\"user\":\"ann\"}");

    /** Spans: the stored form of each is taken, the others are left to the full path. */
    private static String span(String fields) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\"," + fields
                + "}";
    }

    private static final String SPAN_AS_STORED = span("\"parent_span_id\":null,\"name\":\"weather_agent\","
            + "\"node_type\":\"agent\",\"span_kind\":\"INTERNAL\",\"start\":\"2026-11-21T18:00:00.000000Z\","
            + "\"end\":\"2026-11-21T18:00:00.000333Z\",\"duration_ms\":0.333,\"status\":\"ok\",\"error\":null,"
            + "\"attributes\":{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":120,"
            + "\"gen_ai.usage.output_tokens\":null,\"service.name\":\"ignored\"},"
            + "\"input\":{\"query\":\"it's \\\"q\\\"\"},"
            + "\"output\":\"text\",\"annotations\":[{\"ts\":\"2026-11-21T18:00:00.000100Z\",\"text\":\"routing\"},"
            + "{\"ts\":null,\"text\":null}],\"edges\":[],\"resource\":{\"service.name\":\"bench\"},"
            + "\"thread\":\"main\"");

    private static final List<String> SPANS_AS_STORED = List.of(
            SPAN_AS_STORED,
            SPAN_AS_STORED.replace("\"end\":\"2026-11-21T18:00:00.000333Z\",\"duration_ms\":0.333,\"status\":\"ok\"",
                    "\"end\":null,\"duration_ms\":null,\"status\":\"running\"")
                    .replace("\"parent_span_id\":null", "\"parent_span_id\":\"a3ce929d0e0e4736\""),
            SPAN_AS_STORED.replace("\"resource\":{\"service.name\":\"bench\"}", "\"resource\":{}")
                    .replace("\"error\":null", "\"error\":{\"type\":\"E\",\"message\":\"m\\nn\"}")
                    .replace("\"status\":\"ok\"", "\"status\":\"error\""));

    private static final List<String> SPANS_CHANGED = List.of(
            Records.span(TRACE, SPAN, null, "weather_agent", "2026-11-21T18:00:00.000000Z",
                    "2026-11-21T18:00:01.000000Z"),
            Records.span(TRACE.toUpperCase(), SPAN, null, "a", "2026-11-21T18:00:00.000000Z", null),
            SPAN_AS_STORED.replace("\"status\":\"ok\"", "\"status\":\"OK\""),
            SPAN_AS_STORED.replace("\"status\":\"ok\"", "\"status\":null"),
            SPAN_AS_STORED.replace("\"end\":\"2026-11-21T18:00:00.000333Z\",\"duration_ms\":0.333",
                    "\"end\":null,\"duration_ms\":null"),
            SPAN_AS_STORED.replace("\"node_type\":\"agent\"", "\"node_type\":\"Agent\""),
            SPAN_AS_STORED.replace("\"node_type\":\"agent\"", "\"node_type\":\" agent\""),
            SPAN_AS_STORED.replace("\"node_type\":\"agent\"", "\"node_type\":null"),
            SPAN_AS_STORED.replace("\"span_kind\":\"INTERNAL\"", "\"span_kind\":null"),
            SPAN_AS_STORED.replace("\"name\":\"weather_agent\"", "\"name\":null"),
            SPAN_AS_STORED.replace("\"resource\":{\"service.name\":\"bench\"}", "\"resource\":null"),
            SPAN_AS_STORED.replace("\"attributes\":{", "\"attributes\":{\"x\":1.50,"),
            SPAN_AS_STORED.replace("\"edges\":[],", ""),
            SPAN_AS_STORED.replace("{\"ts\":null,\"text\":null}", "\"a plain note\""),
            SPAN_AS_STORED.replace("\"2026-11-21T18:00:00.000100Z\"", "\"2026-11-21T18:00:00.0001Z\""));

    /** Spans whose duration is not the one their start and end give: the fast path writes it as the full path does. */
    private static final List<String> DURATION_WRITTEN_AGAIN = List.of(
            SPAN_AS_STORED.replace("\"duration_ms\":0.333", "\"duration_ms\":0.332"),
            SPAN_AS_STORED.replace("\"duration_ms\":0.333", "\"duration_ms\":0.3331"),
            SPAN_AS_STORED.replace("\"duration_ms\":0.333", "\"duration_ms\":null"),
            SPAN_AS_STORED.replace("\"duration_ms\":0.333", "\"duration_ms\":-1e2"));

    /** Lines the full path stores in a form the fast path leaves to it as well. */
    private static final List<String> LEFT = List.of(
            line(TS, "\"info\"", IDS, "{\"n\":1234567890123456789012}", "null"),
            line(TS, "\"info\"", IDS, "{\"api_key\":\"sk-123\",\"user\":\"ann\"}", "null"),
            line(TS, "\"info\"", IDS, "{\"nested\":{\"password\":\"hunter2\"}}", "null"),
            SPAN_AS_STORED.replace("\"edges\":[]", "\"edges\":[{\"type\":\"handoff\",\"trace_id\":\"" + TRACE
                    + "\",\"span_id\":\"a3ce929d0e0e4736\"}]"),
            SPAN_AS_STORED.replace("\"resource\":", "\"evaluations\":[{\"ts\":\"2026-11-21T18:00:00.000100Z\","
                    + "\"name\":\"relevance\",\"score\":0.5,\"label\":null,\"explanation\":null}],\"resource\":"),
            SPAN_AS_STORED.replace("\"name\":\"weather_agent\"", "\"name\":\"tab\\tname\""),
            SPAN_AS_STORED.replace("input_tokens\":120", "input_tokens\":\"120\""),
            SPAN_AS_STORED.replace("input_tokens\":120", "input_tokens\":120.5"),
            SPAN_AS_STORED.replace("\"service.name\":\"bench\"", "\"service.name\":7"));

    /** Lines the full path refuses: the fast path takes none, so the error message is the full path's. */
    private static final List<String> REFUSED = List.of(
            line(TS, "\"info\"", ids("\"00000000000000000000000000000000\"", '"' + SPAN + '"', "null"), "{}", "null"),
            line(TS, "\"info\"", ids("null", '"' + SPAN + '"', "null"), "{}", "null"),
            line("\"1969-12-31T23:59:59.000000Z\"", "\"info\"", IDS, "{}", "null"),
            line(TS, "\"info\"", IDS, "{\"s\":\"\\u000\uFF10\"}", "null"), // a full-width digit in an escape
            line(TS, "\"info\"", IDS, "{\"" + "k".repeat(50_001) + "\":1}", "null"), // a name Jackson refuses
            line(TS, "\"info\"", IDS, "{}", "null").substring(1),
            line(TS, "\"info\"", IDS, "{}", "null") + "x");

    @Test
    void theLinesAitracesOwnWritersWriteTakeTheFastPath() throws IOException {
        MemoryTarget target = new MemoryTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build())) {
            Tracer tracer = runtime.tracer("CanonicalRecordTest");
            try (Span run = tracer.span("weather_agent", NodeType.AGENT)) {
                run.input("query", "What's the \"weather\" in Paris?\n\tø");
                run.attribute("gen_ai.usage.input_tokens", 42);
                run.attribute("score", 0.25);
                run.annotate("routing to the forecast tool");
                try (Span tool = tracer.span("weather_api", NodeType.TOOL)) {
                    tool.error(new IOException("connection reset"));
                }
                run.output("answer", "18°C");
            }
            runtime.flush();
        }
        List<String> lines = new ArrayList<>(target.lines().stream().map(String::strip).toList());
        Map<String, JsonNode> attrs = new LinkedHashMap<>();
        attrs.put("user_id", JsonNodeFactory.instance.numberNode(42));
        attrs.put("note", JsonNodeFactory.instance.textNode("a \"quoted\" word"));
        ObjectNode exception = JsonNodeFactory.instance.objectNode().put("type", "java.io.IOException")
                .put("message", "reset").put("stack", "java.io.IOException: reset\n\tat A.b(A.java:1)\n");
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.encode(new LogRecord(1_795_284_000_300_000_123L, "warn", "com.acme.Agent", "calling model", TRACE,
                SPAN, "a3ce929d0e0e4736", "main", attrs, exception));
        lines.add(new String(encoder.bytes(), 0, encoder.size(), StandardCharsets.UTF_8).strip());
        int spans = 0;
        for (String line : lines) {
            RecordRow fast = CanonicalRecord.read(line);
            assertThat(fast).as(line).isNotNull();
            assertSameRow(fast, RecordParser.parseFully(line), line);
            spans += fast instanceof RecordRow.Span ? 1 : 0;
        }
        assertThat(spans).isGreaterThanOrEqualTo(2);
        assertThat(lines).hasSizeGreaterThan(spans);
    }

    @Test
    void everyLineInItsStoredFormIsTakenAndStoredAsTheFullPathStoresIt() {
        for (String text : concat(AS_STORED, SPANS_AS_STORED)) {
            RecordRow fast = CanonicalRecord.read(text);
            assertThat(fast).as(text).isNotNull();
            assertSameRow(fast, RecordParser.parseFully(text), text);
            assertThat(fast.json()).isEqualTo(text);
        }
    }

    @Test
    void aLineTheFullPathWouldChangeGoesDownTheFullPathAndItsStoredFormIsThenTaken() {
        List<String> storedForms = new ArrayList<>();
        for (String text : concat(CHANGED, SPANS_CHANGED)) {
            assertThat(text).isNotEqualTo(SPAN_AS_STORED); // each case changes the line it starts from
            assertThat(CanonicalRecord.read(text)).as(text).isNull();
            RecordParser.Parsed full = RecordParser.parse(text);
            assertThat(full.error()).as(text).isNull();
            storedForms.add(full.row().json());
        }
        // what the full path stores is a fixed point: the fast path takes it unchanged, unless masking had a say
        for (String stored : storedForms) {
            RecordRow fast = CanonicalRecord.read(stored);
            assertThat(fast).as(stored).isNotNull();
            assertSameRow(fast, RecordParser.parseFully(stored), stored);
        }
    }

    @Test
    void aSpansDurationIsWrittenAgainFromItsStartAndEndAsTheFullPathWritesIt() {
        for (String text : DURATION_WRITTEN_AGAIN) {
            RecordRow fast = CanonicalRecord.read(text);
            assertThat(fast).as(text).isNotNull();
            assertSameRow(fast, RecordParser.parseFully(text), text);
            assertThat(fast.json()).isEqualTo(SPAN_AS_STORED);
        }
        for (String text : List.of(SPAN_AS_STORED.replace("\"duration_ms\":0.333", "\"duration_ms\":01"),
                SPAN_AS_STORED.replace("\"duration_ms\":0.333", "\"duration_ms\":\"0.333\""))) {
            assertThat(CanonicalRecord.read(text)).as(text).isNull();
        }
    }

    @Test
    void aLineWhoseStoredFormTheFastPathCannotVouchForIsLeftToTheFullPath() {
        for (String text : LEFT) {
            assertThat(text).isNotEqualTo(SPAN_AS_STORED);
            assertThat(CanonicalRecord.read(text)).as(text).isNull();
            RecordParser.Parsed full = RecordParser.parse(text);
            assertThat(full.error()).as(text).isNull();
            assertThat(CanonicalRecord.read(full.row().json())).as(full.row().json()).isNull();
        }
        assertThat(RecordParser.parse(LEFT.get(1)).row().json()).doesNotContain("sk-123").contains("\"***\"");
    }

    @Test
    void aLineTheFullPathRefusesIsRefusedWithItsMessage() {
        for (String text : REFUSED) {
            assertThat(CanonicalRecord.read(text)).as(text).isNull();
            RecordParser.Parsed parsed = RecordParser.parse(text);
            assertThat(parsed.error()).as(text).isNotNull().isEqualTo(RecordParser.parseFully(text).error());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void assertSameRow(RecordRow row, RecordParser.Parsed full, String text) {
        assertThat(full.error()).as(text).isNull();
        if (row instanceof RecordRow.Span) {
            assertThat(row).as(text).isEqualTo(full.row());
            return;
        }
        RecordRow.Log fast = (RecordRow.Log) row;
        RecordRow.Log slow = (RecordRow.Log) full.row();
        assertThat(fast.json()).as(text).isEqualTo(slow.json());
        assertThat(fast.traceId()).as(text).isEqualTo(slow.traceId());
        assertThat(fast.spanId()).as(text).isEqualTo(slow.spanId());
        assertThat(fast.timestampUs()).as(text).isEqualTo(slow.timestampUs());
        assertThat(fast.level()).as(text).isEqualTo(slow.level());
        assertThat(fast.digest()).as(text).isEqualTo(slow.digest());
    }
}
