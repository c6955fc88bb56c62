package io.aitrace.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.read.Annotation;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.cost.Usage;
import io.aitrace.read.Edge;
import io.aitrace.read.Evaluation;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One trace as a tree of text, as the logtracer seed's {@code inspect} prints it; used by the console target and
 * by {@code aitrace inspect}:
 * <pre>
 * Trace: [agent] weather_agent (1.21 s) ✗
 * ├── [llm] classify_intent (333 ms) ✓
 * │   ├── INFO calling model
 * │   └── annotation: "High confidence, routing to weather tool"
 * ├── [tool] search (12 ms) ✗
 * │   └── error: java.io.IOException: timeout
 * └── [tool] search#2 (15 ms) ✓  ↻ retry of search
 * </pre>
 * Under each span, at {@link Detail#STANDARD}: its error, then its children, log lines and annotations in time
 * order; at {@link Detail#FULL} also its attributes and input (before) and output (after). Siblings that ran at
 * the same time ({@link Node#isConcurrent()}) are marked {@code ‖}. Repeated siblings are numbered
 * ({@code search#2}). Long values are cut to the width at {@code STANDARD} and wrapped at {@code FULL}.
 *
 * <pre>{@code
 * new TreePrinter(TreePrinter.Detail.FULL, TreePrinter.Style.PLAIN, 120).print(graph.trace(id), out);
 * }</pre>
 */
public final class TreePrinter {
    private static final int MIN_BODY_WIDTH = 24;
    private static final int FULL_VALUE_LINES = 20;
    /** Tree levels indented one step each; deeper ones keep this indentation and show their depth. */
    private static final int MAX_INDENT_DEPTH = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Entry> BY_TIME =
            Comparator.comparing(Entry::time, Comparator.nullsLast(Comparator.naturalOrder()));

    /** How much of each span is printed. */
    public enum Detail {
        /** One line per span: type, name, duration, status, edges. */
        MINIMAL,
        /** Also errors, annotations and log lines. */
        STANDARD,
        /** Also inputs, outputs, attributes and the details of logs and errors. */
        FULL;

        boolean atLeast(Detail other) {
            return compareTo(other) >= 0;
        }
    }

    /** The colours of the parts of a line: each method wraps the text in escape codes, or returns it as it is. */
    public interface Style {
        /** No colours. */
        Style PLAIN = new Style() { };
        /** ANSI terminal colours. */
        Style ANSI = new Style() {
            @Override public String ok(String text) { return ansi(text, "32", "39"); }
            @Override public String error(String text) { return ansi(text, "31", "39"); }
            @Override public String warn(String text) { return ansi(text, "33", "39"); }
            @Override public String type(String text) { return ansi(text, "36", "39"); }
            @Override public String edge(String text) { return ansi(text, "35", "39"); }
            @Override public String name(String text) { return ansi(text, "1", "22"); }
            @Override public String dim(String text) { return ansi(text, "2", "22"); }
        };

        default String ok(String text) { return text; }
        default String error(String text) { return text; }
        default String warn(String text) { return text; }
        default String type(String text) { return text; }
        default String edge(String text) { return text; }
        default String name(String text) { return text; }
        default String dim(String text) { return text; }

        /** A log line's label coloured by its level. */
        default String level(String level, String text) {
            if (level == null) {
                return text;
            }
            switch (level) {
                case "error":
                case "fatal":
                case "critical":
                    return error(text);
                case "warn":
                case "warning":
                    return warn(text);
                case "debug":
                case "trace":
                    return dim(text);
                default:
                    return text;
            }
        }

        private static String ansi(String text, String on, String off) {
            return text.isEmpty() ? text : "\u001B[" + on + "m" + text + "\u001B[" + off + "m";
        }
    }

    private final Detail detail;
    private final Style style;
    private final int width;
    private Map<Node, String> labels = Map.of();
    private TraceGraph trace;
    private PriceTable prices;
    private Set<Node> critical = Set.of();
    private int usageColumn;
    private Map<Node, String> usage = Map.of();

    /** @param width the widest line; 0 for no limit */
    public TreePrinter(Detail detail, Style style, int width) {
        this.detail = detail;
        this.style = style;
        this.width = width;
    }

    /**
     * Adds a column of tokens and cost to each span line at {@link Detail#STANDARD} and above: a span's own
     * call, or {@code Σ} its subtree's total when spans below it used tokens.
     */
    public TreePrinter withUsage(PriceTable priceTable) {
        this.prices = priceTable;
        return this;
    }

    /** Marks these spans (but roots) with {@code ◆} after their status: the critical path, the spans the trace's end waited on. */
    public TreePrinter markCriticalPath(Collection<Node> path) {
        Set<Node> marked = Collections.newSetFromMap(new IdentityHashMap<>());
        marked.addAll(path);
        this.critical = marked;
        return this;
    }

    /** What goes under a span: a child span or one line of detail (a log line, an annotation, a value). */
    private record Entry(Instant time, Node child, String label, UnaryOperator<String> labelStyle, String body,
            boolean wrap) {
        static Entry child(Node node) {
            return new Entry(node.start(), node, null, null, null, false);
        }

        static Entry detail(Instant time, String label, UnaryOperator<String> labelStyle, String body, boolean wrap) {
            return new Entry(time, null, label, labelStyle, body, wrap);
        }
    }

    /** Prints the trace (one trace of a graph: see {@link TraceGraph#trace(String)}). */
    public void print(TraceGraph trace, PrintWriter out) {
        this.trace = trace;
        this.labels = labels(trace);
        List<Node> roots = trace.roots();
        this.usage = showsUsage() ? Usage.columns(roots, prices) : Map.of();
        this.usageColumn = showsUsage() ? usageColumn(roots) : 0;
        if (roots.size() == 1) {
            Node root = roots.get(0);
            out.println(style.name("Trace: ") + spanLineWithUsage(root, "Trace: "));
            printEntries(entriesOf(root), "", out);
        } else {
            String id = roots.isEmpty() ? "(no spans)" : roots.get(0).traceId();
            out.println(style.name("Trace: ") + id + style.dim(" (" + roots.size() + " roots)"));
            printEntries(childEntries(roots), "", out);
        }
        if (detail.atLeast(Detail.STANDARD) && !trace.orphanLogs().isEmpty()) {
            out.println("Logs outside any span:");
            List<Entry> logs = new ArrayList<>();
            trace.orphanLogs().forEach(log -> logs.add(logEntry(log)));
            printEntries(logs, "", out);
        }
    }

    /** One level of the tree being printed: its entries, the next one to print and the indentation in front. */
    private static final class Level {
        final List<Entry> entries;
        final String indent;
        final int depth;
        int next;

        Level(List<Entry> entries, String indent, int depth) {
            this.entries = entries;
            this.indent = indent;
            this.depth = depth;
        }
    }

    /**
     * Prints entries and, under each child span, its own entries, depth first with a stack of its own instead of
     * recursion: a parent chain thousands of spans deep prints like a shallow one. Below {@value #MAX_INDENT_DEPTH}
     * levels the indentation stops growing (each line would otherwise be longer than the one before) and the
     * span's depth is shown instead.
     */
    private void printEntries(List<Entry> entries, String indent, PrintWriter out) {
        List<Level> stack = new ArrayList<>();
        stack.add(new Level(entries, indent, 0));
        while (!stack.isEmpty()) {
            Level level = stack.get(stack.size() - 1);
            if (level.next == level.entries.size()) {
                stack.remove(stack.size() - 1);
                continue;
            }
            Entry entry = level.entries.get(level.next++);
            boolean last = level.next == level.entries.size();
            boolean deep = level.depth >= MAX_INDENT_DEPTH;
            String first = deep ? level.indent + "└╌ " : level.indent + (last ? "└── " : "├── ");
            String rest = deep ? level.indent : level.indent + (last ? "    " : "│   ");
            if (entry.child() != null) {
                String depth = deep ? style.dim("(depth " + (level.depth + 1) + ") ") : "";
                out.println(style.dim(first) + depth + spanLineWithUsage(entry.child(), first + depth));
                stack.add(new Level(entriesOf(entry.child()), rest, level.depth + 1));
            } else {
                printDetail(entry, first, rest, out);
            }
        }
    }

    private void printDetail(Entry entry, String first, String rest, PrintWriter out) {
        int room = width <= 0 ? 0
                : Math.max(MIN_BODY_WIDTH, width - TextFit.width(first) - TextFit.width(entry.label()));
        List<String> lines = entry.wrap() && detail == Detail.FULL
                ? TextFit.wrap(entry.body(), room, FULL_VALUE_LINES)
                : List.of(TextFit.cut(entry.body(), room));
        String label = entry.labelStyle().apply(entry.label());
        out.println(style.dim(first) + label + lines.get(0));
        String hang = " ".repeat(TextFit.width(entry.label()));
        for (String line : lines.subList(1, lines.size())) {
            out.println(style.dim(rest) + hang + line);
        }
    }

    private List<Entry> entriesOf(Node node) {
        List<Entry> entries = new ArrayList<>();
        boolean full = detail == Detail.FULL;
        if (detail.atLeast(Detail.STANDARD) && node.error() != null) {
            entries.add(Entry.detail(null, "error: ", style::error, errorText(node.error(), full), true));
        }
        if (full && !node.attributes().isEmpty()) {
            entries.add(Entry.detail(null, "attributes: ", style::dim, compact(node.attributes()), true));
        }
        if (full && node.input() != null) {
            entries.add(Entry.detail(null, "input: ", style::dim, compact(node.input()), true));
        }
        List<Entry> timeline = new ArrayList<>(childEntries(node.children()));
        if (detail.atLeast(Detail.STANDARD)) {
            node.logs().forEach(log -> timeline.add(logEntry(log)));
            for (Annotation note : node.annotations()) {
                timeline.add(Entry.detail(note.timestamp(), "annotation: ", style::warn, compact(note.text()), true));
            }
            for (Evaluation evaluation : node.evaluations()) {
                timeline.add(Entry.detail(evaluation.timestamp(), "eval: ", style::edge, evaluationText(evaluation),
                        true));
            }
        }
        timeline.sort(BY_TIME);
        entries.addAll(timeline);
        if (full && node.output() != null) {
            entries.add(Entry.detail(null, "output: ", style::dim, compact(node.output()), true));
        }
        return entries;
    }

    private static List<Entry> childEntries(List<Node> children) {
        List<Entry> entries = new ArrayList<>(children.size());
        for (Node child : children) {
            entries.add(Entry.child(child));
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
        if (detail == Detail.FULL) {
            if (!log.attrs().isEmpty()) {
                body.append(' ').append(compact(log.attrs()));
            }
            if (log.logger() != null) {
                body.append(" (").append(log.logger()).append(')');
            }
        }
        return Entry.detail(log.timestamp(), label, text -> style.level(level, text), body.toString(), true);
    }

    private boolean showsUsage() {
        return prices != null && detail.atLeast(Detail.STANDARD);
    }

    /** Where the usage column starts: after the widest span line, but leaving it room within the width. */
    private int usageColumn(List<Node> roots) {
        boolean oneRoot = roots.size() == 1;
        int widest = 0;
        int widestUsage = 0;
        List<Node> pending = new ArrayList<>(roots);
        List<Integer> depths = new ArrayList<>(Collections.nCopies(roots.size(), 0));
        while (!pending.isEmpty()) {
            Node node = pending.remove(pending.size() - 1);
            int depth = depths.remove(depths.size() - 1);
            int shown = Math.min(depth, MAX_INDENT_DEPTH) + (depth > MAX_INDENT_DEPTH ? 4 : 0); // "(depth N) "
            int indent = oneRoot ? (depth == 0 ? "Trace: ".length() : 4 * shown) : 4 * (shown + 1);
            widest = Math.max(widest, indent + TextFit.width(spanLine(node, Style.PLAIN)));
            widestUsage = Math.max(widestUsage, TextFit.width(usage.getOrDefault(node, "")));
            for (Node child : node.children()) {
                pending.add(child);
                depths.add(depth + 1);
            }
        }
        int column = widest + 2;
        return width > 0 ? Math.max(0, Math.min(column, width - widestUsage)) : column;
    }

    /** The line of a span with its usage column, padded to the column. */
    private String spanLineWithUsage(Node node, String prefix) {
        String line = spanLine(node);
        if (!showsUsage()) {
            return line;
        }
        String column = usage.get(node);
        if (column == null) {
            return line;
        }
        int used = TextFit.width(prefix) + TextFit.width(spanLine(node, Style.PLAIN));
        return line + " ".repeat(Math.max(2, usageColumn - used)) + style.dim(column);
    }

    /** {@code [tool] search#2 (15 ms) ✓  ↻ retry of search}, with {@code ‖ } in front of a concurrent sibling. */
    public String spanLine(Node node) {
        return spanLine(node, style);
    }

    private String spanLine(Node node, Style style) {
        StringBuilder line = new StringBuilder();
        if (node.isConcurrent()) {
            line.append(style.edge("‖ "));
        }
        line.append(style.type("[" + node.type().name() + "]")).append(' ');
        line.append(style.name(labels.getOrDefault(node, node.name())));
        if (node.isImplicit()) {
            line.append(style.dim(" (no span record: known from its log lines)"));
        } else {
            line.append(' ').append(style.dim("(" + Durations.format(node.durationMs()) + ")"));
            line.append(' ').append(mark(node, style));
            if (node.parent() != null && critical.contains(node)) { // a root is always on it: not marked
                line.append(' ').append(style.warn("◆"));
            }
        }
        for (Edge edge : node.edges()) {
            line.append("  ").append(style.edge(edgePhrase(edge) + " " + edgeTarget(edge)));
        }
        return line.toString();
    }

    private static String mark(Node node, Style style) {
        if (node.isError()) {
            return style.error("✗");
        }
        return node.isEnded() ? style.ok("✓") : style.warn("…");
    }

    /** {@code ↻ retry of}, {@code ⤷ fallback of}, … for an edge's type. */
    public static String edgePhrase(Edge edge) {
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
            if (target != null && labels.containsKey(target)) {
                return labels.get(target);
            }
        }
        String span = "span " + shortId(edge.toSpanId());
        boolean elsewhere = edge.toTraceId() != null && trace != null && !trace.roots().isEmpty()
                && !edge.toTraceId().equals(trace.roots().get(0).traceId());
        return elsewhere ? span + " of trace " + shortId(edge.toTraceId()) : span;
    }

    /** {@code java.io.IOException: timeout}, and with {@code withStack} the stack below it. */
    public static String errorText(Map<String, Object> error, boolean withStack) {
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

    /** {@code faithfulness 0.82 pass — grounded in 3 of 3 sources}. */
    public static String evaluationText(Evaluation evaluation) {
        StringBuilder text = new StringBuilder(evaluation.name());
        if (evaluation.score() != null) {
            text.append(' ').append(formatScore(evaluation.score()));
        }
        if (evaluation.label() != null) {
            text.append(' ').append(evaluation.label());
        }
        if (evaluation.explanation() != null && !evaluation.explanation().isBlank()) {
            text.append(" — ").append(evaluation.explanation());
        }
        return text.toString();
    }

    private static String formatScore(double score) {
        return score == Math.rint(score) && Math.abs(score) < 1e15 ? Long.toString((long) score)
                : new java.math.BigDecimal(score).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** The first eight characters of an ID. */
    public static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(8, id.length()));
    }

    /** One line of JSON; a value Jackson cannot write becomes its toString. */
    private static String compact(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** Each span's name, numbered when a sibling before it has the same name and type: {@code search#2}. */
    private static Map<Node, String> labels(TraceGraph trace) {
        Map<Node, String> labels = new IdentityHashMap<>();
        List<List<Node>> pending = new ArrayList<>();
        pending.add(trace.roots());
        while (!pending.isEmpty()) {
            List<Node> siblings = pending.remove(pending.size() - 1);
            Map<String, Integer> seen = new HashMap<>();
            for (Node node : siblings) {
                int occurrence = seen.merge(node.type().name() + "\u0000" + node.name(), 1, Integer::sum);
                labels.put(node, occurrence > 1 ? node.name() + "#" + occurrence : node.name());
                pending.add(node.children());
            }
        }
        return labels;
    }
}
