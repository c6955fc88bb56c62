package io.aitrace.core.read;

import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a span sits in its trace: the names and types from the root down. Siblings with the same name and type
 * are told apart by their order: the second {@code search} under {@code agent} is {@code agent/search#2}.
 * Two traces' spans with equal paths are "the same step" (see {@link TraceAlignment}).
 *
 * @param segments from the root to the span
 */
public record NodePath(List<Segment> segments) {

    /**
     * One step of a path.
     *
     * @param occurrence 1 for the first sibling with this name and type (in start order), 2 for the second, …
     */
    public record Segment(String name, NodeType type, int occurrence) {
        /** {@code search}, or {@code search#2} for a repeated sibling. */
        public String text() {
            return occurrence > 1 ? name + "#" + occurrence : name;
        }
    }

    public NodePath {
        segments = List.copyOf(segments);
    }

    public NodePath child(Segment segment) {
        List<Segment> longer = new ArrayList<>(segments);
        longer.add(segment);
        return new NodePath(longer);
    }

    /** The last segment, or null for the empty path above the roots. */
    public Segment last() {
        return segments.isEmpty() ? null : segments.get(segments.size() - 1);
    }

    /** Numbers the siblings of one level by name and type, in the order given (start order). */
    public static List<Segment> segments(List<Node> siblings) {
        Map<String, Integer> seen = new HashMap<>();
        List<Segment> result = new ArrayList<>(siblings.size());
        for (Node node : siblings) {
            int occurrence = seen.merge(node.type().name() + "\u0000" + node.name(), 1, Integer::sum);
            result.add(new Segment(node.name(), node.type(), occurrence));
        }
        return result;
    }

    /** The path of every span of a trace. */
    public static Map<Node, NodePath> index(TraceGraph trace) {
        Map<Node, NodePath> paths = new IdentityHashMap<>();
        List<Placed> pending = new ArrayList<>();
        place(trace.roots(), new NodePath(List.of()), pending);
        while (!pending.isEmpty()) {
            Placed next = pending.remove(pending.size() - 1);
            paths.put(next.node(), next.path());
            place(next.node().children(), next.path(), pending);
        }
        return paths;
    }

    private record Placed(Node node, NodePath path) {
    }

    private static void place(List<Node> siblings, NodePath parent, List<Placed> into) {
        List<Segment> numbered = segments(siblings);
        for (int i = 0; i < numbered.size(); i++) {
            into.add(new Placed(siblings.get(i), parent.child(numbered.get(i))));
        }
    }

    /** {@code weather_agent/search#2}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Segment segment : segments) {
            if (text.length() > 0) {
                text.append('/');
            }
            text.append(segment.text());
        }
        return text.toString();
    }
}
