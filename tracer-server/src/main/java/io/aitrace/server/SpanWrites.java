package io.aitrace.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;

/**
 * The SQL that stores records, used by the writer thread inside its transactions: spans upserted so that an
 * ended record is never replaced by a start or snapshot record, logs stored once, the full-text index kept in
 * step, and the per-trace summary row that {@code /api/traces} reads recomputed for each trace a batch touched.
 */
final class SpanWrites {
    private final Connection db;
    private final PreparedStatement upsertSpan;
    private final PreparedStatement putSpanText;
    private final PreparedStatement spanRowid;
    private final PreparedStatement insertLog;
    private final PreparedStatement insertLogText;
    private final PreparedStatement insertEvaluation;
    private final PreparedStatement refreshTrace;
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
        // FTS5 takes OR REPLACE on the rowid: the old entry of an updated span is deleted first
        putSpanText = db.prepareStatement(
                "INSERT OR REPLACE INTO span_text (rowid, name, annotations, attributes, io) VALUES (?,?,?,?,?)");
        insertLog = db.prepareStatement("INSERT OR IGNORE INTO logs (trace_id, span_id, ts_us, level, digest, record)"
                + " VALUES (?,?,?,?,?,?)");
        insertLogText = db.prepareStatement("INSERT INTO log_text (rowid, event, attrs) VALUES (last_insert_rowid(),?,?)");
        insertEvaluation = db.prepareStatement("INSERT OR IGNORE INTO evaluations (trace_id, span_id, ts_us, name,"
                + " score, label, digest, record) VALUES (?,?,?,?,?,?,?,?)");
        // one statement per trace: its spans' and logs' totals and its root, upserted into its summary row
        refreshTrace = db.prepareStatement("WITH s AS (SELECT COUNT(*) AS n, MIN(start_us) AS first_us,"
                + " MAX(COALESCE(end_us, start_us)) AS last_us, TOTAL(status = 'error') AS errors,"
                + " TOTAL(input_tokens) AS input, TOTAL(output_tokens) AS output, TOTAL(ended = 0) AS running"
                + " FROM spans WHERE trace_id = ?1),"
                + " l AS (SELECT COUNT(*) AS n, MIN(ts_us) AS first_us, MAX(ts_us) AS last_us,"
                + " TOTAL(level IN ('error', 'critical', 'fatal')) AS errors FROM logs WHERE trace_id = ?1),"
                + " root AS (SELECT name, service FROM spans r WHERE trace_id = ?1 AND (parent_span_id IS NULL"
                + " OR NOT EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = r.trace_id AND p.span_id = r.parent_span_id))"
                + " ORDER BY start_us LIMIT 1),"
                + " t AS (SELECT COALESCE(MIN(s.first_us, l.first_us), s.first_us, l.first_us, ?2) AS start_us,"
                + " COALESCE(MAX(s.last_us, l.last_us), s.last_us, l.last_us) AS end_us, s.n AS spans, l.n AS logs,"
                + " s.errors + l.errors AS errors, s.input, s.output, s.running FROM s, l)"
                + " INSERT INTO traces (trace_id, root_name, service, start_us, end_us, duration_ms, span_count,"
                + " log_count, error_count, input_tokens, output_tokens, running, updated_us)"
                + " SELECT ?1, root.name, root.service, start_us, end_us, (end_us - start_us) / 1000.0, spans, logs,"
                + " errors, input, output, running > 0, ?2 FROM t LEFT JOIN root WHERE spans + logs > 0"
                + " ON CONFLICT (trace_id) DO UPDATE SET root_name = excluded.root_name, service = excluded.service,"
                + " start_us = excluded.start_us, end_us = excluded.end_us, duration_ms = excluded.duration_ms,"
                + " span_count = excluded.span_count, log_count = excluded.log_count,"
                + " error_count = excluded.error_count, input_tokens = excluded.input_tokens,"
                + " output_tokens = excluded.output_tokens, running = excluded.running,"
                + " updated_us = excluded.updated_us");
        addCounter = db.prepareStatement("INSERT INTO counters (name, value) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value");
        saveOffset = db.prepareStatement("INSERT OR REPLACE INTO watched_files (path, file_key, offset) VALUES (?,?,?)");
        deleteTrace = new PreparedStatement[] {
            db.prepareStatement("DELETE FROM span_text WHERE rowid IN (SELECT rowid FROM spans WHERE trace_id = ?)"),
            db.prepareStatement("DELETE FROM log_text WHERE rowid IN (SELECT id FROM logs WHERE trace_id = ?)"),
            db.prepareStatement("DELETE FROM spans WHERE trace_id = ?"),
            db.prepareStatement("DELETE FROM logs WHERE trace_id = ?"),
            db.prepareStatement("DELETE FROM evaluations WHERE trace_id = ?"),
            db.prepareStatement("DELETE FROM traces WHERE trace_id = ?")};
    }

    /** Stores a span record; true when it changed what is stored (false for a stale start after the end). */
    boolean putSpan(RecordRow.Span span) throws SQLException {
        upsertSpan.setString(1, span.traceId());
        upsertSpan.setString(2, span.spanId());
        upsertSpan.setString(3, span.parentSpanId());
        upsertSpan.setString(4, span.name());
        upsertSpan.setString(5, span.service());
        upsertSpan.setString(6, span.status());
        setLong(upsertSpan, 7, span.startUs());
        setLong(upsertSpan, 8, span.endUs());
        upsertSpan.setInt(9, span.ended() ? 1 : 0);
        setLong(upsertSpan, 10, span.inputTokens());
        setLong(upsertSpan, 11, span.outputTokens());
        upsertSpan.setString(12, span.json());
        if (upsertSpan.executeUpdate() == 0) {
            return false;
        }
        // a separate lookup: the same upsert with RETURNING rowid measured ten times slower in sqlite-jdbc
        long rowid;
        spanRowid.setString(1, span.traceId());
        spanRowid.setString(2, span.spanId());
        try (ResultSet rs = spanRowid.executeQuery()) {
            rs.next();
            rowid = rs.getLong(1);
        }
        putSpanText.setLong(1, rowid);
        putSpanText.setString(2, span.name());
        putSpanText.setString(3, span.annotationsText());
        putSpanText.setString(4, span.attributesText());
        putSpanText.setString(5, span.ioText());
        putSpanText.executeUpdate();
        return true;
    }

    /** Stores a log record; false when the same record was stored before. */
    boolean putLog(RecordRow.Log log) throws SQLException {
        insertLog.setString(1, log.traceId());
        insertLog.setString(2, log.spanId());
        setLong(insertLog, 3, log.timestampUs());
        insertLog.setString(4, log.level());
        insertLog.setString(5, log.digest());
        insertLog.setString(6, log.json());
        if (insertLog.executeUpdate() == 0) {
            return false;
        }
        insertLogText.setString(1, log.event());
        insertLogText.setString(2, log.attrsText());
        insertLogText.executeUpdate();
        return true;
    }

    /** Stores an evaluation record; false when the same record was stored before. */
    boolean putEvaluation(RecordRow.Evaluation evaluation) throws SQLException {
        insertEvaluation.setString(1, evaluation.traceId());
        insertEvaluation.setString(2, evaluation.spanId());
        setLong(insertEvaluation, 3, evaluation.timestampUs());
        insertEvaluation.setString(4, evaluation.name());
        if (evaluation.score() == null) {
            insertEvaluation.setNull(5, Types.REAL);
        } else {
            insertEvaluation.setDouble(5, evaluation.score());
        }
        insertEvaluation.setString(6, evaluation.label());
        insertEvaluation.setString(7, evaluation.digest());
        insertEvaluation.setString(8, evaluation.json());
        return insertEvaluation.executeUpdate() > 0;
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
        refreshTrace.setString(1, traceId);
        refreshTrace.setLong(2, nowMicros);
        if (refreshTrace.executeUpdate() == 0) {
            deleteTrace(traceId); // nothing left of it
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }
}
