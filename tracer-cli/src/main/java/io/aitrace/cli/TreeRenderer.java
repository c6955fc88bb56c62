package io.aitrace.cli;

import io.aitrace.Annotation;
import io.aitrace.Edge;
import io.aitrace.LogEntry;
import io.aitrace.Node;
import io.aitrace.TraceGraph;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One trace as a tree of text, as the logtracer seed prints it:
 * <pre>
 * Trace: [agent] weather_agent (1.21 s) ✗
 * ├── [llm] classify_intent (333 ms) ✓
 * │   ├── INFO calling model
 * │   └── annotation: "High confidence, routing to weather tool"
 * ├── [tool] search (12 ms) ✗
 * │   └── error: java.io.IOException: timeout
 * └── [tool] search#2 (15 ms) ✓  ↻ retry of search
 * </pre>
 * Under each span, at {@code standard}: its error, then its children, log lines and annotations in time order;
 * at {@code full} also its attributes and input (before) and output (after). Siblings that ran at the same
 * time are marked {@code ‖}. Long values are cut to the width at {@code standard} and wrapped at {@code full}.
 */
final class TreeRenderer {
    private static final int MIN_BODY_WIDTH = 24;
    private static final int FULL_VALUE_LINES = 20;
    private static final Comparator<Entry> BY_TIME =
            Comparator.comparing(Entry::time, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Verbosity verbosity;
    private final Palette palette;
    private final int width;
    private Map<Node, NodePath> paths = Map.of();
    private TraceGraph trace;

    /** @param width the widest line; 0 for no limit */
    TreeRenderer(Verbosity verbosity, Palette palette, int width) {
        this.verbosity = verbosity;
        this.palette = palette;
        this.width = width;
    }

    /** What goes under a span: a child span or one line of detail (a log line, an annotation, a value). */
    private record Entry(Instant time, Node child, boolean parallel, String label, UnaryOperator<String> labelStyle,
            String body, boolean wrap) {
        static Entry child(Node node, boolean parallel) {
            return new Entry(node.start(), node, parallel, null, null, null, false);
        }

        static Entry detail(Instant time, String label, UnaryOperator<String> labelStyle, String body, boolean wrap) {
            return new Entry(time, null, false, label, labelStyle, body, wrap);
        }
    }

    /** Prints the trace (one trace of a graph: see {@link TraceGraph#trace(String)}). */
    void render(TraceGraph trace, PrintWriter out) {
        this.trace = trace;
        this.paths = NodePath.index(trace);
        List<Node> roots = trace.roots();
        if (roots.size() == 1) {
            Node root = roots.get(0);
            out.println(palette.name("Trace: ") + spanLine(root, false));
            printEntries(entriesOf(root), "", out);
        } else {
            String id = roots.isEmpty() ? "(no spans)" : roots.get(0).traceId();
            out.println(palette.name("Trace: ") + id + palette.dim(" (" + roots.size() + " roots)"));
            printEntries(childEntries(roots), "", out);
        }
        if (verbosity.atLeast(Verbosity.STANDARD) && !trace.orphanLogs().isEmpty()) {
            out.println("Logs outside any span:");
            List<Entry> logs = new ArrayList<>();
            trace.orphanLogs().forEach(log -> logs.add(logEntry(log)));
            printEntries(logs, "", out);
        }
    }

    private void printEntries(List<Entry> entries, String indent, PrintWriter out) {
        for (int i = 0; i < entries.size(); i++) {
            boolean last = i == entries.size() - 1;
            Entry entry = entries.get(i);
            String first = indent + (last ? "└── " : "├── ");
            String rest = indent + (last ? "    " : "│   ");
            if (entry.child() != null) {
                out.println(palette.dim(first) + spanLine(entry.child(), entry.parallel()));
                printEntries(entriesOf(entry.child()), rest, out);
            } else {
                printDetail(entry, first, rest, out);
            }
        }
    }

    private void printDetail(Entry entry, String first, String rest, PrintWriter out) {
        int room = width <= 0 ? 0
                : Math.max(MIN_BODY_WIDTH, width - TextFit.width(first) - TextFit.width(entry.label()));
        List<String> lines = entry.wrap() && verbosity == Verbosity.FULL
                ? TextFit.wrap(entry.body(), room, FULL_VALUE_LINES)
                : List.of(TextFit.cut(entry.body(), room));
        String label = entry.labelStyle().apply(entry.label());
        out.println(palette.dim(first) + label + lines.get(0));
        String hang = " ".repeat(TextFit.width(entry.label()));
        for (String line : lines.subList(1, lines.size())) {
            out.println(palette.dim(rest) + hang + line);
        }
    }

    private List<Entry> entriesOf(Node node) {
        List<Entry> entries = new ArrayList<>();
        boolean full = verbosity == Verbosity.FULL;
        if (verbosity.atLeast(Verbosity.STANDARD) && node.error() != null) {
            entries.add(Entry.detail(null, "error: ", palette::error, errorText(node.error(), full), true));
        }
        if (full && !node.attributes().isEmpty()) {
            entries.add(Entry.detail(null, "attributes: ", palette::dim, JsonText.compact(node.attributes()), true));
        }
        if (full && node.input() != null) {
            entries.add(Entry.detail(null, "input: ", palette::dim, JsonText.compact(node.input()), true));
        }
        List<Entry> timeline = new ArrayList<>(childEntries(node.children()));
        if (verbosity.atLeast(Verbosity.STANDARD)) {
            node.logs().forEach(log -> timeline.add(logEntry(log)));
            for (Annotation note : node.annotations()) {
                timeline.add(Entry.detail(note.timestamp(), "annotation: ", palette::warn,
                        JsonText.compact(note.text()), true));
            }
        }
        timeline.sort(BY_TIME);
        entries.addAll(timeline);
        if (full && node.output() != null) {
            entries.add(Entry.detail(null, "output: ", palette::dim, JsonText.compact(node.output()), true));
        }
        return entries;
    }

    private List<Entry> childEntries(List<Node> children) {
        List<Entry> entries = new ArrayList<>(children.size());
        for (Node child : children) {
            entries.add(Entry.child(child, child.isConcurrent()));
        }
        return entries;
    }

    private Entry logEntry(LogEntry log) {
        String level = log.level() == null ? null : log.level().toLowerCase(Locale.ROOT);
        String label = (level == null ? "LOG" : level.toUpperCase(Locale.ROOT)) + " ";
        StringBuilder body = new StringBuilder(log.event() == null ? "" : log.event());
        if (log.error() != null) {
            body.append(" — ").append(errorText(log.error(), false));
        }
        if (verbosity == Verbosity.FULL) {
            if (!log.attrs().isEmpty()) {
                body.append(' ').append(JsonText.compact(log.attrs()));
            }
            if (log.logger() != null) {
                body.append(" (").append(log.logger()).append(')');
            }
        }
        return Entry.detail(log.timestamp(), label, text -> palette.level(level, text), body.toString(), true);
    }

    /** {@code [tool] search#2 (15 ms) ✓  ↻ retry of search}. */
    String spanLine(Node node, boolean parallel) {
        StringBuilder line = new StringBuilder();
        if (parallel) {
            line.append(palette.edge("‖ "));
        }
        line.append(palette.type("[" + node.type().name() + "]")).append(' ');
        NodePath path = paths.get(node);
        line.append(palette.name(path == null ? node.name() : path.last().text()));
        if (node.isImplicit()) {
            line.append(palette.dim(" (no span record: known from its log lines)"));
        } else {
            line.append(' ').append(palette.dim("(" + Durations.format(node.durationMs()) + ")"));
            line.append(' ').append(mark(node));
        }
        for (Edge edge : node.edges()) {
            line.append("  ").append(palette.edge(edgeText(edge)));
        }
        return line.toString();
    }

    private String mark(Node node) {
        if (node.isError()) {
            return palette.error("✗");
        }
        return node.isEnded() ? palette.ok("✓") : palette.warn("…");
    }

    /** {@code ↻ retry of search}: the edge as a phrase, its target named by its path's last segment. */
    String edgeText(Edge edge) {
        return edgePhrase(edge) + " " + edgeTarget(edge);
    }

    /** {@code ↻ retry of}, {@code ⤷ fallback of}, … for an edge's type. */
    static String edgePhrase(Edge edge) {
        String type = String.valueOf(edge.typeName()).toLowerCase(Locale.ROOT);
        return switch (type) {
            case "retry_of" -> "↻ retry of";
            case "fallback_of" -> "⤷ fallback of";
            case "caused_by" -> "← caused by";
            case "data_flow" -> "⇠ data from";
            case "branched_from" -> "⑂ branched from";
            default -> "→ " + type.replace('_', ' ');
        };
    }

    private String edgeTarget(Edge edge) {
        if (trace != null) {
            Node target = trace.node(edge.toSpanId()).orElse(null);
            if (target != null && paths.containsKey(target)) {
                return paths.get(target).last().text();
            }
        }
        String span = "span " + shortId(edge.toSpanId());
        boolean elsewhere = edge.toTraceId() != null && trace != null && !trace.roots().isEmpty()
                && !edge.toTraceId().equals(trace.roots().get(0).traceId());
        return elsewhere ? span + " of trace " + shortId(edge.toTraceId()) : span;
    }

    /** {@code java.io.IOException: timeout}, and at {@code full} the stack below it. */
    static String errorText(Map<String, Object> error, boolean withStack) {
        Object type = error.get("type");
        Object message = error.get("message");
        String text = type == null ? String.valueOf(message)
                : message == null ? type.toString() : type + ": " + message;
        Object stack = error.get("stack");
        if (!withStack || stack == null) {
            return text;
        }
        String lines = stack.toString().strip().replace("\t", "  ");
        if (lines.startsWith(text)) { // Java's stack trace text begins with the exception's own line
            lines = lines.substring(text.length()).replaceFirst("^\\r?\\n", "");
        }
        return lines.isEmpty() ? text : text + "\n" + lines;
    }

    static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(8, id.length()));
    }
}
