package io.aitrace.viewer;

import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trace as plain indented text, one span or log per line, children under their parent:
 * <pre>
 * trace 4bf92f3577b34da6a3ce929d0e0e4736
 *   ✓ weather_agent [agent] 1.20 s
 *     ✓ classify_intent [llm] 333 ms
 *       info calling model
 *     ✗ search [tool] 12 ms: java.io.IOException: timeout
 * </pre>
 * It is the HTML export's view without JavaScript, drawn from the {@link TraceGraph} that tracer-core's {@code TraceReader}
 * makes, so the merge rules are the reader's.
 */
final class HtmlOutline {
    private HtmlOutline() {
    }

    static String text(TraceGraph graph) {
        StringBuilder out = new StringBuilder();
        for (String traceId : graph.traceIds()) {
            List<Node> roots = graph.trace(traceId).roots();
            if (roots.isEmpty()) {
                continue;
            }
            out.append("trace ").append(traceId).append('\n');
            for (Node root : roots) {
                appendSpan(out, root, 1);
            }
        }
        return out.toString();
    }

    private static void appendSpan(StringBuilder out, Node span, int depth) {
        String indent = "  ".repeat(depth);
        out.append(indent).append(headline(span)).append('\n');
        // Children (in start order) and log lines (in time order), merged by time.
        List<Node> children = span.children();
        List<LogEntry> logs = span.logs();
        int c = 0;
        int l = 0;
        while (c < children.size() || l < logs.size()) {
            boolean childFirst = l >= logs.size() || (c < children.size()
                    && !later(children.get(c).start(), logs.get(l).timestamp()));
            if (childFirst) {
                appendSpan(out, children.get(c++), depth + 1);
            } else {
                LogEntry log = logs.get(l++);
                out.append(indent).append("  ").append(orEmpty(log.level())).append(' ')
                        .append(orEmpty(log.event())).append('\n');
            }
        }
    }

    private static boolean later(Instant a, Instant b) {
        return a != null && b != null && a.isAfter(b);
    }

    private static String headline(Node span) {
        if (span.isImplicit()) {
            return "? span " + span.spanId() + " (only its logs were recorded)";
        }
        StringBuilder line = new StringBuilder(!span.isEnded() ? "… " : span.isError() ? "✗ " : "✓ ");
        line.append(orEmpty(span.name())).append(" [").append(span.type().name()).append("] ");
        line.append(span.isEnded() ? duration(span.durationMs()) : "running");
        Map<String, Object> error = span.error();
        if (error != null) {
            line.append(": ").append(orEmpty(error.get("type"))).append(": ").append(orEmpty(error.get("message")));
        }
        return line.toString().strip();
    }

    /** {@code 4.2 ms}, {@code 333 ms}, {@code 1.20 s}. */
    static String duration(Double ms) {
        if (ms == null) {
            return "";
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return ms < 1000 ? Math.round(ms) + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }
}
