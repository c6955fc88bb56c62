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
 * One stored trace linked into a tree by the rules of tracer-core's reader ({@code TraceGraph}), from the span IDs,
 * parent IDs and start times alone: nodes in start order (a missing start last), a span whose parent is not in the
 * trace is a root, a span known only from log lines is an implicit node (its parent the first one its log lines
 * name, its start their earliest), and a parent loop is cut at its earliest-started span. IDs of 16 lowercase hex
 * digits (all the collector accepts) are kept as longs, so a million-span tree takes a few dozen megabytes.
 */
final class ReaderTree {
    /** A missing start sorts last, as the reader's {@code nullsLast}. */
    static final long NO_START = Long.MAX_VALUE;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Node i's span ID as a long, or 0 when it is not 16 lowercase hex digits (then {@link #odd} holds it). */
    private final long[] ids;
    private final String[] odd;
    final long[] starts;
    /** Whether node i has no span record, only log lines. */
    final boolean[] implicit;
    final int[] parent;
    final int[] firstChild;
    final int[] nextSibling;
    final int[] roots;
    private final long[] sortedIds;
    private final int[] nodeOfSorted;
    private final Map<String, Integer> oddIndex;

    private ReaderTree(Nodes nodes) {
        int n = nodes.size;
        ids = nodes.ids;
        odd = nodes.odd;
        starts = nodes.starts;
        implicit = nodes.implicit;
        sortedIds = Arrays.copyOf(ids, n);
        Arrays.sort(sortedIds);
        nodeOfSorted = new int[n];
        oddIndex = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (ids[i] != 0) {
                nodeOfSorted[Arrays.binarySearch(sortedIds, ids[i])] = i;
            } else {
                oddIndex.put(odd[i], i);
            }
        }
        parent = new int[n];
        for (int i = 0; i < n; i++) {
            int p = indexOf(nodes.parentIds[i], nodes.oddParents == null ? null : nodes.oddParents[i]);
            parent[i] = p == i ? -1 : p;
        }
        firstChild = new int[n];
        nextSibling = new int[n];
        Arrays.fill(firstChild, -1);
        Arrays.fill(nextSibling, -1);
        int[] last = new int[n];
        List<Integer> rootList = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int p = parent[c];
            if (p < 0) {
                rootList.add(c);
            } else {
                if (firstChild[p] < 0) {
                    firstChild[p] = c;
                } else {
                    nextSibling[last[p]] = c;
                }
                last[p] = c;
            }
        }
        boolean[] reached = new boolean[n];
        int[] stack = new int[n];
        for (int r : rootList) {
            reach(r, reached, stack);
        }
        // spans no root reaches name each other as parents: each loop is cut at its earliest span, a new root
        boolean cut = false;
        int[] seen = last; // reused: the walk's mark, one token per walk
        Arrays.fill(seen, 0);
        int token = 0;
        for (int i = 0; i < n; i++) {
            if (reached[i]) {
                continue;
            }
            token++;
            int inLoop = i;
            while (seen[inLoop] != token) {
                seen[inLoop] = token;
                inLoop = parent[inLoop];
            }
            int first = inLoop;
            for (int m = parent[inLoop]; m != inLoop; m = parent[m]) {
                if (starts[m] < starts[first]) {
                    first = m;
                }
            }
            unlink(first);
            rootList.add(first);
            reach(first, reached, stack);
            cut = true;
        }
        if (cut) {
            rootList.sort((a, b) -> Long.compare(starts[a], starts[b])); // stable, as the reader's sort
        }
        roots = rootList.stream().mapToInt(Integer::intValue).toArray();
    }

    int size() {
        return ids.length;
    }

    /** The node with this span ID, or -1. */
    int indexOf(String spanId) {
        long id = hexId(spanId);
        return indexOf(id, id == 0 ? spanId : null);
    }

    private int indexOf(long id, String oddId) {
        if (id != 0) {
            int k = Arrays.binarySearch(sortedIds, id);
            return k < 0 ? -1 : nodeOfSorted[k];
        }
        Integer at = oddId == null ? null : oddIndex.get(oddId);
        return at == null ? -1 : at;
    }

    /** Node i's span ID as text. */
    String spanId(int i) {
        long id = ids[i];
        if (id == 0) {
            return odd[i];
        }
        char[] text = new char[16];
        for (int k = 15; k >= 0; k--) {
            text[k] = HEX[(int) (id & 0xf)];
            id >>>= 4;
        }
        return new String(text);
    }

    private void unlink(int node) {
        int p = parent[node];
        if (firstChild[p] == node) {
            firstChild[p] = nextSibling[node];
        } else {
            int c = firstChild[p];
            while (nextSibling[c] != node) {
                c = nextSibling[c];
            }
            nextSibling[c] = nextSibling[node];
        }
        nextSibling[node] = -1;
        parent[node] = -1;
    }

    private void reach(int top, boolean[] reached, int[] stack) {
        int size = 0;
        stack[size++] = top;
        while (size > 0) {
            int at = stack[--size];
            if (!reached[at]) {
                reached[at] = true;
                for (int c = firstChild[at]; c >= 0; c = nextSibling[c]) {
                    stack[size++] = c;
                }
            }
        }
    }

    /** 16 lowercase hex digits as a long, or 0 for anything else (no valid span ID is all zeros). */
    static long hexId(String id) {
        if (id == null || id.length() != 16) {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < 16; i++) {
            char c = id.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return 0;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /**
     * The tree of a stored trace, or null when it has neither spans nor log lines. Reads the span table's ID
     * columns and, for the log lines of spans without a record, their time and parent; never a span's record.
     */
    static ReaderTree read(Connection db, String traceId) throws SQLException {
        Nodes stored = new Nodes();
        try (PreparedStatement sql = db.prepareStatement("SELECT span_id, parent_span_id, start_us FROM spans"
                + " WHERE trace_id = ? ORDER BY start_us IS NULL, start_us, span_id")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    long start = rs.getLong(3);
                    start = rs.wasNull() ? NO_START : start;
                    stored.add(rs.getString(1), rs.getString(2), start, false);
                }
            }
        }
        // a span known only from log lines: the first parent its lines name, in the order the reader reads them
        Map<String, long[]> logged = new LinkedHashMap<>(); // span ID -> {earliest time, set}
        Map<String, String> loggedParents = new HashMap<>();
        boolean anyLog = false;
        try (PreparedStatement sql = db.prepareStatement("SELECT l.span_id, l.ts_us,"
                + " json_extract(l.record, '$.parent_span_id') FROM logs l WHERE l.trace_id = ?1"
                + " AND l.span_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = ?1"
                + " AND s.span_id = l.span_id) ORDER BY l.ts_us, l.id")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    String spanId = rs.getString(1);
                    long ts = rs.getLong(2);
                    ts = rs.wasNull() ? NO_START : ts;
                    Object parentValue = rs.getObject(3);
                    String parentId = parentValue == null || "".equals(parentValue) ? null : parentValue.toString();
                    long[] seen = logged.computeIfAbsent(spanId, k -> new long[] {NO_START});
                    seen[0] = Math.min(seen[0], ts);
                    if (parentId != null) {
                        loggedParents.putIfAbsent(spanId, parentId);
                    }
                }
            }
        }
        if (stored.size == 0 && logged.isEmpty()) {
            try (PreparedStatement sql = db.prepareStatement("SELECT 1 FROM logs WHERE trace_id = ? LIMIT 1")) {
                sql.setString(1, traceId);
                try (ResultSet rs = sql.executeQuery()) {
                    anyLog = rs.next();
                }
            }
            if (!anyLog) {
                return null;
            }
        }
        Nodes implicitNodes = new Nodes();
        logged.entrySet().stream()
                .sorted(Map.Entry.<String, long[]>comparingByValue((a, b) -> Long.compare(a[0], b[0]))
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> implicitNodes.add(e.getKey(), loggedParents.get(e.getKey()), e.getValue()[0], true));
        return new ReaderTree(Nodes.merge(stored, implicitNodes));
    }

    /** Node columns while they are read, in order. */
    private static final class Nodes {
        int size;
        long[] ids = new long[16];
        long[] parentIds = new long[16];
        long[] starts = new long[16];
        boolean[] implicit = new boolean[16];
        String[] odd;
        String[] oddParents;

        void add(String spanId, String parentSpanId, long start, boolean isImplicit) {
            long id = hexId(spanId);
            long parentId = hexId(parentSpanId);
            add(id, id == 0 ? spanId : null, parentId, parentId == 0 ? parentSpanId : null, start, isImplicit);
        }

        private void add(long id, String oddId, long parentId, String oddParent, long start, boolean isImplicit) {
            if (size == ids.length) {
                int grown = size * 2;
                ids = Arrays.copyOf(ids, grown);
                parentIds = Arrays.copyOf(parentIds, grown);
                starts = Arrays.copyOf(starts, grown);
                implicit = Arrays.copyOf(implicit, grown);
                odd = odd == null ? null : Arrays.copyOf(odd, grown);
                oddParents = oddParents == null ? null : Arrays.copyOf(oddParents, grown);
            }
            if (oddId != null) {
                odd = odd == null ? new String[ids.length] : odd;
                odd[size] = oddId;
            }
            if (oddParent != null) {
                oddParents = oddParents == null ? new String[ids.length] : oddParents;
                oddParents[size] = oddParent;
            }
            ids[size] = id;
            parentIds[size] = parentId;
            starts[size] = start;
            implicit[size] = isImplicit;
            size++;
        }

        /** Both lists in start order, {@code a}'s node first when two start together (the reader's stable sort). */
        static Nodes merge(Nodes a, Nodes b) {
            if (b.size == 0) {
                a.trim();
                return a;
            }
            Nodes all = new Nodes();
            int i = 0;
            int j = 0;
            while (i < a.size || j < b.size) {
                Nodes from = j >= b.size || (i < a.size && a.starts[i] <= b.starts[j]) ? a : b;
                int k = from == a ? i++ : j++;
                all.add(from.ids[k], from.odd == null ? null : from.odd[k], from.parentIds[k],
                        from.oddParents == null ? null : from.oddParents[k], from.starts[k], from.implicit[k]);
            }
            all.trim();
            return all;
        }

        private void trim() {
            ids = Arrays.copyOf(ids, size);
            parentIds = Arrays.copyOf(parentIds, size);
            starts = Arrays.copyOf(starts, size);
            implicit = Arrays.copyOf(implicit, size);
            odd = odd == null ? new String[size] : Arrays.copyOf(odd, size);
            oddParents = oddParents == null ? null : Arrays.copyOf(oddParents, size);
        }
    }
}
