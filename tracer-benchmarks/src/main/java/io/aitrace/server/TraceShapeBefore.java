package io.aitrace.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TraceShape} as it was before its span IDs became longs (issue 18): span IDs as strings in a
 * {@code HashMap}, every row's columns read as strings; kept here, build and arrays only, as the baseline of
 * {@link TraceShapeBenchmark}.
 */
final class TraceShapeBefore {
    static final long NO_TIME = Long.MIN_VALUE;

    final String stamp;
    final String[] ids;
    final Map<String, Integer> index;
    final int[] childStart;
    final int[] childCounts;
    /** Each span's parent in the tree (after loops are cut), -1 for a root. */
    final int[] parent;
    /** Each span's place among its parent's children (or among the roots). */
    final int[] siblingIndex;
    final int[] children;
    final int[] order;
    final int[] depth;
    final int[] descendants;
    /** The roots in start order. */
    final int[] roots;
    /** Each span's start and end in epoch microseconds, {@link #NO_TIME} where the record has none. */
    final long[] starts;
    final long[] ends;
    /** Which spans ended in error. */
    final boolean[] failed;
    private int[] position;

    private TraceShapeBefore(String stamp, List<String> spanIds, List<String> parentIds, Times times) {
        this.stamp = stamp;
        this.starts = Arrays.copyOf(times.starts, spanIds.size());
        this.ends = Arrays.copyOf(times.ends, spanIds.size());
        this.failed = Arrays.copyOf(times.failed, spanIds.size());
        int n = spanIds.size();
        ids = spanIds.toArray(new String[0]);
        index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(ids[i], i);
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            Integer p = parentIds.get(i) == null ? null : index.get(parentIds.get(i));
            parent[i] = p == null || p == i ? -1 : p;
        }
        order = new int[n];
        depth = new int[n];
        siblingIndex = new int[n];
        boolean[] reached = new boolean[n];
        int[] stack = new int[n];
        int placed = 0;
        int[] links = links(parent);
        int[] childCount = new int[n];
        int[] childList = new int[n];
        int[] start = new int[n];
        int[] rootList = new int[n];
        int rootCount = 0;
        int next = 0;
        // roots in start order, then (for spans no root reaches: a parent loop) the earliest unreached span
        for (int pass = 0; pass < 2; pass++) {
            for (int r = 0; r < n; r++) {
                if (reached[r] || (pass == 0 && parent[r] >= 0)) {
                    continue;
                }
                parent[r] = -1;
                siblingIndex[r] = rootCount;
                rootList[rootCount++] = r;
                int top = 0;
                stack[top++] = r;
                reached[r] = true;
                while (top > 0) {
                    int at = stack[--top];
                    order[placed++] = at;
                    start[at] = next;
                    int firstChild = next;
                    for (int c = links[at]; c >= 0; c = links[n + c]) {
                        if (!reached[c]) {
                            reached[c] = true;
                            parent[c] = at;
                            depth[c] = depth[at] + 1;
                            siblingIndex[c] = next - firstChild;
                            childList[next++] = c;
                        }
                    }
                    childCount[at] = next - firstChild;
                    for (int k = next - 1; k >= firstChild; k--) {
                        stack[top++] = childList[k]; // pushed last to first: popped in start order
                    }
                }
            }
        }
        roots = Arrays.copyOf(rootList, rootCount);
        childStart = start;
        children = Arrays.copyOf(childList, next);
        this.descendants = new int[n];
        for (int k = n - 1; k >= 0; k--) {
            int at = order[k];
            if (parent[at] >= 0) {
                descendants[parent[at]] += descendants[at] + 1;
            }
        }
        this.childCounts = childCount;
        this.parent = parent;
    }

    /**
     * Children as singly linked lists in start order, in one array: {@code links[p]} is p's first child (or
     * -1) and {@code links[n + c]} the sibling after c.
     */
    private static int[] links(int[] parent) {
        int n = parent.length;
        int[] links = new int[2 * n];
        Arrays.fill(links, -1);
        int[] last = new int[n];
        Arrays.fill(last, -1);
        for (int c = 0; c < n; c++) {
            int p = parent[c];
            if (p >= 0) {
                if (last[p] < 0) {
                    links[p] = c;
                } else {
                    links[n + last[p]] = c;
                }
                last[p] = c;
            }
        }
        return links;
    }

    /** Each span's place in the tree order, worked out on first use (search sorts its hits by it). */
    synchronized int[] position() {
        if (position == null) {
            int[] at = new int[order.length];
            for (int k = 0; k < order.length; k++) {
                at[order[k]] = k;
            }
            position = at;
        }
        return position;
    }

    /** Growing arrays of the spans' times and errors while the rows are read. */
    private static final class Times {
        long[] starts = new long[1024];
        long[] ends = new long[1024];
        boolean[] failed = new boolean[1024];

        void set(int i, long start, long end, boolean error) {
            if (i == starts.length) {
                starts = Arrays.copyOf(starts, i * 2);
                ends = Arrays.copyOf(ends, i * 2);
                failed = Arrays.copyOf(failed, i * 2);
            }
            starts[i] = start;
            ends[i] = end;
            failed[i] = error;
        }
    }

    /** Reads the shape from the spans_shape index alone (the spans' records stay on disk). */
    static TraceShapeBefore build(Connection db, String traceId, String stamp) throws SQLException {
        List<String> spanIds = new ArrayList<>();
        List<String> parentIds = new ArrayList<>();
        Times times = new Times();
        try (PreparedStatement sql = db.prepareStatement("SELECT span_id, parent_span_id, start_us, end_us, status"
                + " FROM spans WHERE trace_id = ? ORDER BY start_us, span_id")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    spanIds.add(rs.getString(1));
                    parentIds.add(rs.getString(2));
                    long start = rs.getLong(3);
                    start = rs.wasNull() ? NO_TIME : start;
                    long end = rs.getLong(4);
                    end = rs.wasNull() ? NO_TIME : end;
                    times.set(spanIds.size() - 1, start, end, "error".equals(rs.getString(5)));
                }
            }
        }
        if (spanIds.isEmpty()) {
            throw new ApiException(404, "no trace " + traceId);
        }
        return new TraceShapeBefore(stamp, spanIds, parentIds, times);
    }
}
