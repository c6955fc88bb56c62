package io.aitrace.viewer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace as one self-contained HTML page: the web viewer (the page {@code aitrace serve} shows at {@code /}) with
 * its styles and scripts inlined and the records embedded as JSON, plus a plain-text outline for readers without
 * JavaScript. It opens from disk with no server. The HTTP target writes one when the collector stays unreachable.
 * The caller reads the records into a {@link TraceGraph} (tracer-core's {@code TraceReader}), which gives the
 * summary and the outline; this module depends on tracer-api only, so tracer-core can use it. The page computes
 * costs with the price table it embeds: the one the caller passes (tracer-core's {@code PriceTable.load().toJson()},
 * the table {@code aitrace inspect} uses), else the bundled one.
 *
 * <pre>{@code
 * List<String> lines = Files.readAllLines(Path.of("trace.jsonl"));
 * HtmlExport.write(Path.of("trace.html"), lines, TraceReader.readLines(lines), "weather agent",
 *         PriceTable.load().toJson());
 * }</pre>
 */
public final class HtmlExport {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // as TraceReader: Python writes NaN by default
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Where the viewer's files live on the class path. */
    static final String VIEWER = "/io/aitrace/viewer/";
    private static final Pattern STYLESHEET = Pattern.compile("<link rel=\"stylesheet\" href=\"([\\w.-]+)\">");
    private static final Pattern SCRIPT = Pattern.compile("<script src=\"([\\w.-]+)\"></script>");
    private static final String TITLE = "<title>aitrace</title>";
    private static final String HEADING = "<h1 id=\"aitrace-title\"></h1>";
    private static final String SUMMARY = "<p id=\"aitrace-summary\"></p>";
    private static final String OUTLINE = "<pre id=\"aitrace-fallback\"></pre>";
    private static final String RECORDS = "<script type=\"application/json\" id=\"aitrace-records\"></script>";
    private static final String PRICES = "<script type=\"application/json\" id=\"aitrace-prices\"></script>";
    private static volatile String page;

    private HtmlExport() {
    }

    /**
     * Writes the page for {@code jsonLines} (read into {@code graph}) to {@code htmlFile}, creating its directories;
     * returns the file. Costs are computed with the bundled price table.
     */
    public static Path write(Path htmlFile, List<String> jsonLines, TraceGraph graph, String title) throws IOException {
        return write(htmlFile, jsonLines, graph, title, null);
    }

    /**
     * As {@link #write(Path, List, TraceGraph, String)}, with costs computed from {@code pricesJson}: a price table
     * as {@code PriceTable.toJson()} writes it ({@code {"layers": [{"models": {...}}, ...]}}) or as a prices file
     * holds it ({@code {"models": {...}}}); null for the bundled table.
     *
     * @throws IllegalArgumentException when {@code pricesJson} is not a JSON object
     */
    public static Path write(Path htmlFile, List<String> jsonLines, TraceGraph graph, String title, String pricesJson)
            throws IOException {
        String html = render(jsonLines, graph, title, pricesJson);
        Path parent = htmlFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(htmlFile, html, StandardCharsets.UTF_8);
    }

    /**
     * The page for records in format v1 (or the Python client's log shape), read into {@code graph}; unreadable lines
     * are skipped and counted. Costs are computed with the bundled price table.
     */
    public static String render(List<String> jsonLines, TraceGraph graph, String title) {
        return render(jsonLines, graph, title, null);
    }

    /**
     * As {@link #render(List, TraceGraph, String)}, with costs computed from {@code pricesJson} (see
     * {@link #write(Path, List, TraceGraph, String, String)}); null for the bundled table.
     *
     * @throws IllegalArgumentException when {@code pricesJson} is not a JSON object
     */
    public static String render(List<String> jsonLines, TraceGraph graph, String title, String pricesJson) {
        String prices = pricesJson == null ? bundledPrices() : compactPrices(pricesJson);
        List<JsonNode> records = new ArrayList<>();
        int skipped = 0;
        for (String line : jsonLines) {
            if (line == null || line.isBlank()) {
                continue;
            }
            try {
                JsonNode record = JSON.readTree(line.charAt(0) == '\uFEFF' ? line.substring(1) : line);
                if (record.isObject()) {
                    records.add(record);
                } else {
                    skipped++;
                }
            } catch (JsonProcessingException e) {
                skipped++;
            }
        }
        String shownTitle = title == null || title.isBlank() ? "aitrace trace" : title;
        String summary = records.size() + " records: " + graph.nodes().size() + " spans, " + graph.logs().size()
                + " logs" + (skipped == 0 ? "" : "; " + skipped + " unreadable lines skipped");
        String html = viewerPage();
        html = fillOnce(html, TITLE, "<title>" + escapeHtml(shownTitle) + "</title>");
        html = fillOnce(html, HEADING, "<h1 id=\"aitrace-title\">" + escapeHtml(shownTitle) + "</h1>");
        html = fillOnce(html, SUMMARY, "<p id=\"aitrace-summary\">" + escapeHtml(summary) + "</p>");
        html = fillOnce(html, OUTLINE, "<pre id=\"aitrace-fallback\">" + escapeHtml(HtmlOutline.text(graph)) + "</pre>");
        // the price table the page computes costs with, compacted onto one line
        html = fillOnce(html, PRICES, PRICES.replace("></script>", ">" + scriptSafe(prices) + "</script>"));
        // last, so that no record can be mistaken for one of the places filled above
        return fillOnce(html, RECORDS, RECORDS.replace("></script>", ">" + scriptSafe(toJsonArray(records)) + "</script>"));
    }

    private static String bundledPrices() {
        try {
            return JSON.readTree(resource("prices.json")).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the bundled prices.json is not JSON", e);
        }
    }

    private static String compactPrices(String pricesJson) {
        JsonNode table;
        try {
            table = JSON.readTree(pricesJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the price table for the HTML export is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (table == null || !table.isObject() || !table.has("models") && !table.has("layers")) {
            throw new IllegalArgumentException("the price table for the HTML export must be an object with \"models\""
                    + " or \"layers\"");
        }
        return table.toString();
    }

    private static String toJsonArray(List<JsonNode> records) {
        try {
            return JSON.writeValueAsString(records);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write parsed records back as JSON", e);
        }
    }

    /**
     * JSON that can sit in a {@code <script>} element whatever its strings hold: {@code <}, {@code >}, {@code &} and
     * the line separators U+2028/U+2029 become {@code \u003c} etc. They only occur inside JSON strings, where
     * these escapes mean the same characters, so no value can close the element or open a comment.
     */
    static String scriptSafe(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String fillOnce(String html, String marker, String filled) {
        int at = html.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("the viewer's index.html lacks " + marker);
        }
        return html.substring(0, at) + filled + html.substring(at + marker.length());
    }

    /** The viewer's index.html with its style sheet and scripts inlined; read once. */
    static String viewerPage() {
        String cached = page;
        if (cached == null) {
            String html = resource("index.html");
            html = inline(html, STYLESHEET, "style");
            cached = inline(html, SCRIPT, "script");
            page = cached;
        }
        return cached;
    }

    private static String inline(String html, Pattern reference, String element) {
        Matcher m = reference.matcher(html);
        StringBuilder out = new StringBuilder(html.length() * 4);
        while (m.find()) {
            String body = resource(m.group(1));
            if (body.toLowerCase(Locale.ROOT).contains("</" + element) || body.contains("<!--")) {
                throw new IllegalStateException(m.group(1) + " cannot be inlined: it contains </" + element + " or <!--");
            }
            m.appendReplacement(out, Matcher.quoteReplacement("<" + element + ">\n" + body + "</" + element + ">"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** One file of the viewer, as UTF-8 text. */
    static String resource(String name) {
        try (InputStream in = HtmlExport.class.getResourceAsStream(VIEWER + name)) {
            if (in == null) {
                throw new IllegalStateException(VIEWER + name + " is missing from the aitrace jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
