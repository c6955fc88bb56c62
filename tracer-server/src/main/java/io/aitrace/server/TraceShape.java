package io.aitrace.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.Map;

/**
 * The shape of one trace, built from its spans' IDs only (never their records), in primitive arrays: spans by
 * index in start order, each span's children in start order, the tree order (depth first, siblings by start),
 * depths and descendant counts. A span whose parent is not stored is a root, and a parent loop is cut at its
 * earliest span, as the reader does. Span IDs (16 hex digits, as ingest requires) are held as one {@code long}
 * each and found by an open-addressing table of span indexes: no object per span, about {@value #BYTES_PER_SPAN}
 * bytes of heap per span in all. The collector keeps the last few ({@link KeptTraces}) and reuses them for as long
 * as the trace's summary row says the trace has not changed: every page of a huge trace after the first answers in
 * milliseconds.
 */
final class TraceShape {
    /**
     * Heap per span of a built shape, at most: nine int arrays (parent, child start and count, children, order,
     * depth, descendants, sibling index, the lazy tree position), three longs (ID, start, end), one boolean, the
     * ID table's two to four ints and the roots' one at most.
     */
    static final int BYTES_PER_SPAN = 9 * 4 + 3 * 8 + 1 + 4 * 4 + 4;
    static final long NO_TIME = Long.MIN_VALUE;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    final String stamp;
    /** Each span's ID as a number (its 16 hex digits). */
    private final long[] ids;
    /** Open addressing: span index + 1 by ID hash, 0 for a free slot; a power of two at least twice the spans. */
    private final int[] table;
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
    /** The spans of the critical path, worked out on first use. */
    private volatile int[] criticalPath;
    /** The spans of the critical path as a set, made with it. */
    private volatile BitSet onPath;

