package io.aitrace.test;

import io.aitrace.core.read.NodePath;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds spans by name or path: {@code flight_search}, {@code booking/flight_search}, {@code search#2} (the
 * second sibling named {@code search}). A path may start at any span, not only the root; paths are those of
 * {@code aitrace diff} ({@link NodePath}).
 */
final class SpanLookup {
    private SpanLookup() {
    }

    /** The spans of {@code within} (in tree order) whose path is {@code nameOrPath} or ends with it. */
    static List<Node> find(TraceGraph trace, List<Node> within, String nameOrPath) {
        Map<Node, NodePath> paths = NodePath.index(trace);
        String wanted = nameOrPath.strip();
        List<Node> found = new ArrayList<>();
        for (Node node : within) {
            NodePath path = paths.get(node);
            String text = path == null ? node.name() : path.toString();
            if (text.equals(wanted) || text.endsWith("/" + wanted)) {
                found.add(node);
            }
        }
        return found;
    }
}
