package io.aitrace.server;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database's tables, versioned with SQLite's {@code user_version}: on start every migration the file has not
 * seen yet runs, each in its own transaction, so a database made by an older aitrace is brought up to date and
 * one made by a newer aitrace is refused instead of damaged.
 */
final class Schema {
    /** Each entry moves the schema from version i to i + 1. */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE spans (trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT,"
                    + " service TEXT, status TEXT, start_us INTEGER, end_us INTEGER, ended INTEGER NOT NULL,"
                    + " input_tokens INTEGER, output_tokens INTEGER, record TEXT NOT NULL,"
                    + " PRIMARY KEY (trace_id, span_id))",
            "CREATE TABLE logs (id INTEGER PRIMARY KEY, trace_id TEXT, span_id TEXT, ts_us INTEGER, level TEXT,"
                    + " digest TEXT NOT NULL, record TEXT NOT NULL)",
            // the same log line sent twice (a client retrying after a lost answer) is stored once
            "CREATE UNIQUE INDEX logs_digest ON logs (trace_id, digest)",
            "CREATE INDEX logs_trace ON logs (trace_id, ts_us)",
            "CREATE TABLE traces (trace_id TEXT PRIMARY KEY, root_name TEXT, service TEXT, start_us INTEGER NOT NULL,"
                    + " end_us INTEGER, duration_ms REAL, span_count INTEGER NOT NULL, log_count INTEGER NOT NULL,"
                    + " error_count INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,"
                    + " running INTEGER NOT NULL, updated_us INTEGER NOT NULL)",
            "CREATE INDEX traces_start ON traces (start_us, trace_id)",
            "CREATE INDEX traces_service ON traces (service, start_us)",
            "CREATE INDEX traces_updated ON traces (updated_us)",
            "CREATE VIRTUAL TABLE span_text USING fts5 (name, annotations, attributes, io)",
            "CREATE VIRTUAL TABLE log_text USING fts5 (event, attrs)",
            "CREATE TABLE watched_files (path TEXT PRIMARY KEY, file_key TEXT, offset INTEGER NOT NULL)",
            "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"),
            // version 2: what keeping the summary up to date record by record needs (TraceSummaries)
            List.of("ALTER TABLE traces ADD COLUMN running_spans INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE traces ADD COLUMN root_span_id TEXT",
                    "ALTER TABLE traces ADD COLUMN root_parent_id TEXT",
                    "ALTER TABLE traces ADD COLUMN root_start_us INTEGER",
                    "UPDATE traces SET running_spans = (SELECT COUNT(*) FROM spans s"
                            + " WHERE s.trace_id = traces.trace_id AND s.ended = 0)",
                    "UPDATE traces SET root_span_id = (SELECT span_id FROM spans r WHERE r.trace_id = traces.trace_id"
                            + " AND (r.parent_span_id IS NULL OR NOT EXISTS (SELECT 1 FROM spans p"
                            + " WHERE p.trace_id = r.trace_id AND p.span_id = r.parent_span_id))"
                            + " ORDER BY r.parent_span_id IS NOT NULL, r.start_us LIMIT 1)",
                    "UPDATE traces SET root_parent_id = (SELECT parent_span_id FROM spans r"
                            + " WHERE r.trace_id = traces.trace_id AND r.span_id = traces.root_span_id),"
                            + " root_start_us = (SELECT start_us FROM spans r"
                            + " WHERE r.trace_id = traces.trace_id AND r.span_id = traces.root_span_id)"),
            // version 3: evaluation records sent after their span (an evaluator process, POST /api/evaluations)
            List.of("CREATE TABLE evaluations (id INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, span_id TEXT NOT NULL,"
                    + " ts_us INTEGER, name TEXT NOT NULL, score REAL, label TEXT, digest TEXT NOT NULL,"
                    + " record TEXT NOT NULL)",
                    "CREATE UNIQUE INDEX evaluations_digest ON evaluations (trace_id, digest)",
                    "CREATE INDEX evaluations_name ON evaluations (name, trace_id)"),
            // version 4: a trace's shape (TraceShape: tree, pages, timeline bins) read from the index alone, in start
            // order, without reading the spans' records (a million-span trace in 0.7 s instead of 3.4 s)
            List.of("CREATE INDEX spans_shape ON spans (trace_id, start_us, span_id, parent_span_id, end_us, status)"),
            // version 5: the full-text index is filled behind ingest (TextIndex); what was stored is indexed already
            List.of("CREATE TABLE text_index (name TEXT PRIMARY KEY, indexed_to INTEGER NOT NULL)",
                    "INSERT INTO text_index VALUES ('span_text', (SELECT COALESCE(MAX(rowid), 0) FROM spans)),"
                            + " ('log_text', (SELECT COALESCE(MAX(id), 0) FROM logs))"),
            // version 6: the trace list filtered by status=running or status=error reads only those traces (newest
            // first) instead of scanning every trace when few match; partial, so only those rows pay for them
            List.of("CREATE INDEX traces_running ON traces (start_us, trace_id) WHERE running = 1",
                    "CREATE INDEX traces_errors ON traces (start_us, trace_id) WHERE error_count > 0"),
            // version 7: a log's digest is the first 16 bytes of its SHA-256 as a blob, not 64 hex characters, so
            // the unique index every log insert writes to is about half as big; the stored rows are rewritten (about
            // 40 s per million logs of 400 bytes, at load 10 on 2 cores)
            List.of("UPDATE logs SET digest = unhex(substr(digest, 1, 32)) WHERE typeof(digest) = 'text'"),
            // version 8: a log insert writes one index with random keys instead of two. The unique index that finds
            // a line sent again also serves the reads in time order: the same digest means the same record, so the
            // same time stamp, and (trace, time, digest) is unique exactly when (trace, digest) is; lines without a
            // time stamp (NULL, never equal in a unique index) keep a partial unique index of their own
            List.of("DROP INDEX logs_digest",
                    "DROP INDEX logs_trace",
                    "CREATE UNIQUE INDEX logs_trace ON logs (trace_id, ts_us, digest)",
                    "CREATE UNIQUE INDEX logs_untimed ON logs (trace_id, digest) WHERE ts_us IS NULL"));

    /** The version this aitrace writes. */
    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /** Brings the database to {@link #VERSION}; returns the version it found. */
    static int migrate(Connection db, String name) throws SQLException {
        int found = version(db);
        if (found > VERSION) {
            throw new SQLException("the database " + name + " has schema version " + found
                    + ", newer than this aitrace understands (" + VERSION + "): use a newer aitrace or another --db");
        }
        try (Statement sql = db.createStatement()) {
            if (found == 0) {
                // lets retention give pages back with incremental_vacuum; VACUUM applies it to the new, empty file
                sql.execute("PRAGMA auto_vacuum = INCREMENTAL");
                sql.execute("VACUUM");
            }
            for (int v = found; v < VERSION; v++) {
                db.setAutoCommit(false);
                try {
                    for (String statement : MIGRATIONS.get(v)) {
                        sql.execute(statement);
                    }
                    sql.execute("PRAGMA user_version = " + (v + 1));
                    db.commit();
                } catch (SQLException e) {
                    db.rollback();
                    throw new SQLException("cannot migrate " + name + " to schema version " + (v + 1) + ": "
                            + e.getMessage(), e);
                } finally {
                    db.setAutoCommit(true);
                }
            }
        }
        return found;
    }

    static int version(Connection db) throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
