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
 * <p>A path links to its parent's instead of copying it, so the paths of a chain thousands of spans deep take
 * memory in proportion to the chain, not to its square.
 */
public final class NodePath {
    /** Segments shown from each end of a longer path; the ones between are counted. */
    private static final int SHOWN_AT_EACH_END = 8;
    /** The empty path above the roots. */
    public static final NodePath ROOT = new NodePath(null, null);

    private final NodePath parent;
    private final Segment last;
    private final int length;

    private NodePath(NodePath parent, Segment last) {
        this.parent = parent;
        this.last = last;
        this.length = parent == null ? 0 : parent.length + 1;
    }

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

    public NodePath child(Segment segment) {
        return new NodePath(this, segment);
    }

    /** From the root to the span. */
    public List<Segment> segments() {
        Segment[] segments = new Segment[length];
        NodePath at = this;
        for (int i = length - 1; i >= 0; i--) {
            segments[i] = at.last;
            at = at.parent;
        }
        return List.of(segments);
    }

    /** The last segment, or null for the empty path above the roots. */
    public Segment last() {
        return last;
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
        place(trace.roots(), ROOT, pending);
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

    /**
     * {@code weather_agent/search#2}; a path longer than {@value #SHOWN_AT_EACH_END} segments at each end shows its
     * ends and the count between: {@code a/b/…/(9984 more)/…/y/z}.
     */
    @Override
    public String toString() {
        List<Segment> segments = segments();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            if (segments.size() > 2 * SHOWN_AT_EACH_END && i == SHOWN_AT_EACH_END) {
                int skipped = segments.size() - 2 * SHOWN_AT_EACH_END;
                text.append("/…(").append(skipped).append(" more)…");
                i += skipped - 1;
                continue;
            }
            if (text.length() > 0) {
                text.append('/');
            }
            text.append(segments.get(i).text());
        }
        return text.toString();
    }
}
