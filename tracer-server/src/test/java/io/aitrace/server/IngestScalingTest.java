package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.ProgressHandler;

/**
 * Storing a batch costs the same whatever the size of the trace it belongs to. The work is counted in SQLite
 * virtual-machine instructions (its progress handler), which, unlike time, does not depend on how busy the machine is.
 */
class IngestScalingTest {
    private static final int SPANS = 12_000;
    private static final int BATCH = 500;

    @TempDir
    Path dir;

    @Test
    void oneLargeTraceIngestsWithTheSameWorkAsTheSameSpansSpreadOverManySmallTraces() throws Exception {
        long single = work("single.db", 1);
        long spread = work("spread.db", SPANS / 20);

        // recomputing the summary from all of a trace's spans for every batch made the single trace several times dearer
        assertThat((double) single / spread).isLessThan(1.3);
    }

    @Test
    void theSummaryOfALargeTraceIngestedInBatchesCountsEverySpanOnce() throws Exception {
        try (Store store = new Store(dir.resolve("summary.db"), changed -> { })) {
            List<List<RecordRow>> batches = batches(1);
            for (List<RecordRow> batch : batches) {
                store.write(tx -> put(tx, batch)).get();
            }
            String traceId = batches.get(0).get(0).traceId();
            store.read(db -> {
                try (PreparedStatement sql = db.prepareStatement(
                        "SELECT span_count, root_name, error_count, running FROM traces WHERE trace_id = ?")) {
                    sql.setString(1, traceId);
                    try (ResultSet rs = sql.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(SPANS);
                        assertThat(rs.getString(2)).isEqualTo("agent");
                        assertThat(rs.getLong(3)).isZero();
                        assertThat(rs.getInt(4)).isZero();
                    }
                }
                return null;
            });
        }
    }

    /** SQLite instructions the writer runs to store {@link #SPANS} spans in batches, over this many traces. */
    private long work(String file, int traces) throws Exception {
        List<List<RecordRow>> batches = batches(traces);
        AtomicLong steps = new AtomicLong();
        try (Store store = new Store(dir.resolve(file), changed -> { })) {
            store.write(tx -> {
                ProgressHandler.setHandler(tx.writes.db(), 100, new ProgressHandler() {
                    @Override
                    protected int progress() {
                        steps.incrementAndGet();
                        return 0;
                    }
                });
                return 0;
            }).get();
            for (List<RecordRow> batch : batches) {
                store.write(tx -> put(tx, batch)).get();
            }
            store.write(tx -> {
                ProgressHandler.clearHandler(tx.writes.db());
                return 0;
            }).get();
        }
        return steps.get();
    }

    private static int put(Store.Transaction tx, List<RecordRow> batch) throws java.sql.SQLException {
        for (RecordRow row : batch) {
            tx.put(row);
        }
        return batch.size();
    }

    /** Ended spans, each trace a root with children, cut into batches in the order a client sends them. */
    private static List<List<RecordRow>> batches(int traces) {
        List<List<RecordRow>> batches = new ArrayList<>();
        List<RecordRow> batch = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-21T18:00:00Z");
        int perTrace = SPANS / traces;
        for (int t = 0; t < traces; t++) {
            String traceId = Records.traceId();
            String rootId = Records.spanId();
            for (int i = 0; i < perTrace; i++) {
                Instant start = t0.plusMillis(i);
                String line = Records.span(traceId, i == 0 ? rootId : Records.spanId(), i == 0 ? null : rootId,
                        i == 0 ? "agent" : "step", start.toString(), start.plusMillis(1).toString());
                batch.add(RecordParser.parse(line).row());
                if (batch.size() == BATCH) {
                    batches.add(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }
}
