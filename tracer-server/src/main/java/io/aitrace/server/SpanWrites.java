package io.aitrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * The SQL that stores records, used by the writer thread inside its transactions: spans upserted so that an
 * ended record is never replaced by a start or snapshot record, logs stored once, the full-text index kept in
 * step, and the per-trace summary row that {@code /api/traces} reads recomputed for each trace a batch touched.
 */
final class SpanWrites {
    private final Connection db;
    private final PreparedStatement upsertSpan;
    private final PreparedStatement spanRowid;
    private final PreparedStatement deleteSpanText;
    private final PreparedStatement insertSpanText;
    private final PreparedStatement insertLog;
    private final PreparedStatement insertLogText;
    private final PreparedStatement spanTotals;
    private final PreparedStatement logTotals;
    private final PreparedStatement rootOf;
    private final PreparedStatement upsertTrace;
    private final PreparedStatement addCounter;
    private final PreparedStatement saveOffset;
    private final PreparedStatement[] deleteTrace;

    SpanWrites(Connection db) throws SQLException {
        this.db = db;
        upsertSpan = db.prepareStatement("INSERT INTO spans (trace_id, span_id, parent_span_id, name, service, status,"
                + " start_us, end_us, ended, input_tokens, output_tokens, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (trace_id, span_id) DO UPDATE SET parent_span_id = excluded.parent_span_id,"
                + " name = excluded.name, service = excluded.service, status = excluded.status,"
                + " start_us = excluded.start_us, end_us = excluded.end_us, ended = excluded.ended,"
                + " input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,"
                + " record = excluded.record WHERE spans.ended = 0 OR excluded.ended = 1");
        spanRowid = db.prepareStatement("SELECT rowid FROM spans WHERE trace_id = ? AND span_id = ?");
        deleteSpanText = db.prepareStatement("DELETE FROM span_text WHERE rowid = ?");
        insertSpanText = db.prepareStatement(
                "INSERT INTO span_text (rowid, name, annotations, attributes, io) VALUES (?,?,?,?,?)");
        insertLog = db.prepareStatement("INSERT OR IGNORE INTO logs (trace_id, span_id, ts_us, level, digest, record)"
                + " VALUES (?,?,?,?,?,?)");
        insertLogText = db.prepareStatement("INSERT INTO log_text (rowid, event, attrs) VALUES (last_insert_rowid(),?,?)");
        spanTotals = db.prepareStatement("SELECT COUNT(*), MIN(start_us), MAX(COALESCE(end_us, start_us)),"
                + " SUM(status = 'error'), SUM(input_tokens), SUM(output_tokens), SUM(ended = 0)"
                + " FROM spans WHERE trace_id = ?");
        logTotals = db.prepareStatement("SELECT COUNT(*), MIN(ts_us), MAX(ts_us),"
                + " SUM(level IN ('error', 'critical', 'fatal')) FROM logs WHERE trace_id = ?");
        rootOf = db.prepareStatement("SELECT name, service FROM spans s WHERE trace_id = ? AND (parent_span_id IS NULL"
                + " OR NOT EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))"
                + " ORDER BY start_us LIMIT 1");
        upsertTrace = db.prepareStatement("INSERT OR REPLACE INTO traces (trace_id, root_name, service, start_us,"
                + " end_us, duration_ms, span_count, log_count, error_count, input_tokens, output_tokens, running,"
                + " updated_us) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
        addCounter = db.prepareStatement("INSERT INTO counters (name, value) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value");
        saveOffset = db.prepareStatement("INSERT OR REPLACE INTO watched_files (path, file_key, offset) VALUES (?,?,?)");
        deleteTrace = new PreparedStatement[] {
            db.prepareStatement("DELETE FROM span_text WHERE rowid IN (SELECT rowid FROM spans WHERE trace_id = ?)"),
            db.prepareStatement("DELETE FROM log_text WHERE rowid IN (SELECT id FROM logs WHERE trace_id = ?)"),
            db.prepareStatement("DELETE FROM spans WHERE trace_id = ?"),
            db.prepareStatement("DELETE FROM logs WHERE trace_id = ?"),
            db.prepareStatement("DELETE FROM traces WHERE trace_id = ?")};
    }

    /** Stores a span record; true when it changed what is stored (false for a stale start after the end). */
    boolean putSpan(ObjectNode span) throws SQLException {
        String traceId = span.path("trace_id").asText();
        String spanId = span.path("span_id").asText();
        JsonNode attributes = span.path("attributes");
        Long end = micros(span.path("end"));
        upsertSpan.setString(1, traceId);
        upsertSpan.setString(2, spanId);
        upsertSpan.setString(3, text(span.path("parent_span_id")));
        upsertSpan.setString(4, text(span.path("name")));
        upsertSpan.setString(5, service(span));
        upsertSpan.setString(6, text(span.path("status")));
        setLong(upsertSpan, 7, micros(span.path("start")));
        setLong(upsertSpan, 8, end);
        upsertSpan.setInt(9, end == null ? 0 : 1);
        setLong(upsertSpan, 10, tokens(attributes.path("gen_ai.usage.input_tokens")));
        setLong(upsertSpan, 11, tokens(attributes.path("gen_ai.usage.output_tokens")));
        upsertSpan.setString(12, span.toString());
        if (upsertSpan.executeUpdate() == 0) {
            return false;
        }
        long rowid;
        spanRowid.setString(1, traceId);
        spanRowid.setString(2, spanId);
        try (ResultSet rs = spanRowid.executeQuery()) {
            rs.next();
            rowid = rs.getLong(1);
        }
        deleteSpanText.setLong(1, rowid);
        deleteSpanText.executeUpdate();
        StringBuilder notes = new StringBuilder();
        span.path("annotations").forEach(a -> notes.append(a.path("text").asText()).append('\n'));
        insertSpanText.setLong(1, rowid);
        insertSpanText.setString(2, text(span.path("name")));
        insertSpanText.setString(3, notes.toString());
        insertSpanText.setString(4, flatten(attributes));
        insertSpanText.setString(5, flatten(span.path("input")) + "\n" + flatten(span.path("output")));
        insertSpanText.executeUpdate();
        return true;
    }

    /** Stores a log record; false when the same record was stored before. */
    boolean putLog(ObjectNode log) throws SQLException {
        String text = log.toString();
        insertLog.setString(1, text(log.path("trace_id")));
        insertLog.setString(2, text(log.path("span_id")));
        setLong(insertLog, 3, micros(log.path("timestamp")));
        insertLog.setString(4, text(log.path("level")));
        insertLog.setString(5, digest(text));
        insertLog.setString(6, text);
        if (insertLog.executeUpdate() == 0) {
            return false;
        }
        insertLogText.setString(1, text(log.path("event")));
        insertLogText.setString(2, flatten(log.path("attrs")) + "\n" + flatten(log.path("exception")));
        insertLogText.executeUpdate();
        return true;
    }

    /** The writer's connection, for queries inside its transaction. */
    Connection db() {
        return db;
    }

    /** Deletes a trace with its spans, logs and index entries. */
    void deleteTrace(String traceId) throws SQLException {
        for (PreparedStatement statement : deleteTrace) {
            statement.setString(1, traceId);
            statement.executeUpdate();
        }
    }

    void addCounter(String name, long value) throws SQLException {
        addCounter.setString(1, name);
        addCounter.setLong(2, value);
        addCounter.executeUpdate();
    }

    void saveOffset(String path, String fileKey, long offset) throws SQLException {
        saveOffset.setString(1, path);
        saveOffset.setString(2, fileKey);
        saveOffset.setLong(3, offset);
        saveOffset.executeUpdate();
    }

    /** Recomputes the summary rows of these traces from their spans and logs. */
    void refreshTraces(Collection<String> traceIds, long nowMicros) throws SQLException {
        for (String traceId : traceIds) {
            refreshTrace(traceId, nowMicros);
        }
    }

    private void refreshTrace(String traceId, long nowMicros) throws SQLException {
        long spans;
        Long start;
        Long end;
        long errors;
        long inputTokens;
        long outputTokens;
        long running;
        spanTotals.setString(1, traceId);
        try (ResultSet rs = spanTotals.executeQuery()) {
            rs.next();
            spans = rs.getLong(1);
            start = getLong(rs, 2);
            end = getLong(rs, 3);
            errors = rs.getLong(4);
            inputTokens = rs.getLong(5);
            outputTokens = rs.getLong(6);
            running = rs.getLong(7);
        }
        long logs;
        logTotals.setString(1, traceId);
        try (ResultSet rs = logTotals.executeQuery()) {
            rs.next();
            logs = rs.getLong(1);
            start = min(start, getLong(rs, 2));
            end = max(end, getLong(rs, 3));
            errors += rs.getLong(4);
        }
        if (spans == 0 && logs == 0) {
            deleteTrace(traceId);
            return;
        }
        String rootName = null;
        String service = null;
        rootOf.setString(1, traceId);
        try (ResultSet rs = rootOf.executeQuery()) {
            if (rs.next()) {
                rootName = rs.getString(1);
                service = rs.getString(2);
            }
        }
        long startUs = start == null ? nowMicros : start;
        upsertTrace.setString(1, traceId);
        upsertTrace.setString(2, rootName);
        upsertTrace.setString(3, service);
        upsertTrace.setLong(4, startUs);
        setLong(upsertTrace, 5, end);
        if (end == null) {
            upsertTrace.setNull(6, Types.REAL);
        } else {
            upsertTrace.setDouble(6, (end - startUs) / 1000.0);
        }
        upsertTrace.setLong(7, spans);
        upsertTrace.setLong(8, logs);
        upsertTrace.setLong(9, errors);
        upsertTrace.setLong(10, inputTokens);
        upsertTrace.setLong(11, outputTokens);
        upsertTrace.setInt(12, running > 0 ? 1 : 0);
        upsertTrace.setLong(13, nowMicros);
        upsertTrace.executeUpdate();
    }

    static String service(JsonNode span) {
        JsonNode name = span.path("resource").path("service.name");
        if (name.isMissingNode() || name.isNull()) {
            name = span.path("attributes").path("service.name");
        }
        return text(name);
    }

    /** Microseconds since the epoch of an ISO-8601 time, or null. */
    static Long micros(JsonNode time) {
        Instant instant = time.isTextual() ? Timestamps.parse(time.textValue()) : null;
        return instant == null ? null : instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static Long tokens(JsonNode value) {
        if (value.isNumber()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The text of a JSON value for the full-text index: keys and leaf values, one pair a line. */
    static String flatten(JsonNode value) {
        StringBuilder out = new StringBuilder();
        flatten(null, value, out);
        return out.toString();
    }

    private static void flatten(String key, JsonNode value, StringBuilder out) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getKey(), e.getValue(), out);
            }
        } else if (value.isArray()) {
            value.forEach(item -> flatten(key, item, out));
        } else {
            if (key != null) {
                out.append(key).append(": ");
            }
            out.append(value.asText()).append('\n');
        }
    }

    static String text(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }

    private static Long getLong(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : value;
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.min(a, b);
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }
}