    /** Builds the shape of spans in start order; {@code parentIds[i]} is 0 for a span with no parent. */
    TraceShape(String stamp, int n, long[] spanIds, long[] parentIds, long[] starts, long[] ends, boolean[] failed) {
        this.stamp = stamp;
        this.ids = Arrays.copyOf(spanIds, n);
        this.starts = Arrays.copyOf(starts, n);
        this.ends = Arrays.copyOf(ends, n);
        this.failed = Arrays.copyOf(failed, n);
        this.table = new int[Math.max(2, Integer.highestOneBit(Math.max(1, n) * 2 - 1) << 1)];
        for (int i = 0; i < n; i++) {
            int slot = slot(ids[i]);
            while (table[slot] != 0 && ids[table[slot] - 1] != ids[i]) { // a span stored twice keeps its first row
                slot = (slot + 1) & (table.length - 1);
            }
            if (table[slot] == 0) {
                table[slot] = i + 1;
            }
        }
        int[] parent = new int[n];
        int[] childCount = new int[n];
        for (int i = 0; i < n; i++) {
            int p = parentIds[i] == 0 ? -1 : find(parentIds[i]);
            parent[i] = p == i ? -1 : p;
            if (parent[i] >= 0) {
                childCount[parent[i]]++;
            }
        }
        // every span's stored children in start order, compressed rows: csr[csrStart[p] ..< csrStart[p + 1]]
        int[] csrStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            csrStart[i + 1] = csrStart[i] + childCount[i];
        }
        int[] csr = new int[csrStart[n]];
        int[] fill = Arrays.copyOf(csrStart, n);
        for (int c = 0; c < n; c++) {
            if (parent[c] >= 0) {
                csr[fill[parent[c]]++] = c;
            }
        }
        fill = null;
        order = new int[n];
        depth = new int[n];
        siblingIndex = new int[n];
        boolean[] reached = new boolean[n];
        int[] stack = new int[n];
        int placed = 0;
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
                    for (int k = csrStart[at]; k < csrStart[at + 1]; k++) {
                        int c = csr[k];
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
        children = next == n ? childList : Arrays.copyOf(childList, next);
        // one reverse pass over the tree order: every span's descendants are counted before its parent's
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

    /** Spans in the trace. */
    int size() {
        return ids.length;
    }

    /** The ID of span {@code i}, 16 lowercase hex digits. */
    String id(int i) {
        long bits = ids[i];
        char[] text = new char[16];
        for (int k = 15; k >= 0; k--, bits >>>= 4) {
            text[k] = HEX[(int) (bits & 0xf)];
        }
        return new String(text);
    }

    /** The index of the span with this ID (either case), -1 if the trace has none. */
    int indexOf(String spanId) {
        long bits = spanId == null ? 0 : parseHex(spanId);
        return bits == 0 ? -1 : find(bits);
    }

    private int find(long bits) {
        for (int slot = slot(bits); table[slot] != 0; slot = (slot + 1) & (table.length - 1)) {
            if (ids[table[slot] - 1] == bits) {
                return table[slot] - 1;
            }
        }
        return -1;
    }

    private int slot(long bits) {
        long mixed = bits * 0x9E3779B97F4A7C15L; // Fibonacci hashing: IDs may share their low bits
        return (int) (mixed >>> 32) & (table.length - 1);
    }

    /** A span ID's 16 hex digits as a number; 0 (which no valid span ID is) for anything else. */
    static long parseHex(CharSequence id) {
        if (id.length() != 16) {
            return 0;
        }
        long bits = 0;
        for (int k = 0; k < 16; k++) {
            int digit = hexDigit(id.charAt(k));
            if (digit < 0) {
                return 0;
            }
            bits = bits << 4 | digit;
        }
        return bits;
    }

    /** The same, from 16 ASCII bytes at {@code from} (as SQLite stores the ID). */
    private static long parseHex(byte[] text, int from) {
        long bits = 0;
        for (int k = from; k < from + 16; k++) {
            int digit = hexDigit(text[k]);
            if (digit < 0) {
                return 0;
            }
            bits = bits << 4 | digit;
        }
        return bits;
    }

    private static int hexDigit(int c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -1;
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

    /**
     * The spans of the trace's critical path ({@link TraceTotals.CriticalPath}), the root first, worked out on first
     * use and kept with the shape.
     */
    synchronized int[] criticalPath() {
        if (criticalPath == null) {
            int[] path = new TraceTotals.CriticalPath(this).walk();
            BitSet on = new BitSet(ids.length);
            for (int span : path) {
                on.set(span);
            }
            criticalPath = path;
            onPath = on;
        }
        return criticalPath;
    }

    /**
     * Whether the span is on the critical path, when the path has been walked already (false until then): a page
     * does not wait for the walk (1.5 s at a million spans), which the viewer asks for after its first rows.
     */
    boolean onCriticalPathIfKnown(int span) {
        BitSet on = onPath;
        return on != null && on.get(span);
    }

    /** Whether the span is on the critical path, walking it first if needed. */
    boolean onCriticalPath(int span) {
        criticalPath();
        return onPath.get(span);
    }

    /** Heap this shape holds, its tree position and critical path included (built on first use). */
    long bytes() {
        return (long) ids.length * (9 * 4 + 3 * 8 + 1) + 4L * (table.length + roots.length)
                + (criticalPath == null ? 0 : 4L * criticalPath.length + ids.length / 8);
    }

    /** Drops the least recently used shapes until at most {@code count} remain within {@code bytes}, newest kept. */
    static void keepWithin(Map<String, TraceShape> kept, int count, long bytes) {
        long total = 0;
        for (TraceShape shape : kept.values()) {
            total += shape.bytes();
        }
        Iterator<TraceShape> eldest = kept.values().iterator();
        while (kept.size() > 1 && (kept.size() > count || total > bytes)) {
            total -= eldest.next().bytes();
            eldest.remove();
        }
    }

    /**
     * Reads the shape from the spans_shape index alone (the spans' records stay on disk). Each column read costs a
     * call into SQLite's native code, which is most of the time at a million rows: the span's and its parent's IDs
     * come as one value of bytes (no string per row), missing times and the error status worked out by SQLite.
     */
    static TraceShape build(Connection db, String traceId, String stamp) throws SQLException {
        int n = 0;
        int capacity = 1024;
        long[] spanIds = new long[capacity];
        long[] parentIds = new long[capacity];
        long[] starts = new long[capacity];
        long[] ends = new long[capacity];
        boolean[] failed = new boolean[capacity];
        try (PreparedStatement sql = db.prepareStatement("SELECT span_id || IFNULL(parent_span_id, ''),"
                + " IFNULL(start_us, " + NO_TIME + "), IFNULL(end_us, " + NO_TIME + "), status = 'error'"
                + " FROM spans WHERE trace_id = ? AND length(span_id) = 16 ORDER BY start_us, span_id")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    if (n == capacity) {
                        capacity *= 2;
                        spanIds = Arrays.copyOf(spanIds, capacity);
                        parentIds = Arrays.copyOf(parentIds, capacity);
                        starts = Arrays.copyOf(starts, capacity);
                        ends = Arrays.copyOf(ends, capacity);
                        failed = Arrays.copyOf(failed, capacity);
                    }
                    byte[] ids = rs.getBytes(1);
                    spanIds[n] = parseHex(ids, 0);
                    if (spanIds[n] == 0) {
                        continue; // not a span ID ingest accepts: left out of the shape
                    }
                    parentIds[n] = ids.length == 32 ? parseHex(ids, 16) : 0; // none, or not one ingest accepts
                    starts[n] = rs.getLong(2);
                    ends[n] = rs.getLong(3);
                    failed[n] = rs.getInt(4) == 1;
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new ApiException(404, "no trace " + traceId);
        }
        return new TraceShape(stamp, n, spanIds, parentIds, starts, ends, failed);
    }
}
