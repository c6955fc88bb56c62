package io.aitrace.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.TraceGraph;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trace as one self-contained HTML page: no external fetches, the records embedded as JSON, a small script that
 * draws a collapsible tree of spans with their logs, and a plain-text outline for readers without JavaScript.
 * The HTTP target writes one when the collector stays unreachable.
 *
 * <pre>{@code
 * HtmlExport.write(Path.of("trace.html"), Files.readAllLines(Path.of("trace.jsonl")), "weather agent");
 * }</pre>
 */
public final class HtmlExport {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String TEMPLATE = "trace-page.html";

    private HtmlExport() {
    }

    /** Writes the page for {@code jsonLines} to {@code htmlFile}, creating its directories; returns the file. */
    public static Path write(Path htmlFile, List<String> jsonLines, String title) throws IOException {
        Path parent = htmlFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(htmlFile, render(jsonLines, title), StandardCharsets.UTF_8);
    }

    /** The page for records in format v1 (or the Python client's log shape); unreadable lines are skipped and counted. */
    public static String render(List<String> jsonLines, String title) {
        List<JsonNode> records = new ArrayList<>();
        int skipped = 0;
        for (String line : jsonLines) {
            if (line == null || line.isBlank()) {
                continue;
            }
            try {
                JsonNode record = JSON.readTree(line);
                if (record.isObject()) {
                    records.add(record);
                } else {
                    skipped++;
                }
            } catch (JsonProcessingException e) {
                skipped++;
            }
        }
        TraceGraph graph = TraceReader.readLines(jsonLines);
        String shownTitle = title == null || title.isBlank() ? "aitrace trace" : title;
        String summary = records.size() + " records: " + graph.nodes().size() + " spans, " + graph.logs().size()
                + " logs" + (skipped == 0 ? "" : "; " + skipped + " unreadable lines skipped");
        return fill(template(), Map.of(
                "title", escapeHtml(shownTitle),
                "summary", escapeHtml(summary),
                "outline", escapeHtml(HtmlOutline.text(graph)),
                "records", scriptSafe(toJsonArray(records))));
    }

    private static String toJsonArray(List<JsonNode> records) {
        try {
            return JSON.writeValueAsString(records);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write parsed records back as JSON", e);
        }
    }

    /**
     * JSON that cannot end its {@code <script>} element: {@code </} becomes {@code <\/} and {@code <!--} becomes
     * {@code \u003c!--}. Both only occur inside JSON strings, where these escapes mean the same characters.
     */
    static String scriptSafe(String json) {
        return json.replace("</", "<\\/").replace("<!--", "\\u003c!--");
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

    /** Replaces each {@code {{name}}} in one pass, so a value that contains {@code {{...}}} stays as it is. */
    private static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length).sum());
        int from = 0;
        for (int open; (open = template.indexOf("{{", from)) >= 0; ) {
            int close = template.indexOf("}}", open);
            String value = close < 0 ? null : values.get(template.substring(open + 2, close));
            if (value == null) {
                out.append(template, from, open + 2);
                from = open + 2;
            } else {
                out.append(template, from, open).append(value);
                from = close + 2;
            }
        }
        return out.append(template, from, template.length()).toString();
    }

    private static String template() {
        try (InputStream in = HtmlExport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the aitrace jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
