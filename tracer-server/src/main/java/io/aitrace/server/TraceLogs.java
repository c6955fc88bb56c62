package io.aitrace.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.text.TextFit;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Locale;

/**
 * {@code GET /api/trace/{id}/logs?span_id=&limit=&cursor=}: a trace's log lines (or one span's) in time order, a page
 * at a time, so a viewer of a trace too big to download shows a span's log lines when the span is shown. The cursor
 * is the last line's time and row, so each page costs the same however deep into the listing it is.
 */
final class TraceLogs {
    private TraceLogs() {
    }

    static ObjectNode page(Connection db, String traceId, ApiExchange request) throws SQLException {
        String id = TracePages.traceId(traceId);
        String spanId = spanId(request.param("span_id"));
        int limit = TraceQueries.limit(request.param("limit"), 100);
        long[] after = cursor(request.param("cursor"));
        StringBuilder sql = new StringBuilder("SELECT id, ts_us, record FROM logs WHERE trace_id = ?");
        if (spanId != null) {
            sql.append(" AND span_id = ?");
        }
        if (after != null) {
            sql.append(after[0] == Long.MIN_VALUE ? " AND ((ts_us IS NULL AND id > ?) OR ts_us IS NOT NULL)"
                    : " AND (ts_us > ? OR (ts_us = ? AND id > ?))");
        }
        sql.append(" ORDER BY ts_us, id LIMIT ?");
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        if (spanId != null) {
            answer.put("span_id", spanId);
        }
        ArrayNode logs = answer.putArray("logs");
        long lastTime = 0;
        long lastRow = 0;
        boolean more = false;
        try (PreparedStatement statement = db.prepareStatement(sql.toString())) {
            int k = 1;
            statement.setString(k++, id);
            if (spanId != null) {
                statement.setString(k++, spanId);
            }
            if (after != null && after[0] == Long.MIN_VALUE) {
                statement.setLong(k++, after[1]);
            } else if (after != null) {
                statement.setLong(k++, after[0]);
                statement.setLong(k++, after[0]);
                statement.setLong(k++, after[1]);
            }
            statement.setInt(k, limit + 1);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (logs.size() == limit) {
                        more = true;
                        break;
                    }
                    lastRow = rs.getLong(1);
                    long ts = rs.getLong(2);
                    lastTime = rs.wasNull() ? Long.MIN_VALUE : ts;
                    logs.add(record(rs.getString(3), lastRow));
                }
            }
        }
        if (logs.isEmpty() && after == null) {
            known(db, id, spanId);
        }
        answer.put("next_cursor", more ? encode(lastTime, lastRow) : null);
        return answer;
    }

    /** An empty first page is a 404 when the trace (or the span) is not stored at all. */
    private static void known(Connection db, String id, String spanId) throws SQLException {
        String sql = spanId == null ? "SELECT 1 FROM traces WHERE trace_id = ?"
                : "SELECT 1 FROM spans WHERE trace_id = ? AND span_id = ?";
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, id);
            if (spanId != null) {
                statement.setString(2, spanId);
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiException(404, spanId == null ? "no trace " + id
                            : "no span " + spanId + " in trace " + id);
                }
            }
        }
    }

    private static ObjectNode record(String text, long row) {
        try {
            return (ObjectNode) RecordJson.MAPPER.readTree(text);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored log line " + row + " is not a JSON object", e);
        }
    }

    private static String spanId(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() > 64 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new ApiException(400, "span_id must be hex digits (16 for a span ID), not '"
                    + TextFit.cut(text, 80) + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static String encode(long time, long row) {
        String text = "l:" + (time == Long.MIN_VALUE ? "-" : String.valueOf(time)) + ":" + row;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {time (Long.MIN_VALUE for a line without one), row} after which the page starts; null for the first page. */
    private static long[] cursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length == 3 && parts[0].equals("l")) {
                long time = parts[1].equals("-") ? Long.MIN_VALUE : Long.parseLong(parts[1]);
                return new long[] {time, Long.parseLong(parts[2])};
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ApiException(400, "not a cursor of this listing: '" + TextFit.cut(cursor, 80)
                + "'");
    }
}
