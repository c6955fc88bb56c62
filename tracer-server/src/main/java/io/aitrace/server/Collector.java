package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.internal.Diagnostics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Where every way in (ingest, OTLP, the watched folder) hands its records: the store, the live feed, the counts. */
final class Collector {
    private static final long STORE_TIMEOUT_SECONDS = 60;

    /** A watched file's position to save in the same transaction as the records read up to it. */
    record FileOffset(String path, String fileKey, long offset) {
    }

    private final Store store;
    private final LiveFeed feed;
    private final IngestRate rate = new IngestRate();
    private volatile boolean diskFull;

    Collector(Store store, LiveFeed feed) {
        this.store = store;
        this.feed = feed;
    }

    Store store() {
        return store;
    }

    LiveFeed feed() {
        return feed;
    }

    /** Stores the records in one transaction of the writer; returns when they are committed. */
    int storeAndWait(List<RecordRow> records, long dropped, long rejected, FileOffset offset) {
        CompletableFuture<Integer> done = store.write(tx -> {
            tx.putAll(records);
            if (dropped > 0) {
                tx.writes.addCounter("dropped", dropped);
            }
            if (rejected > 0) {
                tx.writes.addCounter("rejected", rejected);
            }
            if (offset != null) {
                tx.writes.saveOffset(offset.path(), offset.fileKey(), offset.offset());
            }
            return records.size();
        });
        try {
            int stored = done.get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            rate.add(stored, Instant.now().getEpochSecond());
            if (diskFull) {
                diskFull = false;
                Diagnostics.warn("storing records again: there is space on the disk of " + store.file());
            }
            return stored;
        } catch (ExecutionException e) {
            String reason = String.valueOf(e.getCause().getMessage());
            if (isDiskFull(reason)) {
                if (!diskFull) {
                    diskFull = true;
                    Diagnostics.warn("disk full: cannot store records in " + store.file()
                            + "; ingest is refused with 507 until there is space");
                }
                throw new ApiException(507, "disk full: the collector cannot store the records (" + reason + ")")
                        .retryAfter(30);
            }
            throw new ApiException(500, "cannot store the records: " + reason);
        } catch (TimeoutException e) {
            throw new ApiException(503, "the store did not commit within " + STORE_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while storing the records");
        }
    }

    /** SQLite's {@code SQLITE_FULL}: "database or disk is full". */
    private static boolean isDiskFull(String reason) {
        return reason.contains("SQLITE_FULL") || reason.contains("disk is full");
    }

    /** {@code GET /api/stats}. */
    ObjectNode stats() throws SQLException {
        ObjectNode stats = RecordJson.MAPPER.createObjectNode();
        store.read(db -> {
            try (PreparedStatement statement = db.prepareStatement(
                    "SELECT COUNT(*), COALESCE(SUM(span_count), 0), COALESCE(SUM(log_count), 0) FROM traces");
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                stats.put("traces", rs.getLong(1));
                stats.put("spans", rs.getLong(2));
                stats.put("logs", rs.getLong(3));
            }
            try (PreparedStatement statement = db.prepareStatement(TextIndex.BACKLOG);
                 ResultSet rs = statement.executeQuery()) {
                stats.put("unindexed", rs.next() ? Math.max(0, rs.getLong(1)) : 0);
            }
            stats.put("rejected", counter(db, "rejected"));
            stats.put("dropped", counter(db, "dropped"));
            return null;
        });
        stats.put("stream_dropped", feed.dropped());
        stats.put("db_bytes", store.bytesOnDisk());
        stats.put("ingest_per_second", Math.round(rate.perSecond(Instant.now().getEpochSecond()) * 100) / 100.0);
        stats.put("schema_version", Schema.VERSION);
        return stats;
    }

    private static long counter(java.sql.Connection db, String name) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
