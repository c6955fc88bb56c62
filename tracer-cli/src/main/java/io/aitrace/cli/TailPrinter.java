package io.aitrace.cli;

import io.aitrace.read.Annotation;
import io.aitrace.read.Edge;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.text.Durations;
import io.aitrace.core.text.TextFit;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Prints what is new in a growing trace: a line when a span starts, a line when it ends, indented by depth, and
 * (at {@code standard}) log lines and annotations under their span. Each call compares the graph with what was
 * printed before. Depths are worked out once per call for the whole graph, and below {@value #MAX_INDENT_DEPTH}
 * levels the indentation stops growing and the depth is written instead (as {@code inspect} does): a chain a
 * hundred thousand spans deep prints in time and width proportional to its length.
 * <pre>
 * ── trace 4bf92f3577b34da6a3ce929d0e0e4736
 * 18:00:00.123 ▶ [agent] weather_agent
 * 18:00:00.130   ▶ [llm] classify_intent
 * 18:00:00.300       INFO calling model
 * 18:00:00.463   ✓ [llm] classify_intent (333 ms)
 * </pre>
 */
final class TailPrinter {
    private static final int TIME_WIDTH = "00:00:00.000".length();
    /** The deepest level indented as such; deeper spans are indented as deep as this and show their depth. */
    static final int MAX_INDENT_DEPTH = 40;
    private static final Comparator<Event> BY_TIME =
            Comparator.comparing(Event::time, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Verbosity verbosity;
    private final Palette palette;
    private final int width;
    private final DateTimeFormatter clock;
    private final Map<String, Boolean> endedBySpan = new HashMap<>();
    private final Set<LogEntry> printedLogs = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> traces = new HashSet<>();

    private record Event(Instant time, String traceId, List<String> lines) {
    }

    TailPrinter(Verbosity verbosity, Palette palette, int width, ZoneId zone) {
        this.verbosity = verbosity;
        this.palette = palette;
        this.width = width;
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(zone);
    }

    /** Takes note of everything in the graph without printing it (what was there before tail started). */
    void skip(TraceGraph graph) {
        for (Node node : graph.nodes()) {
            if (!node.isImplicit()) {
                endedBySpan.put(node.spanId(), node.isEnded());
                traces.add(node.traceId());
            }
        }
        printedLogs.addAll(graph.logs());
    }

    /** Prints the starts, ends and log lines not printed yet, in time order. */
    void print(TraceGraph graph, PrintWriter out) {
        Depths depths = new Depths();
        List<Event> events = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (node.isImplicit()) {
                continue;
            }
            Boolean ended = endedBySpan.get(node.spanId());
            if (ended == null) {
                events.add(new Event(node.start(), node.traceId(),
                        List.of(line(node.start(), depths.of(node), startText(node)))));
            }
            if (node.isEnded() && !Boolean.TRUE.equals(ended)) {
                events.add(new Event(node.end(), node.traceId(), endLines(graph, node, depths.of(node))));
            }
            endedBySpan.put(node.spanId(), node.isEnded());
        }
        if (verbosity.atLeast(Verbosity.STANDARD)) {
            for (LogEntry log : graph.logs()) {
                if (printedLogs.add(log)) {
                    Node owner = log.spanId() == null ? null : graph.node(log.spanId()).orElse(null);
                    int depth = owner == null ? 0 : depths.of(owner) + 1;
                    String level = log.level() == null ? null : log.level().toLowerCase(Locale.ROOT);
                    String label = (level == null ? "LOG" : level.toUpperCase(Locale.ROOT)) + " ";
                    String error = log.error() == null ? "" : " — " + TreeRenderer.errorText(log.error(), false);
                    String body = (log.event() == null ? "" : log.event()) + error;
                    events.add(new Event(log.timestamp(), log.traceId(), List.of(
                            detail(log.timestamp(), depth, label, text -> palette.level(level, text), body))));
                }
            }
        } else {
            printedLogs.addAll(graph.logs());
        }
        events.sort(BY_TIME);
        for (Event event : events) {
            if (event.traceId() != null && traces.add(event.traceId())) {
                out.println(palette.name("── trace " + event.traceId()));
            }
            event.lines().forEach(out::println);
        }
    }

    private String startText(Node node) {
        return palette.dim("▶ ") + palette.type("[" + node.type().name() + "]") + " " + palette.name(node.name());
    }

    private List<String> endLines(TraceGraph graph, Node node, int depth) {
        String mark = node.isError() ? palette.error("✗") : palette.ok("✓");
        StringBuilder text = new StringBuilder(mark).append(' ')
                .append(palette.type("[" + node.type().name() + "]")).append(' ').append(palette.name(node.name()))
                .append(' ').append(palette.dim("(" + Durations.format(node.durationMs()) + ")"));
        for (Edge edge : node.edges()) {
            String target = graph.node(edge.toSpanId()).map(Node::name)
                    .orElse("span " + TreeRenderer.shortId(edge.toSpanId()));
            text.append("  ").append(palette.edge(TreeRenderer.edgePhrase(edge) + " " + target));
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(node.end(), depth, text.toString()));
        int below = depth + 1;
        if (verbosity.atLeast(Verbosity.STANDARD)) {
            if (node.error() != null) {
                lines.add(detail(node.end(), below, "error: ", palette::error,
                        TreeRenderer.errorText(node.error(), false)));
            }
            for (Annotation note : node.annotations()) {
                lines.add(detail(node.end(), below, "annotation: ", palette::warn, JsonText.compact(note.text())));
            }
        }
        if (verbosity == Verbosity.FULL) {
            if (node.input() != null) {
                lines.add(detail(node.end(), below, "input: ", palette::dim, JsonText.compact(node.input())));
            }
            if (node.output() != null) {
                lines.add(detail(node.end(), below, "output: ", palette::dim, JsonText.compact(node.output())));
            }
        }
        return lines;
    }

    private String line(Instant time, int depth, String text) {
        String shown = depth > MAX_INDENT_DEPTH ? palette.dim("(depth " + depth + ") ") : "";
        return timestamp(time) + " " + indent(depth) + shown + text;
    }

    private static String indent(int depth) {
        return "  ".repeat(Math.min(depth, MAX_INDENT_DEPTH));
    }

    /** A label and a value under a span, the value cut to what is left of the width. */
    private String detail(Instant time, int depth, String label, UnaryOperator<String> labelStyle, String body) {
        String indent = indent(depth) + "  ";
        int room = width <= 0 ? 0 : Math.max(20, width - TIME_WIDTH - 1 - indent.length() - TextFit.width(label));
        return timestamp(time) + " " + indent + labelStyle.apply(label) + TextFit.cut(body, room);
    }

    private String timestamp(Instant time) {
        return palette.dim(time == null ? "            " : clock.format(time));
    }

    /**
     * The depth of each span of one graph, each found once: a span's walk up stops at the first ancestor whose
     * depth is known, so the whole graph costs time in proportion to its spans, however deep.
     */
    private static final class Depths {
        private final Map<Node, Integer> known = new IdentityHashMap<>();

        int of(Node node) {
            Integer depth = known.get(node);
            if (depth != null) {
                return depth;
            }
            List<Node> unknown = new ArrayList<>();
            Node at = node;
            while (at != null && (depth = known.get(at)) == null) {
                unknown.add(at);
                at = at.parent();
            }
            int next = at == null ? 0 : depth + 1;
            for (int i = unknown.size() - 1; i >= 0; i--) {
                known.put(unknown.get(i), next++);
            }
            return next - 1;
        }
    }
}
