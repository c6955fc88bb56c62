package io.aitrace.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of one trace, built from its spans' IDs only (never their records), in arrays: spans by index in start
 * order, each span's children in start order, the tree order (depth first, siblings by start), depths and
 * descendant counts. A span whose parent is not stored is a root, and a parent loop is cut at its earliest span,
 * as the reader does. Building the shape of a million-span trace takes seconds, so the last few shapes are kept
 * and reused for as long as the trace's summary row says the trace has not changed (its {@code updated_us} and
 * {@code span_count}): every page of a huge trace after the first answers in milliseconds.
 */
final class TraceShape {
    /** Shapes kept: a viewer pages one or two huge traces at a time (compare). */
    private static final int KEPT = 3;
    /** Spans in all kept shapes together (about 200 bytes of heap each); the newest shape is kept whatever its size. */
    private static final int KEPT_SPANS = 2_000_000;
    static final long NO_TIME = Long.MIN_VALUE;
    private static final Map<String, TraceShape> CACHE = new LinkedHashMap<>(8, 0.75f, true);

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

    private TraceShape(String stamp, List<String> spanIds, List<String> parentIds, Times times) {
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

    /** The shape of a stored trace: the kept one while the trace is unchanged, else built afresh. */
    static TraceShape of(Connection db, String traceId) throws SQLException {
        String stamp = stamp(db, traceId);
        synchronized (CACHE) {
            TraceShape kept = CACHE.get(traceId);
            if (kept != null && !stamp.isEmpty() && kept.stamp.equals(stamp)) {
                return kept;
            }
        }
        TraceShape built = build(db, traceId, stamp);
        synchronized (CACHE) {
            CACHE.put(traceId, built);
            int spans = 0;
            for (TraceShape kept : CACHE.values()) {
                spans += kept.ids.length;
            }
            while (CACHE.size() > 1 && (CACHE.size() > KEPT || spans > KEPT_SPANS)) {
                String eldest = CACHE.keySet().iterator().next();
                spans -= CACHE.remove(eldest).ids.length;
            }
        }
        return built;
    }

    /** What changes whenever a span of the trace is stored; null for a trace with no summary row. */
    private static String stamp(Connection db, String traceId) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement(
                "SELECT updated_us, span_count FROM traces WHERE trace_id = ?")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                return rs.next() ? rs.getLong(1) + "/" + rs.getLong(2) : "";
            }
        }
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
    private static TraceShape build(Connection db, String traceId, String stamp) throws SQLException {
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
        return new TraceShape(stamp, spanIds, parentIds, times);
    }
}
