package io.aitrace.core.read;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

    /**
     * The merged tree of two traces (each one trace: see {@link TraceGraph#trace(String)}). Built without
     * recursion, so a chain of any depth is aligned within a small stack.
     */
    public static List<Pair> align(TraceGraph a, TraceGraph b) {
        List<Pair> rows = new ArrayList<>();
        // Rows still to place, the next one on top: a row's children go on top of its later siblings (pre-order).
        Deque<Pair> pending = new ArrayDeque<>();
        pushInOrder(siblings(a.roots(), b.roots(), NodePath.ROOT, 0), pending);
        while (!pending.isEmpty()) {
            Pair row = pending.pop();
            rows.add(row);
            pushInOrder(children(row), pending);
        }
        return rows;
    }

    private static void pushInOrder(List<Pair> rows, Deque<Pair> pending) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            pending.push(rows.get(i));
        }
    }

    /** The rows one level below {@code row}: its children paired, or the one side's children alone. */
    private static List<Pair> children(Pair row) {
        if (row.matched()) {
            return siblings(row.a().children(), row.b().children(), row.path(), row.depth() + 1);
        }
        Node only = row.either();
        List<NodePath.Segment> keys = NodePath.segments(only.children());
        List<Pair> rows = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Node child = only.children().get(i);
            rows.add(new Pair(row.path().child(keys.get(i)), row.a() != null ? child : null,
                    row.b() != null ? child : null, row.depth() + 1));
        }
        return rows;
    }

    /**
     * Two lists of siblings merged: A's in their order, each with B's span of the same path; B's spans that A
     * lacks where they stand in B (before the next match).
     */
    private static List<Pair> siblings(List<Node> as, List<Node> bs, NodePath parent, int depth) {
        List<NodePath.Segment> aKeys = NodePath.segments(as);
        List<NodePath.Segment> bKeys = NodePath.segments(bs);
        Map<NodePath.Segment, Integer> bIndex = new HashMap<>();
        for (int j = 0; j < bKeys.size(); j++) {
            bIndex.put(bKeys.get(j), j);
        }
        Set<NodePath.Segment> inA = new HashSet<>(aKeys);
        boolean[] bUsed = new boolean[bs.size()];
        List<Pair> rows = new ArrayList<>(Math.max(as.size(), bs.size()));
        int bNext = 0; // B's spans before this index are placed
        for (int i = 0; i < as.size(); i++) {
            Integer j = bIndex.get(aKeys.get(i));
            if (j != null) {
                // B's unmatched spans that come before this match in B come before it here too
                for (; bNext < j; bNext++) {
                    if (!bUsed[bNext] && !inA.contains(bKeys.get(bNext))) {
                        bUsed[bNext] = true;
                        rows.add(new Pair(parent.child(bKeys.get(bNext)), null, bs.get(bNext), depth));
                    }
                }
                bUsed[j] = true;
                rows.add(new Pair(parent.child(aKeys.get(i)), as.get(i), bs.get(j), depth));
            } else {
                rows.add(new Pair(parent.child(aKeys.get(i)), as.get(i), null, depth));
            }
        }
        for (int j = 0; j < bs.size(); j++) {
            if (!bUsed[j] && !inA.contains(bKeys.get(j))) {
                rows.add(new Pair(parent.child(bKeys.get(j)), null, bs.get(j), depth));
            }
        }
        return rows;
    }
}
