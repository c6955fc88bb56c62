package io.aitrace.core.read;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two traces side by side: each span of one paired with "the same step" of the other, by {@link NodePath} (the
 * names and types from the root down, repeated siblings by order). The result is the merged tree in pre-order:
 * pairs, and spans only one trace has, each at the place it has in its own trace.
 *
 * <p>Pure and free of output: {@code aitrace diff} and tracer-test's golden traces pair spans with it.
 *
 * <pre>{@code for (TraceAlignment.Pair pair : TraceAlignment.align(a, b)) { if (pair.onlyInA()) ... }}</pre>
 */
public final class TraceAlignment {
    private TraceAlignment() {
    }

    /**
     * One row of the merged tree.
     *
     * @param a the span in the first trace, or null when only the second has it
     * @param b the span in the second trace, or null when only the first has it
     * @param depth 0 for roots
     */
    public record Pair(NodePath path, Node a, Node b, int depth) {
        public boolean onlyInA() {
            return b == null;
        }

        public boolean onlyInB() {
            return a == null;
        }

        public boolean matched() {
            return a != null && b != null;
        }

        /** Whichever side has the span (the first trace's when both do). */
        public Node either() {
            return a != null ? a : b;
        }
    }

    /** The merged tree of two traces (each one trace: see {@link TraceGraph#trace(String)}). */
    public static List<Pair> align(TraceGraph a, TraceGraph b) {
        List<Pair> rows = new ArrayList<>();
        alignSiblings(a.roots(), b.roots(), NodePath.ROOT, 0, rows);
        return rows;
    }

    private static void alignSiblings(List<Node> as, List<Node> bs, NodePath parent, int depth, List<Pair> rows) {
        List<NodePath.Segment> aKeys = NodePath.segments(as);
        List<NodePath.Segment> bKeys = NodePath.segments(bs);
        Map<NodePath.Segment, Integer> bIndex = new HashMap<>();
        for (int j = 0; j < bKeys.size(); j++) {
            bIndex.put(bKeys.get(j), j);
        }
        Set<NodePath.Segment> inA = new HashSet<>(aKeys);
        boolean[] bUsed = new boolean[bs.size()];
        int bNext = 0; // B's spans before this index are placed
        for (int i = 0; i < as.size(); i++) {
            Integer j = bIndex.get(aKeys.get(i));
            if (j != null) {
                // B's unmatched spans that come before this match in B come before it here too
                for (; bNext < j; bNext++) {
                    if (!bUsed[bNext] && !inA.contains(bKeys.get(bNext))) {
                        bUsed[bNext] = true;
                        addSubtree(null, bs.get(bNext), parent.child(bKeys.get(bNext)), depth, rows);
                    }
                }
                bUsed[j] = true;
                addSubtree(as.get(i), bs.get(j), parent.child(aKeys.get(i)), depth, rows);
            } else {
                addSubtree(as.get(i), null, parent.child(aKeys.get(i)), depth, rows);
            }
        }
        for (int j = 0; j < bs.size(); j++) {
            if (!bUsed[j] && !inA.contains(bKeys.get(j))) {
                addSubtree(null, bs.get(j), parent.child(bKeys.get(j)), depth, rows);
            }
        }
    }

    private static void addSubtree(Node a, Node b, NodePath path, int depth, List<Pair> rows) {
        rows.add(new Pair(path, a, b, depth));
        if (a != null && b != null) {
            alignSiblings(a.children(), b.children(), path, depth + 1, rows);
        } else {
            Node only = a != null ? a : b;
            List<NodePath.Segment> keys = NodePath.segments(only.children());
            for (int i = 0; i < keys.size(); i++) {
                Node child = only.children().get(i);
                addSubtree(a != null ? child : null, b != null ? child : null, path.child(keys.get(i)), depth + 1,
                        rows);
            }
        }
    }
}
