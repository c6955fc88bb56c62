package io.aitrace.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes whole traces, at start and then every minute: those not updated for longer than {@code --retain}, and
 * the oldest ones while the data outgrows {@code --max-db-size}. Deletes run on the writer thread like any write;
 * freed pages go back to the file system through incremental vacuum.
 */
final class Retention implements AutoCloseable {
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private final Duration retain;
    private final long maxBytes;
    private final Store store;
    private final ScheduledExecutorService timer;

    private Retention(ServerConfig config, Store store) {
        this.retain = config.retain();
        this.maxBytes = config.maxDbBytes();
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "aitrace-retention");
            thread.setDaemon(true);
            return thread;
        });
    }

    static Retention start(ServerConfig config, Store store) {
        Retention retention = new Retention(config, store);
        retention.timer.scheduleWithFixedDelay(retention::runQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return retention;
    }

    private void runQuietly() {
        try {
            store.write(this::apply).get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            System.err.println("aitrace: retention failed, trying again in a minute: " + e);
        }
    }

    /** Deletes what is due; returns how many traces went. */
    int apply(Store.Transaction tx) throws SQLException {
        Connection db = tx.writes.db();
        int deleted = 0;
        if (retain != null) {
            Instant cutoff = Instant.now().minus(retain);
            deleted += delete(tx, ids(db, "SELECT trace_id FROM traces WHERE updated_us < ?",
                    RecordJson.micros(cutoff)));
        }
        if (maxBytes > 0) {
            // the size counts the full-text index, so what ingest left for it to index is indexed first
            tx.indexAllText();
            while (usedBytes(db) > maxBytes) {
                long count = count(db);
                if (count == 0) {
                    break;
                }
                deleted += delete(tx, ids(db, "SELECT trace_id FROM traces ORDER BY start_us LIMIT ?",
                        Math.max(1, count / 10)));
                compactIndexes(db);
            }
        }
        if (deleted > 0) {
            try (Statement sql = db.createStatement()) {
                sql.execute("PRAGMA incremental_vacuum");
            }
        }
        return deleted;
    }

    /** FTS5 only marks deleted rows; merging the index segments frees their pages. */
    private static void compactIndexes(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO span_text (span_text) VALUES ('optimize')");
            sql.execute("INSERT INTO log_text (log_text) VALUES ('optimize')");
        }
    }

    private static int delete(Store.Transaction tx, List<String> traceIds) throws SQLException {
        for (String traceId : traceIds) {
            tx.writes.deleteTrace(traceId);
        }
        return traceIds.size();
    }

    private static List<String> ids(Connection db, String sql, long arg) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setLong(1, arg);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Bytes in pages that hold data (free pages excluded). */
    private static long usedBytes(Connection db) throws SQLException {
        return (pragma(db, "page_count") - pragma(db, "freelist_count")) * pragma(db, "page_size");
    }

    private static long count(Connection db) throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("SELECT COUNT(*) FROM traces")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static long pragma(Connection db, String name) throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
