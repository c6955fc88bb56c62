package io.aitrace.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A trace as plain indented text, one span or log per line, children under their parent:
 * <pre>
 * trace 4bf92f3577b34da6a3ce929d0e0e4736
 *   ✓ weather_agent [agent] 1.20 s
 *     ✓ classify_intent [llm] 333 ms
 *       info calling model
 *     ✗ search [tool] 12 ms: java.io.IOException: timeout
 * </pre>
 * It is the HTML export's view without JavaScript. Per {@code span_id} the ended record wins, else the latest.
 */
final class HtmlOutline {
    private static final Comparator<JsonNode> BY_TIME = Comparator.comparing(HtmlOutline::time);

    private record Item(JsonNode record, boolean span) {
    }

    private final Map<String, JsonNode> spans = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> logsBySpan = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> children = new LinkedHashMap<>();
    private final Set<String> shown = new HashSet<>();
    private int logCount;

    private HtmlOutline(List<JsonNode> records) {
        for (JsonNode record : records) {
            String type = text(record, "type");
            String spanId = text(record, "span_id");
            if ("span".equals(type) && spanId != null) {
                JsonNode earlier = spans.get(spanId);
                if (earlier == null || text(earlier, "end") == null || text(record, "end") != null) {
                    spans.put(spanId, record);
                }
            } else if (("log".equals(type) || type == null) && spanId != null && text(record, "trace_id") != null) {
                logsBySpan.computeIfAbsent(spanId, id -> new ArrayList<>()).add(record);
                logCount++;
            }
        }
        // A log whose span was never seen stands for that span (the Python client writes logs only).
        logsBySpan.forEach((spanId, logs) -> spans.computeIfAbsent(spanId, id -> logs.get(0)));
        spans.forEach((spanId, span) -> {
            String parent = text(span, "parent_span_id");
            if (parent != null && !parent.equals(spanId) && spans.containsKey(parent)) {
                children.computeIfAbsent(parent, id -> new ArrayList<>()).add(span);
            }
        });
    }

    static HtmlOutline of(List<JsonNode> records) {
        return new HtmlOutline(records);
    }

    int spanCount() {
        return spans.size();
    }

    int logCount() {
        return logCount;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        Map<String, List<JsonNode>> rootsByTrace = new LinkedHashMap<>();
        spans.forEach((spanId, span) -> {
            String parent = text(span, "parent_span_id");
            if (parent == null || parent.equals(spanId) || !spans.containsKey(parent)) {
                rootsByTrace.computeIfAbsent(String.valueOf(text(span, "trace_id")), id -> new ArrayList<>()).add(span);
            }
        });
        rootsByTrace.forEach((traceId, roots) -> {
            out.append("trace ").append(traceId).append('\n');
            roots.stream().sorted(BY_TIME).forEach(root -> appendSpan(out, root, 1));
        });
        // Spans whose parents form a loop have no root: show them rather than lose them.
        spans.values().stream().filter(span -> !shown.contains(text(span, "span_id")))
                .forEach(span -> appendSpan(out, span, 0));
        return out.toString();
    }

    private void appendSpan(StringBuilder out, JsonNode span, int depth) {
        String spanId = text(span, "span_id");
        if (!shown.add(spanId)) {
            return;
        }
        String indent = "  ".repeat(depth);
        out.append(indent).append(headline(span)).append('\n');
        List<Item> below = new ArrayList<>();
        logsBySpan.getOrDefault(spanId, List.of()).forEach(log -> below.add(new Item(log, false)));
        children.getOrDefault(spanId, List.of()).forEach(child -> below.add(new Item(child, true)));
        below.sort(Comparator.comparing(item -> time(item.record())));
        for (Item item : below) {
            if (item.span()) {
                appendSpan(out, item.record(), depth + 1);
            } else {
                out.append(indent).append("  ").append(orEmpty(text(item.record(), "level"))).append(' ')
                        .append(orEmpty(text(item.record(), "event"))).append('\n');
            }
        }
    }

    private static String headline(JsonNode span) {
        if (!"span".equals(text(span, "type"))) {
            return "? span " + text(span, "span_id") + " (only its logs were recorded)";
        }
        boolean ended = text(span, "end") != null;
        JsonNode error = span.path("error");
        boolean failed = "error".equalsIgnoreCase(text(span, "status")) || error.isObject();
        StringBuilder line = new StringBuilder(!ended ? "… " : failed ? "✗ " : "✓ ");
        line.append(orEmpty(text(span, "name")));
        if (text(span, "node_type") != null) {
            line.append(" [").append(text(span, "node_type")).append(']');
        }
        line.append(' ').append(ended ? duration(span) : "running");
        if (error.isObject()) {
            line.append(": ").append(orEmpty(text(error, "type"))).append(": ").append(orEmpty(text(error, "message")));
        }
        return line.toString().strip();
    }

    /** {@code 4.2 ms}, {@code 333 ms}, {@code 1.20 s}; from {@code duration_ms}, else from start and end. */
    static String duration(JsonNode span) {
        double ms;
        if (span.path("duration_ms").isNumber()) {
            ms = span.path("duration_ms").asDouble();
        } else {
            Instant start = Timestamps.parse(text(span, "start"));
            Instant end = Timestamps.parse(text(span, "end"));
            if (start == null || end == null) {
                return "";
            }
            ms = Duration.between(start, end).toNanos() / 1e6;
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return ms < 1000 ? Math.round(ms) + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    private static String time(JsonNode record) {
        String start = text(record, "start");
        return orEmpty(start != null ? start : text(record, "timestamp"));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
