package io.aitrace.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aitrace.core.read.TraceReader;
import io.aitrace.core.record.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlExportTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String DATA_BLOCK = "<script type=\"application/json\" id=\"aitrace-records\">";

    @Test
    void aRecordContainingAClosingScriptTagStaysInsideTheDataBlock() throws IOException {
        String hostile = "</script><script>alert(1)</script><!--";
        String record = span("a1", null, "search", "tool", "ok", 12.0, "2026-11-21T18:00:00.100000Z")
                .replace("\"attributes\":{}", "\"attributes\":{},\"input\":{\"q\":\"" + hostile.replace("/", "\\/") + "\"}");

        String page = render(List.of(record), "hostile");

        assertThat(occurrences(page, "</script>")).as("every closing script tag closes one the page opened")
                .isEqualTo(occurrences(page, "<script"));
        assertThat(dataBlock(page)).doesNotContain("<", ">", "&");
        JsonNode embedded = new ObjectMapper().readTree(dataBlock(page));
        assertThat(embedded).hasSize(1);
        assertThat(embedded.get(0).path("input").path("q").asText()).isEqualTo(hostile);
    }

    @Test
    void lineSeparatorsAndAmpersandsAreEscapedAndReadBackUnchanged() throws IOException {
        String tricky = "a\u2028b\u2029c & <!-- d -->";
        String record = span("a1", null, "x", "step", "ok", 1.0, "2026-11-21T18:00:00.000000Z")
                .replace("\"attributes\":{}", "\"attributes\":{},\"output\":{\"t\":\"" + tricky + "\"}");

        String page = render(List.of(record), "t");

        assertThat(dataBlock(page)).doesNotContain("\u2028", "\u2029", "&", "<!--").contains("\\u2028", "\\u0026");
        assertThat(new ObjectMapper().readTree(dataBlock(page)).get(0).path("output").path("t").asText()).isEqualTo(tricky);
    }

    @Test
    void thePageEmbedsThePriceTableItIsGivenElseTheBundledOne() throws IOException {
        List<String> records = List.of(span("a1", null, "x", "llm", "ok", 1.0, "2026-11-21T18:00:00.000000Z"));
        String given = "{\"layers\":[{\"models\":{\"my-model*\":{\"input\":1.0,\"output\":2.0}}},"
                + "{\"models\":{\"gpt-4o*\":{\"input\":2.5,\"output\":10.0}}}]}";

        JsonNode embedded = new ObjectMapper().readTree(pricesBlock(HtmlExport.render(records,
                TraceReader.readLines(records), "t", given)));
        JsonNode bundled = new ObjectMapper().readTree(pricesBlock(render(records, "t")));

        assertThat(embedded).isEqualTo(new ObjectMapper().readTree(given));
        assertThat(bundled.path("models").has("gpt-4o-mini*")).isTrue();
        assertThatThrownBy(() -> HtmlExport.render(records, TraceReader.readLines(records), "t", "[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"models\" or \"layers\"");
        assertThatThrownBy(() -> HtmlExport.render(records, TraceReader.readLines(records), "t", "{\"models\":"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }

    private static String pricesBlock(String page) {
        String open = "<script type=\"application/json\" id=\"aitrace-prices\">";
        int start = page.indexOf(open) + open.length();
        return page.substring(start, page.indexOf("</script>", start));
    }

    @Test
    void thePageIsTheViewerWithItsStylesAndScriptsInlined() {
        String page = render(List.of(span("a1", null, "x", "step", "ok", 1.0, "2026-11-21T18:00:00.000000Z")), "t");

        assertThat(page).contains("const AitraceReader", "const AitraceLenses", "const AitraceTree", ".drop-hint {")
                .doesNotContain("<script src=", "<link rel=\"stylesheet\"");
    }

    @Test
    void withoutJavaScriptThePageShowsEverySpanNestedUnderItsParentWithItsStatus() {
        List<String> records = List.of(
                span("a1", null, "weather_agent", "agent", "ok", 1203.4, "2026-11-21T18:00:00.000000Z"),
                span("b2", "a1", "classify_intent", "llm", "ok", 333.333, "2026-11-21T18:00:00.100000Z"),
                span("c3", "a1", "search", "tool", "error", 12.0, "2026-11-21T18:00:00.500000Z")
                        .replace("\"error\":null", "\"error\":{\"type\":\"java.io.IOException\",\"message\":\"timeout\"}"));

        String page = render(records, "weather agent");

        assertThat(outline(page)).containsExactly(
                "trace " + TRACE_ID,
                "  ✓ weather_agent [agent] 1.20 s",
                "    ✓ classify_intent [llm] 333 ms",
                "    ✗ search [tool] 12 ms: java.io.IOException: timeout");
    }

    @Test
    void theEndedRecordOfASpanWinsOverItsStartRecordAndASpanNeverEndedShowsAsRunning() {
        String started = span("a1", null, "plan", "agent", null, null, "2026-11-21T18:00:00.000000Z");
        String ended = span("a1", null, "plan", "agent", "ok", 42.0, "2026-11-21T18:00:00.000000Z");
        String running = span("b2", "a1", "think", "llm", null, null, "2026-11-21T18:00:00.010000Z");

        String page = render(List.of(started, running, ended, started), "t");

        assertThat(outline(page)).containsExactly("trace " + TRACE_ID, "  ✓ plan [agent] 42 ms", "    … think [llm] running");
    }

    @Test
    void logRecordsShowUnderTheirSpanInTimeOrder() {
        List<String> records = List.of(
                span("a1", null, "agent", "agent", "ok", 900.0, "2026-11-21T18:00:00.000000Z"),
                log("a1", "info", "calling model", "2026-11-21T18:00:00.200000Z"),
                span("b2", "a1", "llm_call", "llm", "ok", 50.0, "2026-11-21T18:00:00.100000Z"),
                log("b2", "warn", "slow answer", "2026-11-21T18:00:00.120000Z"));

        String page = render(records, "t");

        assertThat(outline(page)).containsExactly(
                "trace " + TRACE_ID,
                "  ✓ agent [agent] 900 ms",
                "    ✓ llm_call [llm] 50 ms",
                "      warn slow answer",
                "    info calling model");
    }

    @Test
    void logsOfTheSeedsPythonClientShowUnderTheSpanTheyName() {
        String pythonLog = "{\"timestamp\":\"2026-11-21T18:00:00.200000Z\",\"level\":\"info\",\"event\":\"llm_start\","
                + "\"trace_id\":\"" + TRACE_ID + "\",\"span_id\":\"00f067aa0ba902b7\",\"parent_span_id\":null,\"model\":\"gpt-4o\"}";

        String page = render(List.of(pythonLog), "t");

        assertThat(outline(page)).containsExactly(
                "trace " + TRACE_ID,
                "  ? span 00f067aa0ba902b7 (only its logs were recorded)",
                "    info llm_start");
    }

    @Test
    void spanNamesAreEscapedInThePage() {
        String page = render(
                List.of(span("a1", null, "<b>bold</b> & co", "step", "ok", 1.0, "2026-11-21T18:00:00.000000Z")),
                "<i>title</i>");

        assertThat(page).contains("&lt;b&gt;bold&lt;/b&gt; &amp; co", "<title>&lt;i&gt;title&lt;/i&gt;</title>")
                .doesNotContain("<b>bold</b>", "<i>title</i>");
    }

    @Test
    void unreadableLinesAreSkippedAndCounted() {
        String page = render(List.of(
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE_ID,
                "",
                "not json at all",
                span("a1", null, "survivor", "step", "ok", 5.0, "2026-11-21T18:00:00.000000Z")), "t");

        assertThat(page).contains("1 records: 1 spans, 0 logs; 2 unreadable lines skipped", "survivor");
    }

    @Test
    void thePageFetchesNothingFromOutside() {
        String page = render(List.of(span("a1", null, "x", "step", "ok", 1.0, "2026-11-21T18:00:00.000000Z")), "t");

        assertThat(page).doesNotContainPattern("(?i)\\b(src|href)\\s*=").doesNotContain("@import", "url(");
    }

    @Test
    void writeCreatesTheFileAndItsDirectories(@TempDir Path dir) throws IOException {
        List<String> records = List.of(span("a1", null, "only_span", "step", "ok", 1.0, "2026-11-21T18:00:00.000000Z"));
        Path html = dir.resolve("nested/deeper/trace.html");

        Path written = TraceFixtures.export(html, records, "t");

        assertThat(written).isEqualTo(html);
        assertThat(Files.readString(html)).isEqualTo(render(records, "t")).contains("only_span");
    }

    // ---- helpers

    /** The no-JavaScript outline as the browser would show it (entities decoded), one line per entry. */
    private static List<String> outline(String page) {
        String start = "<pre id=\"aitrace-fallback\">";
        int from = page.indexOf(start) + start.length();
        String text = page.substring(from, page.indexOf("</pre>", from));
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&").lines().toList();
    }

    /** What a browser hands the script: the text up to the first {@code </script>} after the data block opens. */
    private static String dataBlock(String page) {
        int from = page.indexOf(DATA_BLOCK) + DATA_BLOCK.length();
        return page.substring(from, page.indexOf("</script>", from));
    }

    private static String render(List<String> lines, String title) {
        return HtmlExport.render(lines, TraceReader.readLines(lines), title);
    }

    private static String span(String id, String parent, String name, String nodeType, String status, Double ms, String start) {
        String end = ms == null ? "null" : "\"" + Timestamps.format(java.time.Instant.parse(start)
                .plusNanos(Math.round(ms * 1_000_000))) + "\"";
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE_ID + "\",\"span_id\":\"" + spanId(id) + "\","
                + "\"parent_span_id\":" + (parent == null ? "null" : "\"" + spanId(parent) + "\"")
                + ",\"name\":\"" + name.replace("\"", "\\\"") + "\",\"node_type\":\"" + nodeType + "\",\"span_kind\":\"INTERNAL\","
                + "\"start\":\"" + start + "\",\"end\":" + end + ",\"duration_ms\":" + ms
                + ",\"status\":" + (status == null ? "null" : "\"" + status + "\"") + ",\"error\":null,"
                + "\"attributes\":{},\"annotations\":[],\"edges\":[],\"thread\":\"main\"}";
    }

    private static String log(String spanId, String level, String event, String timestamp) {
        return "{\"v\":1,\"type\":\"log\",\"timestamp\":\"" + timestamp + "\",\"level\":\"" + level + "\","
                + "\"logger\":\"com.acme.Agent\",\"event\":\"" + event + "\",\"trace_id\":\"" + TRACE_ID + "\","
                + "\"span_id\":\"" + spanId(spanId) + "\",\"parent_span_id\":null,\"thread\":\"main\",\"attrs\":{},\"exception\":null}";
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static String spanId(String shortId) {
        return "0".repeat(16 - shortId.length()) + shortId;
    }
}
