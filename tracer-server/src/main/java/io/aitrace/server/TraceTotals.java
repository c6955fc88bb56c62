package io.aitrace.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.cost.Cost;
import io.aitrace.genai.GenAi;
import io.aitrace.read.Node;
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
 * What a viewer of a trace too big to download shows about the whole trace without its spans:
 * {@code GET /api/trace/{id}/totals} (span, log and error counts, tokens of every kind, cost) and
 * {@code GET /api/trace/{id}/critical-path} (the span IDs the trace's end waited on). Both are computed once per
 * state of the trace (its summary row's {@code updated_us} and {@code span_count}) and kept for the last few traces
 * asked for, so a viewer reopening a finished million-span trace gets them in milliseconds.
 */
final class TraceTotals {
    /** Answers kept per endpoint: a viewer shows one or two huge traces at a time. */
    private static final int KEPT = 4;
    private static final Map<String, Object[]> TOTALS = kept();
    private static final Map<String, Object[]> PATHS = kept();

    private TraceTotals() {
    }

    /** {@code GET /api/trace/{id}/totals}. */
    static ObjectNode totals(Connection db, String traceId) throws SQLException {
        String id = TracePages.traceId(traceId);
        Row row = row(db, id);
        ObjectNode answer = lookup(TOTALS, id, row.stamp);
        if (answer == null) {
            answer = computeTotals(db, id, row);
            remember(TOTALS, id, row.stamp, answer);
        }
        return answer.deepCopy();
    }

    /** {@code GET /api/trace/{id}/critical-path}. */
    static ObjectNode criticalPath(Connection db, String traceId) throws SQLException {
        String id = TracePages.traceId(traceId);
        Row row = row(db, id);
        ObjectNode answer = lookup(PATHS, id, row.stamp);
        if (answer == null) {
            answer = RecordJson.MAPPER.createObjectNode();
            answer.put("trace_id", id);
            ArrayNode ids = answer.putArray("span_ids");
            CriticalPath.of(db, id).forEach(ids::add);
            remember(PATHS, id, row.stamp, answer);
        }
        return answer.deepCopy();
    }

    /** The counts the trace's summary row keeps up to date, and what says whether the trace changed. */
    private record Row(String stamp, long spans, long logs, long errors, long inputTokens, long outputTokens) {
    }

    private static Row row(Connection db, String id) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement("SELECT updated_us, span_count, log_count, error_count,"
                + " input_tokens, output_tokens FROM traces WHERE trace_id = ?")) {
            sql.setString(1, id);
            try (ResultSet rs = sql.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiException(404, "no trace " + id);
                }
                return new Row(rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
            }
        }
    }

    /** The attributes the price table reads, pulled out of a record in one pass of SQLite's JSON parser. */
    private static final String[] USAGE = {GenAi.RESPONSE_MODEL, GenAi.REQUEST_MODEL, GenAi.USAGE_INPUT_TOKENS,
        GenAi.USAGE_OUTPUT_TOKENS, GenAi.USAGE_CACHE_READ_INPUT_TOKENS, GenAi.USAGE_CACHE_CREATION_INPUT_TOKENS,
        GenAi.USAGE_REASONING_OUTPUT_TOKENS};

    /**
     * Counts and input/output tokens from the summary row; cached, cache-write and reasoning tokens and the cost
     * (the price table's, as the trace list's {@code cost_usd}) from the spans that used tokens, read once. Of each
     * such record only the model and usage attributes are taken (SQLite's {@code json_extract}, not the whole
     * record through the reader: a model call's record holds its whole prompt).
     */
    private static ObjectNode computeTotals(Connection db, String id, Row row) throws SQLException {
        long cacheRead = 0;
        long cacheWrite = 0;
        long reasoning = 0;
        Cost cost = Cost.NONE;
        StringBuilder paths = new StringBuilder();
        for (String attribute : USAGE) {
            paths.append(", '$.attributes.\"").append(attribute).append("\"'");
        }
        try (PreparedStatement sql = db.prepareStatement("SELECT json_extract(record" + paths + ") FROM spans"
                + " WHERE trace_id = ? AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)")) {
            sql.setString(1, id);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    Node span = usage(rs.getString(1));
                    if (span == null) {
                        continue;
                    }
                    cacheRead += span.count(GenAi.USAGE_CACHE_READ_INPUT_TOKENS);
                    cacheWrite += span.count(GenAi.USAGE_CACHE_CREATION_INPUT_TOKENS);
                    reasoning += span.count(GenAi.USAGE_REASONING_OUTPUT_TOKENS);
                    cost = cost.plus(TraceAnswers.prices().cost(span));
                }
            }
        }
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("span_count", row.spans);
        answer.put("log_count", row.logs);
        answer.put("error_count", row.errors);
        answer.put("input_tokens", row.inputTokens);
        answer.put("output_tokens", row.outputTokens);
        answer.put("cache_read_input_tokens", cacheRead);
        answer.put("cache_creation_input_tokens", cacheWrite);
        answer.put("reasoning_output_tokens", reasoning);
        if (cost.pricedSpans() == 0) {
            answer.putNull("cost_usd");
        } else {
            answer.put("cost_usd", Math.round(cost.usd() * 1e8) / 1e8);
        }
        answer.put("cost_complete", cost.isComplete());
        answer.put("priced_spans", cost.pricedSpans());
        answer.put("unpriced_spans", cost.unpricedSpans());
        ArrayNode models = answer.putArray("unpriced_models");
        cost.unpricedModels().stream().sorted().forEach(models::add);
        return answer;
    }

    /** A node holding only the usage attributes, from json_extract's array of their values (null where absent). */
    private static Node usage(String values) {
        JsonNode array;
        try {
            array = values == null ? null : RecordJson.MAPPER.readTree(values);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (array == null || !array.isArray()) {
            return null;
        }
        Map<String, Object> attributes = new HashMap<>();
        for (int i = 0; i < USAGE.length; i++) {
            JsonNode value = array.path(i);
            if (value.isNumber()) {
                attributes.put(USAGE[i], value.numberValue());
            } else if (value.isTextual()) {
                attributes.put(USAGE[i], value.textValue());
            }
        }
        return new Node(null, null, null, null, null, null, null, null, null, null, attributes, null, null, null, null,
                null, null, false);
    }

    private static Map<String, Object[]> kept() {
        return new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object[]> eldest) {
                return size() > KEPT;
            }
        };
    }

    private static ObjectNode lookup(Map<String, Object[]> cache, String id, String stamp) {
        synchronized (cache) {
            Object[] kept = cache.get(id);
            return kept != null && kept[0].equals(stamp) ? (ObjectNode) kept[1] : null;
        }
    }

    private static void remember(Map<String, Object[]> cache, String id, String stamp, ObjectNode answer) {
        synchronized (cache) {
            cache.put(id, new Object[] {stamp, answer});
        }
    }

    /**
     * The critical path as the viewer and the CLI define it (the root that ended last, then, from the end of each
     * span on the path backwards, the child that ended latest before the point reached, down to its own children),
     * walked with an explicit stack over arrays read from the {@code spans_shape} index: no record is read, no
     * recursion, and each step finds its child by binary search, so a span with 100,000 sequential children costs
     * n log n, not n².
     */
    static final class CriticalPath {
        private static final long NONE = Long.MIN_VALUE;
        private final String[] ids;
        private final long[] starts;
        private final long[] ends;
        /** Children in start order, as linked lists: first[p], then next[c]. */
        private final int[] first;
        private final int[] next;
        private final int[] roots;

        private CriticalPath(String[] ids, String[] parentIds, long[] starts, long[] ends) {
            int n = ids.length;
            this.ids = ids;
            this.starts = starts;
            this.ends = ends;
            Map<String, Integer> index = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                index.put(ids[i], i);
            }
            first = new int[n];
            next = new int[n];
            int[] last = new int[n];
            Arrays.fill(first, -1);
            Arrays.fill(next, -1);
            int[] rootList = new int[n];
            int rootCount = 0;
            for (int i = 0; i < n; i++) { // i in start order: each list comes out in start order
                Integer p = parentIds[i] == null ? null : index.get(parentIds[i]);
                if (p == null || p == i) {
                    rootList[rootCount++] = i;
                } else if (first[p] < 0) {
                    first[p] = i;
                    last[p] = i;
                } else {
                    next[last[p]] = i;
                    last[p] = i;
                }
            }
            roots = Arrays.copyOf(rootList, rootCount);
        }

        /** The span IDs on the trace's critical path, the root first; empty when no root has ended. */
        static List<String> of(Connection db, String id) throws SQLException {
            List<String> spanIds = new ArrayList<>();
            List<String> parentIds = new ArrayList<>();
            long[] starts = new long[1024];
            long[] ends = new long[1024];
            try (PreparedStatement sql = db.prepareStatement("SELECT span_id, parent_span_id, start_us, end_us"
                    + " FROM spans WHERE trace_id = ? ORDER BY start_us, span_id")) {
                sql.setString(1, id);
                try (ResultSet rs = sql.executeQuery()) {
                    while (rs.next()) {
                        int i = spanIds.size();
                        if (i == starts.length) {
                            starts = Arrays.copyOf(starts, i * 2);
                            ends = Arrays.copyOf(ends, i * 2);
                        }
                        spanIds.add(rs.getString(1));
                        parentIds.add(rs.getString(2));
                        long start = rs.getLong(3);
                        starts[i] = rs.wasNull() ? NONE : start;
                        long end = rs.getLong(4);
                        ends[i] = rs.wasNull() ? NONE : end;
                    }
                }
            }
            if (spanIds.isEmpty()) {
                return List.of();
            }
            return new CriticalPath(spanIds.toArray(new String[0]), parentIds.toArray(new String[0]), starts, ends)
                    .walk();
        }

        List<String> walk() {
            List<String> path = new ArrayList<>();
            int root = -1;
            for (int r : roots) {
                if (ends[r] != NONE && (root < 0 || ends[r] > ends[root])) {
                    root = r;
                }
            }
            if (root < 0) {
                return path;
            }
            // frames: a span on the path and the point in time its children must have started before
            int[] spans = new int[16];
            long[] cursors = new long[16];
            Children[] lists = new Children[16];
            int top = 0;
            spans[0] = root;
            cursors[0] = ends[root];
            path.add(ids[root]);
            top = 1;
            while (top > 0) {
                int at = top - 1;
                if (lists[at] == null) {
                    lists[at] = new Children(spans[at]);
                }
                long cursor = cursors[at];
                int chosen = lists[at].latestBefore(cursor);
                if (chosen < 0) {
                    lists[at] = null;
                    top--;
                    continue;
                }
                long until = Math.min(ends[chosen], cursor);
                cursors[at] = starts[chosen];
                if (top == spans.length) {
                    spans = Arrays.copyOf(spans, top * 2);
                    cursors = Arrays.copyOf(cursors, top * 2);
                    lists = Arrays.copyOf(lists, top * 2);
                }
                spans[top] = chosen;
                cursors[top] = until;
                lists[top] = null;
                top++;
                path.add(ids[chosen]);
            }
            return path;
        }

        /** A span's children that have a start and an end, in start order, with the running maximum of their ends. */
        private final class Children {
            private final int[] spans;
            private final long[] startOf;
            /** maxEnd[k]: the latest end among spans[0..k]; best[k]: the first of them that ended then. */
            private final long[] maxEnd;
            private final int[] best;

            Children(int parent) {
                int count = 0;
                for (int c = first[parent]; c >= 0; c = next[c]) {
                    if (starts[c] != NONE && ends[c] != NONE) {
                        count++;
                    }
                }
                spans = new int[count];
                startOf = new long[count];
                maxEnd = new long[count];
                best = new int[count];
                int k = 0;
                for (int c = first[parent]; c >= 0; c = next[c]) {
                    if (starts[c] != NONE && ends[c] != NONE) {
                        spans[k] = c;
                        startOf[k] = starts[c];
                        boolean later = k == 0 || ends[c] > maxEnd[k - 1];
                        maxEnd[k] = later ? ends[c] : maxEnd[k - 1];
                        best[k] = later ? c : best[k - 1];
                        k++;
                    }
                }
            }

            /**
             * Among the children that started before {@code cursor}, the one whose end (capped at the cursor) is
             * latest, the first in start order on a tie; -1 when none started before it.
             */
            int latestBefore(long cursor) {
                int lo = 0;
                int hi = spans.length;
                while (lo < hi) { // how many started before the cursor
                    int mid = (lo + hi) >>> 1;
                    if (startOf[mid] < cursor) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                int count = lo;
                if (count == 0) {
                    return -1;
                }
                if (maxEnd[count - 1] < cursor) {
                    return best[count - 1];
                }
                lo = 0;
                hi = count - 1;
                while (lo < hi) { // the first that ended at or after the cursor
                    int mid = (lo + hi) >>> 1;
                    if (maxEnd[mid] >= cursor) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                return spans[lo];
            }
        }
    }
}
