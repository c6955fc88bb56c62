package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast path of log ingest stores exactly what the full path stores: for every line it takes, the same text,
 * columns and digest (so a line stored before the fast path existed and sent again is still found as a duplicate),
 * and every line it cannot vouch for is left to the full path.
 */
class CanonicalLogTest {
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
            line(TS, "\"info\"", IDS, "{\"n\":1234567890123456789012}", "null"),
            line(TS, "\"info\"", IDS, "{\"n\":1.0E400}", "null"),
            line(TS, "\"info\"", IDS, "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,"
                    + "\"a\":10}", "null"),
            line(TS, "\"info\"", IDS, "{}", "{\"m\":1,\"m\":2}"),
            line(TS, "\"Info\"", IDS, "{}", "null"),
            line(TS, "\"info\"", IDS, "{\"s\" : 1}", "null"),
            line(TS, "\"info\"", IDS, "{\"a\":1,\"a\":2}", "null"),
            line(TS, "\"info\"", IDS, "{\"api_key\":\"sk-123\",\"user\":\"ann\"}", "null"),
            line(TS, "\"info\"", IDS, "{\"nested\":{\"password\":\"hunter2\"}}", "null"),
            line(TS, "\"info\"", IDS, "[1,2]", "null"),
            line(TS, "\"info\"", IDS, "null", "null"),
            line(TS, "\"info\"", IDS, "{}", "\"a plain message\""),
            line(TS, "\"info\"", ids('"' + TRACE + '"', "null", "\"a3ce929d0e0e4736\""), "{}", "null"),
            line(TS, "\"info\"", ids("null", "null", "\"a3ce929d0e0e4736\""), "{}", "null"),
            line(TS, "\"info\"", ids('"' + TRACE + '"', '"' + SPAN + '"', "\"\""), "{}", "null"),
            line(TS, "5", IDS, "{}", "null"),
            line(TS, "\"info\"", IDS, "{\"x\":NaN}", "null"),
            line(TS, "\"info\"", IDS, "{}", "null") + "  ",
            line(TS, "\"info\"", IDS, "{}", "null").replace("\"v\":1,", "\"v\":1.0,"),
            line(TS, "\"info\"", IDS, "{}", "null").replace("\"type\":\"log\"", "\"type\":\"LOG\""),
            line(TS, "\"info\"", IDS, "{}", "null").replace("\"thread\":\"main\",", ""),
            line(TS, "\"info\"", IDS, "{}", "null").replace("null}", "null,\"extra\":1}"),
            "{\"timestamp\":1763748000.3,\"event\":\"flat python log\",\"level\":\"info\",\"trace_id\":\"" + TRACE
                    + "\",\"span_id\":\"" + SPAN + "\",\"user\":\"ann\"}");

    /** Lines the full path refuses: the fast path takes none, so the error message is the full path's. */
    private static final List<String> REFUSED = List.of(
            line(TS, "\"info\"", ids("\"00000000000000000000000000000000\"", '"' + SPAN + '"', "null"), "{}", "null"),
            line(TS, "\"info\"", ids("null", '"' + SPAN + '"', "null"), "{}", "null"),
            line("\"1969-12-31T23:59:59.000000Z\"", "\"info\"", IDS, "{}", "null"),
            line(TS, "\"info\"", IDS, "{}", "null").substring(1),
            line(TS, "\"info\"", IDS, "{}", "null") + "x");

    @Test
    void everyLineInItsStoredFormIsTakenAndStoredAsTheFullPathStoresIt() {
        for (String text : AS_STORED) {
            RecordRow.Log fast = CanonicalLog.read(text);
            assertThat(fast).as(text).isNotNull();
            assertSameRow(fast, RecordParser.parseFully(text), text);
            assertThat(fast.json()).isEqualTo(text);
        }
    }

    @Test
    void aLineTheFullPathWouldChangeGoesDownTheFullPathAndItsStoredFormIsThenTaken() {
        List<String> storedForms = new ArrayList<>();
        for (String text : CHANGED) {
            assertThat(CanonicalLog.read(text)).as(text).isNull();
            RecordParser.Parsed full = RecordParser.parse(text);
            assertThat(full.error()).as(text).isNull();
            storedForms.add(full.row().json());
        }
        // what the full path stores is a fixed point: the fast path takes it unchanged, unless masking had a say
        for (String stored : storedForms) {
            RecordRow.Log fast = CanonicalLog.read(stored);
            if (stored.contains("\"***\"") || stored.contains("NaN") || stored.matches(".*\\d{19}.*")) {
                // masked, or values the fast path leaves to the full path: a NaN, an integer past a long's digits
                continue;
            }
            assertThat(fast).as(stored).isNotNull();
            assertSameRow(fast, RecordParser.parseFully(stored), stored);
        }
        assertThat(RecordParser.parse(CHANGED.get(8)).row().json()).doesNotContain("sk-123");
    }

    @Test
    void aLineTheFullPathRefusesIsRefusedWithItsMessage() {
        for (String text : REFUSED) {
            assertThat(CanonicalLog.read(text)).as(text).isNull();
            RecordParser.Parsed parsed = RecordParser.parse(text);
            assertThat(parsed.error()).as(text).isNotNull().isEqualTo(RecordParser.parseFully(text).error());
        }
    }

    private static void assertSameRow(RecordRow.Log fast, RecordParser.Parsed full, String text) {
        assertThat(full.error()).as(text).isNull();
        RecordRow.Log slow = (RecordRow.Log) full.row();
        assertThat(fast.json()).as(text).isEqualTo(slow.json());
        assertThat(fast.traceId()).as(text).isEqualTo(slow.traceId());
        assertThat(fast.spanId()).as(text).isEqualTo(slow.spanId());
        assertThat(fast.timestampUs()).as(text).isEqualTo(slow.timestampUs());
        assertThat(fast.level()).as(text).isEqualTo(slow.level());
        assertThat(fast.digest()).as(text).isEqualTo(slow.digest());
    }
}
