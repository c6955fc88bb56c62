package io.aitrace.server;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The SQL that stores records, used by the writer thread inside its transactions: spans upserted so that an
 * ended record is never replaced by a start or snapshot record, logs stored once, the full-text index of a span
 * rewritten after it was indexed kept in step (new rows are indexed later, {@link TextIndex}), and the per-trace
 * summary rows that {@code /api/traces} reads changed by what each record adds.
 */
final class SpanWrites {
    /** Log rows in one {@code INSERT}. */
    static final int LOGS_PER_INSERT = 50;

    private final Connection db;
    private final PreparedStatement findSpan;
    private final PreparedStatement insertSpan;
    private final PreparedStatement updateSpan;
    private final PreparedStatement insertLog;
    private final RowStatements insertLogs;
    private final PreparedStatement insertEvaluation;
    private final PreparedStatement addCounter;
    private final PreparedStatement saveOffset;
    private final PreparedStatement[] deleteTrace;
    private final TraceSummaries summaries;
    private final TextIndex text;

    SpanWrites(Connection db) throws SQLException {
        this.db = db;
        findSpan = db.prepareStatement("SELECT rowid, status, ended, input_tokens, output_tokens FROM spans"
                + " WHERE trace_id = ? AND span_id = ?");
        insertSpan = db.prepareStatement("INSERT INTO spans (parent_span_id, name, service, status, start_us, end_us,"
                + " ended, input_tokens, output_tokens, record, trace_id, span_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
        updateSpan = db.prepareStatement("UPDATE spans SET parent_span_id = ?, name = ?, service = ?, status = ?,"
                + " start_us = ?, end_us = ?, ended = ?, input_tokens = ?, output_tokens = ?, record = ?"
                + " WHERE rowid = ?");
        insertLog = db.prepareStatement("INSERT OR IGNORE INTO logs (trace_id, span_id, ts_us, level, digest, record)"
                + " VALUES (?,?,?,?,?,?)");
        insertLogs = new RowStatements(db, LOGS_PER_INSERT,
                "INSERT OR IGNORE INTO logs (trace_id, span_id, ts_us, level, digest, record) VALUES ", "(?,?,?,?,?,?)",
                "");
        summaries = new TraceSummaries(db);
        text = new TextIndex(db);
        addCounter = db.prepareStatement("INSERT INTO counters (name, value) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value");
        saveOffset = db.prepareStatement("INSERT OR REPLACE INTO watched_files (path, file_key, offset) VALUES (?,?,?)");
        insertEvaluation = db.prepareStatement("INSERT OR IGNORE INTO evaluations (trace_id, span_id, ts_us, name,"
                + " score, label, digest, record) VALUES (?,?,?,?,?,?,?,?)");
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
        TraceSummaries.OldSpan old = summaries.mayHoldSpans(span.traceId()) ? findSpan(span) : null;
        if (old != null && old.ended() && !span.ended()) {
            return false; // an ended record is never replaced by a start or snapshot record
        }
        PreparedStatement write = old == null ? insertSpan : updateSpan;
        write.setString(1, span.parentSpanId());
        write.setString(2, span.name());
        write.setString(3, span.service());
        write.setString(4, span.status());
        setLong(write, 5, span.startUs());
        setLong(write, 6, span.endUs());
        write.setInt(7, span.ended() ? 1 : 0);
        setLong(write, 8, span.inputTokens());
        setLong(write, 9, span.outputTokens());
        write.setString(10, span.json());
        if (old == null) {
            write.setString(11, span.traceId());
            write.setString(12, span.spanId());
        } else {
            write.setLong(11, old.rowid());
        }
        write.executeUpdate();
        if (old != null && text.isIndexed(old.rowid())) {
            text.reindexSpan(old.rowid(), span.json());
        }
        summaries.span(span, old);
        return true;
    }

    /** The stored row of this span, null when there is none. */
    private TraceSummaries.OldSpan findSpan(RecordRow.Span span) throws SQLException {
        findSpan.setString(1, span.traceId());
        findSpan.setString(2, span.spanId());
        try (ResultSet rs = findSpan.executeQuery()) {
            return rs.next() ? new TraceSummaries.OldSpan(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1,
                    longOrNull(rs, 4), longOrNull(rs, 5)) : null;
        }
    }

    /** Stores a log record; false when the same record was stored before. */
    boolean putLog(RecordRow.Log log) throws SQLException {
        bindLog(insertLog, 0, log);
        if (insertLog.executeUpdate() == 0) {
            return false;
        }
        if (log.traceId() != null) {
            summaries.log(log);
        }
        return true;
    }

    /**
     * Stores log records up to {@value #LOGS_PER_INSERT} to a statement (a statement costs about as much as
     * the row it inserts); returns, for each, whether it was stored (false: the same record was stored before, or
     * comes earlier in the list).
     */
    boolean[] putLogs(List<RecordRow.Log> logs) throws SQLException {
        boolean[] stored = new boolean[logs.size()];
        for (int from = 0; from < logs.size(); from += LOGS_PER_INSERT) {
            int to = Math.min(logs.size(), from + LOGS_PER_INSERT);
            PreparedStatement insert = insertLogs.rows(to - from);
            for (int i = from; i < to; i++) {
                bindLog(insert, (i - from) * 6, logs.get(i));
            }
            int inserted = insert.executeUpdate();
            if (inserted == to - from) {
                Arrays.fill(stored, from, to, true);
            } else if (inserted > 0) {
                // some were stored before, or twice in this statement (only the first of those is inserted): the
                // new rows took the highest rowids, one after the other, and each stands for one record of the list
                List<String> added = new ArrayList<>(inserted);
                try (PreparedStatement newest = db.prepareStatement(
                        "SELECT trace_id, digest FROM logs ORDER BY id DESC LIMIT ?")) {
                    newest.setInt(1, inserted);
                    try (ResultSet rs = newest.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getString(1) != null) { // a line outside a trace is always a new row
                                added.add(key(rs.getString(1), rs.getBytes(2)));
                            }
                        }
                    }
                }
                for (int i = from; i < to; i++) {
                    RecordRow.Log log = logs.get(i);
                    stored[i] = log.traceId() == null || added.remove(key(log.traceId(), log.digest()));
                }
            }
        }
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] && logs.get(i).traceId() != null) {
                summaries.log(logs.get(i));
            }
        }
        return stored;
    }

    /** A log's trace and digest, as one value to compare. */
    private static String key(String traceId, byte[] digest) {
        return traceId + '/' + new String(digest, StandardCharsets.ISO_8859_1);
    }

    private static void bindLog(PreparedStatement insert, int at, RecordRow.Log log) throws SQLException {
        insert.setString(at + 1, log.traceId());
        insert.setString(at + 2, log.spanId());
        setLong(insert, at + 3, log.timestampUs());
        insert.setString(at + 4, log.level());
        insert.setBytes(at + 5, log.digest());
        insert.setString(at + 6, log.json());
    }

    /** Stores an evaluation record; false when the same record was stored before. */
    boolean putEvaluation(RecordRow.Evaluation evaluation) throws SQLException {
        insertEvaluation.setString(1, evaluation.traceId());
        insertEvaluation.setString(2, evaluation.spanId());
        setLong(insertEvaluation, 3, evaluation.timestampUs());
        insertEvaluation.setString(4, evaluation.name());
        if (evaluation.score() == null) {
            insertEvaluation.setNull(5, java.sql.Types.REAL);
        } else {
            insertEvaluation.setDouble(5, evaluation.score());
        }
        insertEvaluation.setString(6, evaluation.label());
        insertEvaluation.setString(7, evaluation.digest());
        insertEvaluation.setString(8, evaluation.json());
        return insertEvaluation.executeUpdate() > 0;
    }

    /** Closes the prepared statements. */
    void close() throws SQLException {
        for (PreparedStatement statement : new PreparedStatement[] {findSpan, insertSpan, updateSpan, insertLog,
                insertEvaluation, addCounter, saveOffset}) {
            statement.close();
        }
        insertLogs.close();
        summaries.close();
        text.close();
        for (PreparedStatement statement : deleteTrace) {
            statement.close();
        }
    }

    /** The writer's connection, for queries inside its transaction. */
    Connection db() {
        return db;
    }

    /** Deletes a trace with its spans, logs and index entries. */
    void deleteTrace(String traceId) throws SQLException {
        summaries.forget(traceId);
        for (PreparedStatement statement : deleteTrace) {
            statement.setString(1, traceId);
            statement.executeUpdate();
        }
        text.afterDelete();
    }

    /** The full-text index, filled behind ingest. */
    TextIndex text() {
        return text;
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

    /** Reads the summary rows of these traces in a few statements, before their records are stored. */
    void preloadSummaries(Collection<String> traceIds) throws SQLException {
        summaries.preload(traceIds);
    }

    /** Writes the summary rows of the traces this transaction touched. */
    void saveSummaries(long nowMicros) throws SQLException {
        summaries.save(nowMicros);
    }

    /** Forgets what the transaction counted: it rolled back. */
    void discardSummaries() {
        summaries.discard();
    }

    /** A nullable integer column. */
    static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** Binds a nullable integer. */
    static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }
}
