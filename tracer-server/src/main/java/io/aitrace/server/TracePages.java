package io.aitrace.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trace one page at a time, so a viewer of a million-span trace downloads only what it shows:
 * {@code GET /api/trace/{id}?limit=N[&cursor=]} gives spans in tree order (depth first, siblings by start), and
 * {@code GET /api/trace/{id}/children/{span_id}?limit=N[&cursor=]} one span's children; every span comes with its
 * {@code child_count}, {@code descendant_count} and {@code depth}. The tree is built from the spans' IDs only
 * (never their records), in arrays: a span whose parent is not stored is a root, and a parent loop is cut at its
 * earliest span, as the reader does.
 */
final class TracePages {
    private TracePages() {
    }

    /** The shape of one trace: spans by index in start order, children in start order, tree order. */
    private static final class Tree {
        final String[] ids;
        final Map<String, Integer> index;
        final int[] childStart;
        final int[] childCounts;
        /** Each span's parent in the tree (after loops are cut), -1 for a root. */
        final int[] parent;
        final int[] children;
        final int[] order;
        final int[] depth;
        final int[] descendants;

        Tree(List<String> spanIds, List<String> parentIds) {
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
            boolean[] reached = new boolean[n];
            int[] stack = new int[n];
            int placed = 0;
            int[] links = links(parent);
            int[] childCount = new int[n];
            int[] childList = new int[n];
            int[] start = new int[n];
            int next = 0;
            // roots in start order, then (for spans no root reaches: a parent loop) the earliest unreached span
            for (int pass = 0; pass < 2; pass++) {
                for (int r = 0; r < n; r++) {
                    if (reached[r] || (pass == 0 && parent[r] >= 0)) {
                        continue;
                    }
                    parent[r] = -1;
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
    }

    /** {@code GET /api/trace/{id}?limit=N}: spans in tree order from the cursor on. */
    static ObjectNode treeOrder(Connection db, String traceId, ApiExchange request) throws SQLException {
        String id = traceId(traceId);
        Tree tree = tree(db, id);
        int limit = TraceQueries.limit(request.param("limit"), 100);
        int from = cursor(request.param("cursor"), "t");
        int to = Math.min(tree.order.length, from + limit);
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("span_count", tree.ids.length);
        int[] page = Arrays.copyOfRange(tree.order, Math.min(from, to), to);
        addSpans(db, id, tree, page, answer.putArray("spans"));
        answer.put("next_cursor", to < tree.order.length ? encode("t", to) : null);
        return answer;
    }

    /** {@code GET /api/trace/{id}/children/{span_id}?limit=N}: one span's children from the cursor on. */
    static ObjectNode children(Connection db, String traceId, String spanId, ApiExchange request)
            throws SQLException {
        String id = traceId(traceId);
        Tree tree = tree(db, id);
        Integer parent = tree.index.get(spanId.toLowerCase(Locale.ROOT));
        if (parent == null) {
            throw new ApiException(404, "no span " + spanId + " in trace " + id);
        }
        int limit = TraceQueries.limit(request.param("limit"), 100);
        int from = cursor(request.param("cursor"), "c");
        int count = tree.childCounts[parent];
        int to = Math.min(count, from + limit);
        int first = tree.childStart[parent];
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("span_id", tree.ids[parent]);
        answer.put("child_count", count);
        int[] page = from >= to ? new int[0] : Arrays.copyOfRange(tree.children, first + from, first + to);
        addSpans(db, id, tree, page, answer.putArray("children"));
        answer.put("next_cursor", to < count ? encode("c", to) : null);
        return answer;
    }

    /**
     * {@code GET /api/trace/{id}/search?q=&limit=}: the trace's spans whose name, annotations, attributes, input or
     * output hold every word, in tree order, each with the span IDs from its root down to its parent, so a viewer
     * that has loaded only the top of the tree can open the way to it.
     */
    static ObjectNode search(Connection db, String traceId, ApiExchange request) throws SQLException {
        String id = traceId(traceId);
        String q = request.param("q");
        if (q == null || q.isBlank()) {
            throw new ApiException(400, "q is required: the words to find");
        }
        Tree tree = tree(db, id);
        int limit = TraceQueries.limit(request.param("limit"), 100);
        List<Integer> hits = new ArrayList<>();
        try (PreparedStatement sql = db.prepareStatement("SELECT s.span_id FROM span_text"
                + " JOIN spans s ON s.rowid = span_text.rowid WHERE span_text MATCH ? AND s.trace_id = ?")) {
            sql.setString(1, SearchQueries.matchExpression(q));
            sql.setString(2, id);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    Integer at = tree.index.get(rs.getString(1));
                    if (at != null) {
                        hits.add(at);
                    }
                }
            }
        }
        int[] position = new int[tree.order.length];
        for (int k = 0; k < tree.order.length; k++) {
            position[tree.order[k]] = k;
        }
        hits.sort((a, b) -> Integer.compare(position[a], position[b]));
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("total", hits.size());
        int[] page = hits.stream().limit(limit).mapToInt(Integer::intValue).toArray();
        ArrayNode spans = answer.putArray("spans");
        addSpans(db, id, tree, page, spans);
        for (int i = 0; i < page.length; i++) {
            List<String> path = new ArrayList<>();
            for (int at = tree.parent[page[i]]; at >= 0; at = tree.parent[at]) {
                path.add(tree.ids[at]);
            }
            ArrayNode ancestors = ((ObjectNode) spans.get(i)).putArray("ancestors");
            for (int k = path.size() - 1; k >= 0; k--) {
                ancestors.add(path.get(k));
            }
        }
        return answer;
    }

