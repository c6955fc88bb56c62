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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What a viewer of a trace too big to download shows about the whole trace without its spans:
 * {@code GET /api/trace/{id}/totals} (span, log and error counts, tokens of every kind, cost) and
 * {@code GET /api/trace/{id}/critical-path} (the span IDs the trace's end waited on). Both are computed once per
 * state of the trace and kept by the collector ({@link KeptTraces}: the totals for the last few traces asked for,
 * the critical path with the trace's shape), so a viewer reopening a finished million-span trace gets them in
 * milliseconds. The cost is summed as the trace list sums it ({@link #usage}).
 */
final class TraceTotals {
    private TraceTotals() {
    }

    /** {@code GET /api/trace/{id}/totals}. */
    static ObjectNode totals(Connection db, KeptTraces kept, String traceId) throws SQLException {
        String id = TracePages.traceId(traceId);
        Row row = row(db, id);
        ObjectNode answer = kept.totals(id, row.stamp);
        if (answer == null) {
            // the trace list's answers for this state of the spans hold the same sum: no span is read again
            TraceAnswers.SpanAnswers listed = kept.spanAnswers(id, row.spanStamp);
            answer = computeTotals(id, row, listed != null ? listed.usage() : usage(db, id));
            kept.keepTotals(id, row.stamp, answer);
        }
        return answer.deepCopy();
    }

    /** Span IDs one {@code of=} may ask about. */
    static final int MAX_ASKED = 1_000;

    /**
     * {@code GET /api/trace/{id}/critical-path[?limit=N&offset=K][&of=ID,ID]}: from the trace's shape, kept with it.
     * With {@code limit}, the path's spans from the K-th on, at most N (a path can hold every span of a million-span
     * trace: 19 MB of IDs); {@code count} is the whole path's length either way. With {@code of}, which of those
     * spans are on the path ({@code on_path}, and no {@code span_ids} unless {@code limit} asks for them): how a
     * viewer marks the spans it loaded before the path was walked.
     */
    static ObjectNode criticalPath(Connection db, KeptTraces kept, String traceId, ApiExchange request)
            throws SQLException {
        String id = TracePages.traceId(traceId);
        Row row = row(db, id);
        TraceShape shape = row.spans > 0 ? kept.shape(db, id) : null; // a trace of log lines alone has no path
        int[] path = shape != null ? shape.criticalPath() : new int[0];
        String limitText = request.param("limit");
        int from = request.param("offset") == null ? 0 : TracePages.offset(request.param("offset"));
        String of = request.param("of");
        int to = limitText == null ? (of != null ? from : path.length) // asking about spans: no list unless paged
                : (int) Math.min(path.length, (long) from + TraceQueries.limit(limitText, 0));
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("count", path.length);
        ArrayNode ids = answer.putArray("span_ids");
        for (int k = from; k < to; k++) {
            ids.add(shape.id(path[k]));
        }
        if (limitText != null) {
            answer.put("next_offset", to < path.length ? Integer.valueOf(to) : null);
        }
        if (of != null) {
            String[] asked = of.split(",", -1);
            if (asked.length > MAX_ASKED) {
                throw new ApiException(400, "of lists at most " + MAX_ASKED + " span IDs, not " + asked.length);
            }
            ArrayNode on = answer.putArray("on_path");
            for (String spanId : asked) {
                int span = shape == null ? -1 : shape.indexOf(spanId);
                if (span >= 0 && shape.onCriticalPath(span)) {
                    on.add(spanId);
                }
            }
        }
        return answer;
    }

    /** The counts the trace's summary row keeps up to date, and what says whether the trace changed. */
    private record Row(String stamp, String spanStamp, long spans, long logs, long errors, long inputTokens, long outputTokens) {
    }

    private static Row row(Connection db, String id) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement("SELECT updated_us, span_count, log_count, error_count,"
                + " input_tokens, output_tokens FROM traces WHERE trace_id = ?")) {
            sql.setString(1, id);
            try (ResultSet rs = sql.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiException(404, "no trace " + id);
                }
                return new Row(rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3),
                        TraceAnswers.stamp(rs.getLong(1), rs.getLong(2)), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
            }
        }
    }

    /** The attributes the price table reads, pulled out of a record in one pass of SQLite's JSON parser. */
    private static final String[] USAGE = {GenAi.RESPONSE_MODEL, GenAi.REQUEST_MODEL, GenAi.USAGE_INPUT_TOKENS,
        GenAi.USAGE_OUTPUT_TOKENS, GenAi.USAGE_CACHE_READ_INPUT_TOKENS, GenAi.USAGE_CACHE_CREATION_INPUT_TOKENS,
        GenAi.USAGE_REASONING_OUTPUT_TOKENS};
    private static final String USAGE_QUERY;

    static {
        StringBuilder paths = new StringBuilder();
        for (String attribute : USAGE) {
            paths.append(", '$.attributes.\"").append(attribute).append("\"'");
        }
        USAGE_QUERY = "SELECT json_extract(record" + paths + ") FROM spans WHERE trace_id = ?"
                + " AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)";
    }

    /** Counts and input/output tokens from the summary row; the rest from the spans that used tokens. */
    private static ObjectNode computeTotals(String id, Row row, Usage usage) {
        Cost cost = usage.cost();
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("span_count", row.spans);
        answer.put("log_count", row.logs);
        answer.put("error_count", row.errors);
        answer.put("input_tokens", row.inputTokens);
        answer.put("output_tokens", row.outputTokens);
        answer.put("cache_read_input_tokens", usage.cacheRead());
        answer.put("cache_creation_input_tokens", usage.cacheWrite());
        answer.put("reasoning_output_tokens", usage.reasoning());
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

    /** A trace's cost (priced with the collector's price table) and the tokens the summary row does not sum. */
    record Usage(Cost cost, long cacheRead, long cacheWrite, long reasoning) {
    }

    /**
     * The cost and cached, cache-write and reasoning tokens of a trace's spans that used tokens: the one sum behind
     * both {@code /api/trace/{id}/totals} and the trace list's {@code cost_usd}. Of each such record only the model
     * and usage attributes are taken (SQLite's {@code json_extract} in one pass, not the whole record through the
     * reader: a model call's record holds its whole prompt).
     */
    static Usage usage(Connection db, String traceId) throws SQLException {
        long cacheRead = 0;
        long cacheWrite = 0;
        long reasoning = 0;
        Cost cost = Cost.NONE;
        try (PreparedStatement sql = db.prepareStatement(USAGE_QUERY)) {
            sql.setString(1, traceId);
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
        return new Usage(cost, cacheRead, cacheWrite, reasoning);
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

    /**
     * The critical path as the viewer and the CLI define it (the root that ended last, then, from the end of each
     * span on the path backwards, the child that ended latest before the point reached, down to its own children),
     * walked with an explicit stack over the trace's shape ({@link TraceShape#criticalPath}, which keeps it): no
     * record is read, no recursion, and each step finds its child by binary search, so a span with 100,000
     * sequential children costs n log n, not n².
     */
    static final class CriticalPath {
        private static final long NONE = TraceShape.NO_TIME;
        private final TraceShape shape;

        CriticalPath(TraceShape shape) {
            this.shape = shape;
        }

        /** The spans on the trace's critical path, the root first; empty when no root has ended. */
        int[] walk() {
            long[] ends = shape.ends;
            int[] path = new int[16];
            int length = 0;
            int root = -1;
            for (int r : shape.roots) {
                if (ends[r] != NONE && (root < 0 || ends[r] > ends[root])) {
                    root = r;
                }
            }
            if (root < 0) {
                return new int[0];
            }
            // frames: a span on the path and the point in time its children must have started before
            int[] spans = new int[16];
            long[] cursors = new long[16];
            Children[] lists = new Children[16];
            spans[0] = root;
            cursors[0] = ends[root];
            path[length++] = root;
            int top = 1;
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
                cursors[at] = shape.starts[chosen];
                if (top == spans.length) {
                    spans = Arrays.copyOf(spans, top * 2);
                    cursors = Arrays.copyOf(cursors, top * 2);
                    lists = Arrays.copyOf(lists, top * 2);
                }
                spans[top] = chosen;
                cursors[top] = until;
                lists[top] = null;
                top++;
                if (length == path.length) {
                    path = Arrays.copyOf(path, length * 2);
                }
                path[length++] = chosen;
            }
            return Arrays.copyOf(path, length);
        }

        /** A span's children that have a start and an end, in start order, with the running maximum of their ends. */
        private final class Children {
            private final int[] spans;
            private final long[] startOf;
            /** maxEnd[k]: the latest end among spans[0..k]; best[k]: the first of them that ended then. */
            private final long[] maxEnd;
            private final int[] best;

            Children(int parent) {
                long[] starts = shape.starts;
                long[] ends = shape.ends;
                int from = shape.childStart[parent];
                int to = from + shape.childCounts[parent];
                int count = 0;
                for (int k = from; k < to; k++) {
                    int c = shape.children[k];
                    if (starts[c] != NONE && ends[c] != NONE) {
                        count++;
                    }
                }
                spans = new int[count];
                startOf = new long[count];
                maxEnd = new long[count];
                best = new int[count];
                int k = 0;
                for (int at = from; at < to; at++) {
                    int c = shape.children[at];
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
