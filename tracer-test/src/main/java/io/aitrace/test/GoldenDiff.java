package io.aitrace.test;

import io.aitrace.core.read.NodePath;
import io.aitrace.core.read.TraceAlignment;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.read.Edge;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What differs in structure between a golden trace (A) and this run (B), span by span, with spans paired by
 * {@link TraceAlignment} as {@code aitrace diff} pairs them, in its wording: spans only in A or only in B (a
 * missing subtree once, at its top), status changes (with the error type), a changed order of sequential
 * children, changed edges, and changed chosen attributes.
 */
final class GoldenDiff {
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    private GoldenDiff() {
    }

    static GoldenDiff compare(TraceGraph golden, TraceGraph run, List<String> attributes) {
        GoldenDiff diff = new GoldenDiff();
        Map<Node, NodePath> goldenPaths = NodePath.index(golden);
        Map<Node, NodePath> runPaths = NodePath.index(run);
        List<TraceAlignment.Pair> rows = TraceAlignment.align(golden, run);
        for (int i = 0; i < rows.size(); i++) {
            TraceAlignment.Pair pair = rows.get(i);
            if (!pair.matched()) {
                int below = 0;
                while (i + below + 1 < rows.size() && rows.get(i + below + 1).depth() > pair.depth()) {
                    below++;
                }
                String detail = below == 0 ? "" : " (and " + TraceGraphAssert.plural(below, "span") + " below)";
                if (pair.onlyInA()) {
                    diff.add("- only in A  ", "only in A", where(pair) + detail);
                } else {
                    diff.add("+ only in B  ", "only in B", where(pair) + detail);
                }
                i += below;
                continue;
            }
            Node a = pair.a();
            Node b = pair.b();
            if (!status(a).equals(status(b))) {
                String why = b.isError() && b.error() != null ? " (" + TreePrinter.errorText(b.error(), false) + ")"
                        : "";
                diff.add("! status     ", "status change", where(pair) + ": " + status(a) + " → " + b.status() + why);
            }
            List<String> aOrder = order(a, b, true);
            List<String> bOrder = order(a, b, false);
            if (!aOrder.equals(bOrder)) {
                diff.add("↕ order      ", "order change", where(pair) + ": " + String.join(", ", aOrder) + " → "
                        + String.join(", ", bOrder));
            }
            List<String> aEdges = edges(golden, goldenPaths, a);
            List<String> bEdges = edges(run, runPaths, b);
            if (!aEdges.equals(bEdges)) {
                diff.add("⇄ edges      ", "edge change", where(pair) + ": " + listOrNone(aEdges) + " → "
                        + listOrNone(bEdges));
            }
            for (String key : attributes) {
                boolean inA = a.attributes().containsKey(key);
                boolean inB = b.attributes().containsKey(key);
                if (inA != inB || inA && !SpanAssert.same(a.attribute(key), b.attribute(key))) {
                    diff.add("≠ attribute  ", "attribute change", where(pair) + ": " + key + ": "
                            + (inA ? show(a.attribute(key)) : "(none)") + " → "
                            + (inB ? show(b.attribute(key)) : "(none)"));
                }
            }
        }
        return diff;
    }

    /** Where a difference is, named only for the rows that differ: a path's text grows with its depth. */
    private static String where(TraceAlignment.Pair pair) {
        return pair.path() + " [" + pair.either().type().name() + "]";
    }

    boolean equal() {
        return lines.isEmpty();
    }

    /** One line per difference, then the verdict. */
    String report() {
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, count) -> parts.add(count + " " + (count == 1 || kind.startsWith("only") ? kind
                : kind + "s")));
        return String.join("\n", lines) + "\n\nDifferent: " + String.join(", ", parts) + ".";
    }

    private void add(String label, String kind, String text) {
        lines.add(label + text);
        counts.merge(kind, 1, Integer::sum);
    }

    /** {@code ok}, {@code running}, or {@code error java.io.IOException}. */
    private static String status(Node node) {
        if (!node.isError()) {
            return node.status();
        }
        Object type = node.error() == null ? null : node.error().get("type");
        return type == null ? "error" : "error " + type;
    }

    /**
     * The labels of the children both spans have, in one span's start order; children that ran at the same time
     * as a sibling in this run are left out (their order is chance).
     */
    private static List<String> order(Node a, Node b, boolean ofA) {
        List<NodePath.Segment> aKeys = NodePath.segments(a.children());
        List<NodePath.Segment> bKeys = NodePath.segments(b.children());
        Set<NodePath.Segment> common = new HashSet<>(aKeys);
        common.retainAll(bKeys);
        for (int j = 0; j < bKeys.size(); j++) {
            if (b.children().get(j).isConcurrent()) {
                common.remove(bKeys.get(j));
            }
        }
        return (ofA ? aKeys : bKeys).stream().filter(common::contains).map(NodePath.Segment::text)
                .collect(Collectors.toList());
    }

    /** {@code fallback_of → booking/flight_search}, sorted; edges to spans outside the trace are left out. */
    private static List<String> edges(TraceGraph trace, Map<Node, NodePath> paths, Node node) {
        List<String> edges = new ArrayList<>();
        for (Edge edge : node.edges()) {
            trace.node(edge.toSpanId()).ifPresent(target ->
                    edges.add(edge.typeName() + " → " + paths.get(target)));
        }
        edges.sort(null);
        return edges;
    }

    private static String listOrNone(List<String> items) {
        return items.isEmpty() ? "(none)" : String.join(", ", items);
    }

    private static String show(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
