package io.aitrace.examples;

import io.aitrace.Annotation;
import io.aitrace.Edge;
import io.aitrace.Node;
import io.aitrace.TraceGraph;
import java.io.PrintStream;
import java.util.Locale;

/** Prints a trace as an indented tree: type, name, duration, status, annotations and edges. */
public final class TreePrinter {
    private TreePrinter() {
    }

    public static void print(TraceGraph graph, PrintStream out) {
        for (Node root : graph.roots()) {
            print(graph, root, "", out);
        }
    }

    private static void print(TraceGraph graph, Node node, String indent, PrintStream out) {
        Double ms = node.durationMs();
        out.printf(Locale.ROOT, "%s[%s] %s %s %s%n", indent, node.type().name().toUpperCase(Locale.ROOT), node.name(),
                ms == null ? "running" : String.format(Locale.ROOT, "%.1fms", ms), node.isError() ? "✗" : "✓");
        for (Edge edge : node.edges()) {
            String target = graph.node(edge.toSpanId()).map(Node::name).orElse(edge.toSpanId());
            out.printf("%s  ↻ %s %s%n", indent, edge.typeName().replace('_', ' '), target);
        }
        for (Annotation note : node.annotations()) {
            out.printf("%s  💭 %s%n", indent, note.text());
        }
        if (node.isError() && node.error() != null) {
            out.printf("%s  ! %s%n", indent, node.error().get("message"));
        }
        for (Node child : node.children()) {
            print(graph, child, indent + "  ", out);
        }
    }
}
