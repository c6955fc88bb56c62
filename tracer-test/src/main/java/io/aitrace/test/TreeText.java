package io.aitrace.test;

import io.aitrace.core.read.NodePath;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A trace drawn for a failure message, as {@code aitrace inspect} draws it, with the spans an assertion is about
 * marked {@code ◀}. A long tree is cut to the lines around the first mark.
 */
final class TreeText {
    static final String MARK = "  ◀";
    private static final int WIDTH = 120;
    private static final int MAX_LINES = 60;
    private static final int CONTEXT = 25;

    private TreeText() {
    }

    /** The tree of {@code trace} (one trace) with {@code marked} spans marked. */
    static String draw(TraceGraph trace, Collection<Node> marked) {
        TreePrinter printer = new TreePrinter(TreePrinter.Detail.STANDARD, TreePrinter.Style.PLAIN, WIDTH);
        StringWriter text = new StringWriter();
        printer.print(trace, new PrintWriter(text));
        List<String> lines = new ArrayList<>(List.of(text.toString().split("\\R")));
        // After print(), spanLine(node) is the text the printer wrote for that node (with its #n label).
        List<Node> order = preOrder(trace);
        Map<String, List<Node>> sameLine = order.stream().collect(Collectors.groupingBy(printer::spanLine));
        Set<String> markedIds = marked.stream().map(Node::spanId).collect(Collectors.toSet());
        int firstMark = -1;
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            for (Map.Entry<String, List<Node>> entry : sameLine.entrySet()) {
                if (line.endsWith("── " + entry.getKey()) || line.equals("Trace: " + entry.getKey())) {
                    int k = seen.merge(entry.getKey(), 1, Integer::sum) - 1;
                    List<Node> nodes = entry.getValue();
                    if (k < nodes.size() && markedIds.contains(nodes.get(k).spanId())) {
                        lines.set(i, line + MARK);
                        firstMark = firstMark < 0 ? i : firstMark;
                    }
                    break;
                }
            }
        }
        return String.join("\n", cut(lines, firstMark));
    }

    /** The tree of the trace a node belongs to, read from the node's links (for a node asserted on alone). */
    static TraceGraph traceOf(Node node) {
        Node root = node;
        while (root.parent() != null) {
            root = root.parent();
        }
        List<Node> copies = new ArrayList<>();
        List<LogEntry> logs = new ArrayList<>();
        for (Node n : subtree(root)) {
            copies.add(new Node(n.traceId(), n.spanId(), n.parentSpanId(), n.name(), n.type(), n.spanKind(),
                    n.start(), n.end(), n.status(), n.error(), n.attributes(), n.input(), n.output(),
                    n.annotations(), n.edges(), n.resource(), n.thread(), n.isImplicit(), n.evaluations()));
            logs.addAll(n.logs());
        }
        return new TraceGraph(copies, logs, 0, List.of(), 0);
    }

    /** The node with the same span ID in another reading of its trace. */
    static Node sameIn(TraceGraph trace, Node node) {
        return trace.node(node.spanId()).orElse(node);
    }

    /** {@code booking/flight_search#2}: where the node sits, as {@code aitrace diff} names it. */
    static String path(TraceGraph trace, Node node) {
        NodePath path = NodePath.index(trace).get(node);
        return path == null ? node.name() : path.toString();
    }

    /** Every span of the trace, depth first, children in start order. */
    static List<Node> preOrder(TraceGraph trace) {
        List<Node> order = new ArrayList<>();
        for (Node root : trace.roots()) {
            order.addAll(subtree(root));
        }
        return order;
    }

    static List<Node> subtree(Node top) {
        List<Node> order = new ArrayList<>();
        List<Node> pending = new ArrayList<>();
        pending.add(top);
        while (!pending.isEmpty()) {
            Node n = pending.remove(pending.size() - 1);
            order.add(n);
            List<Node> children = n.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.add(children.get(i));
            }
        }
        return order;
    }

    private static List<String> cut(List<String> lines, int around) {
        if (lines.size() <= MAX_LINES) {
            return lines;
        }
        int center = Math.max(around, 0);
        int from = Math.max(1, center - CONTEXT);
        int to = Math.min(lines.size(), center + CONTEXT);
        List<String> shown = new ArrayList<>();
        shown.add(lines.get(0));
        if (from > 1) {
            shown.add("… (" + (from - 1) + " lines not shown)");
        }
        shown.addAll(lines.subList(from, to));
        if (to < lines.size()) {
            shown.add("… (" + (lines.size() - to) + " lines not shown)");
        }
        return shown;
    }
}
