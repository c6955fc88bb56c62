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
 * {@code GET /api/trace/{id}/children/{span_id}?limit=N[&cursor=]} one span's children ({@code offset=N} starts at its
 * N-th child), {@code GET /api/trace/{id}/path/{span_id}} the way from a root down to one span; every span comes
 * with its {@code child_count}, {@code descendant_count}, {@code depth} and {@code index} (its place among its
 * parent's children, or among the roots). The trace's shape comes from {@link TraceShape}.
 */
final class TracePages {
    /** Span IDs bound in one {@code IN (...)}: a path down a deep trace can be thousands long. */
    private static final int RECORDS_PER_QUERY = 500;
    private TracePages() {
    }

    /** {@code GET /api/trace/{id}?limit=N}: spans in tree order from the cursor on. */
    static ObjectNode treeOrder(Connection db, KeptTraces kept, String traceId, ApiExchange request) throws SQLException {
        String id = traceId(traceId);
        TraceShape tree = kept.shape(db, id);
        int limit = TraceQueries.limit(request.param("limit"), 100);
        int from = cursor(request.param("cursor"), "t");
        int to = Math.min(tree.order.length, from + limit);
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("span_count", tree.size());
        answer.put("root_count", tree.roots.length);
        int[] page = Arrays.copyOfRange(tree.order, Math.min(from, to), to);
        addSpans(db, id, tree, page, answer.putArray("spans"));
        answer.put("next_cursor", to < tree.order.length ? encode("t", to) : null);
        return answer;
    }

    /** {@code GET /api/trace/{id}/children/{span_id}?limit=N}: one span's children from the cursor on. */
    static ObjectNode children(Connection db, KeptTraces kept, String traceId, String spanId,
            ApiExchange request)
            throws SQLException {
        String id = traceId(traceId);
        TraceShape tree = kept.shape(db, id);
        int parent = tree.indexOf(spanId);
        if (parent < 0) {
            throw new ApiException(404, "no span " + spanId + " in trace " + id);
        }
        int limit = TraceQueries.limit(request.param("limit"), 100);
        int from = request.param("offset") != null ? offset(request.param("offset"))
                : cursor(request.param("cursor"), "c");
        int count = tree.childCounts[parent];
        int to = Math.min(count, from + limit);
        int first = tree.childStart[parent];
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("span_id", tree.id(parent));
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
    static ObjectNode search(Connection db, KeptTraces kept, String traceId, ApiExchange request) throws SQLException {
        String id = traceId(traceId);
        String q = request.param("q");
        if (q == null || q.isBlank()) {
            throw new ApiException(400, "q is required: the words to find");
        }
        TraceShape tree = kept.shape(db, id);
        int limit = TraceQueries.limit(request.param("limit"), 100);
        List<Integer> hits = new ArrayList<>();
        try (PreparedStatement sql = db.prepareStatement("SELECT s.span_id FROM span_text"
                + " JOIN spans s ON s.rowid = span_text.rowid WHERE span_text MATCH ? AND s.trace_id = ?")) {
            sql.setString(1, SearchQueries.matchExpression(q));
            sql.setString(2, id);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    int at = tree.indexOf(rs.getString(1));
                    if (at >= 0) {
                        hits.add(at);
                    }
                }
            }
        }
        int[] position = tree.position();
        hits.sort((a, b) -> Integer.compare(position[a], position[b]));
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("total", hits.size());
        int[] page = hits.stream().limit(limit).mapToInt(Integer::intValue).toArray();
        ArrayNode spans = answer.putArray("spans");
        List<Integer> added = addSpans(db, id, tree, page, spans);
        for (int i = 0; i < spans.size(); i++) {
            List<String> path = new ArrayList<>();
            int hit = added.get(i);
            for (int at = tree.parent[hit]; at >= 0; at = tree.parent[at]) {
                path.add(tree.id(at));
            }
            ArrayNode ancestors = ((ObjectNode) spans.get(i)).putArray("ancestors");
            for (int k = path.size() - 1; k >= 0; k--) {
                ancestors.add(path.get(k));
            }
        }
        return answer;
    }

    /**
     * {@code GET /api/trace/{id}/path/{span_id}}: the spans from the span's root down to the span itself, so a
     * viewer can open the way to a span it has not loaded (a search hit, a timeline click, an edge).
     */
    static ObjectNode path(Connection db, KeptTraces kept, String traceId, String spanId) throws SQLException {
        String id = traceId(traceId);
        TraceShape tree = kept.shape(db, id);
        int span = tree.indexOf(spanId);
        if (span < 0) {
            throw new ApiException(404, "no span " + spanId + " in trace " + id);
        }
        int[] way = new int[tree.depth[span] + 1];
        for (int at = span, k = way.length - 1; at >= 0; at = tree.parent[at], k--) {
            way[k] = at;
        }
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("span_id", tree.id(span));
        addSpans(db, id, tree, way, answer.putArray("spans"));
        return answer;
    }

    /** A trace ID from the path, checked and lowercased. */
    static String traceId(String traceId) {
        if (traceId.length() != 32 || !traceId.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new ApiException(400, "trace ID must be 32 hex digits, not '" + traceId + "'");
        }
        return traceId.toLowerCase(Locale.ROOT);
    }

    /**
     * The stored records of these spans, in this order, each with its place in the tree; returns the spans added
     * (those still stored).
     */
    private static List<Integer> addSpans(Connection db, String traceId, TraceShape tree, int[] page, ArrayNode into)
            throws SQLException {
        List<Integer> added = new ArrayList<>(page.length);
        Map<String, String> records = new HashMap<>();
        for (int from = 0; from < page.length; from += RECORDS_PER_QUERY) {
            int to = Math.min(page.length, from + RECORDS_PER_QUERY);
            StringBuilder sql = new StringBuilder(
                    "SELECT span_id, record FROM spans WHERE trace_id = ? AND span_id IN (?");
            sql.append(",?".repeat(to - from - 1)).append(')');
            try (PreparedStatement statement = db.prepareStatement(sql.toString())) {
                statement.setString(1, traceId);
                for (int i = from; i < to; i++) {
                    statement.setString(i - from + 2, tree.id(page[i]));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        records.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        for (int at : page) {
            String record = records.get(tree.id(at));
            if (record == null) {
                continue; // removed (retention) since the shape was built
            }
            ObjectNode span;
            try {
                span = (ObjectNode) RecordJson.MAPPER.readTree(record);
            } catch (JsonProcessingException | ClassCastException e) {
                throw new IllegalStateException("stored record of span " + tree.id(at) + " is not JSON", e);
            }
            span.put("child_count", tree.childCounts[at]);
            span.put("descendant_count", tree.descendants[at]);
            span.put("depth", tree.depth[at]);
            span.put("index", tree.siblingIndex[at]);
            if (tree.onCriticalPathIfKnown(at)) {
                span.put("critical", true);
            }
            into.add(span);
            added.add(at);
        }
        return added;
    }

    static int offset(String text) {
        try {
            int offset = Integer.parseInt(text);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new ApiException(400, "offset must be a whole number from 0 on, not '" + text + "'");
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