    /** A trace ID from the path, checked and lowercased. */
    static String traceId(String traceId) {
        if (traceId.length() != 32 || !traceId.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new ApiException(400, "trace ID must be 32 hex digits, not '" + traceId + "'");
        }
        return traceId.toLowerCase(Locale.ROOT);
    }

    private static Tree tree(Connection db, String traceId) throws SQLException {
        List<String> spanIds = new ArrayList<>();
        List<String> parentIds = new ArrayList<>();
        try (PreparedStatement sql = db.prepareStatement(
                "SELECT span_id, parent_span_id FROM spans WHERE trace_id = ? ORDER BY start_us, span_id")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    spanIds.add(rs.getString(1));
                    parentIds.add(rs.getString(2));
                }
            }
        }
        if (spanIds.isEmpty()) {
            throw new ApiException(404, "no trace " + traceId);
        }
        return new Tree(spanIds, parentIds);
    }

    /** The stored records of these spans, in this order, each with its place in the tree. */
    private static void addSpans(Connection db, String traceId, Tree tree, int[] page, ArrayNode into)
            throws SQLException {
        if (page.length == 0) {
            return;
        }
        Map<String, String> records = new HashMap<>();
        StringBuilder sql = new StringBuilder("SELECT span_id, record FROM spans WHERE trace_id = ? AND span_id IN (");
        for (int i = 0; i < page.length; i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        try (PreparedStatement statement = db.prepareStatement(sql.append(')').toString())) {
            statement.setString(1, traceId);
            for (int i = 0; i < page.length; i++) {
                statement.setString(i + 2, tree.ids[page[i]]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    records.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        for (int at : page) {
            ObjectNode span;
            try {
                span = (ObjectNode) RecordJson.MAPPER.readTree(records.get(tree.ids[at]));
            } catch (JsonProcessingException | ClassCastException e) {
                throw new IllegalStateException("stored record of span " + tree.ids[at] + " is not JSON", e);
            }
            span.put("child_count", tree.childCounts[at]);
            span.put("descendant_count", tree.descendants[at]);
            span.put("depth", tree.depth[at]);
            into.add(span);
        }
    }

    private static String encode(String kind, int position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    private static int cursor(String cursor, String kind) {
        if (cursor == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                int position = Integer.parseInt(text.substring(kind.length() + 1));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ApiException(400, "not a cursor of this listing: '" + cursor + "'");
    }
}
