package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace's kept answers (its list row's cost and input summary, its shape) are checked against the stamp of its
 * summary row: every commit that touches the trace must change it, even when the clock does not move.
 */
class TraceStampTest {
    @TempDir
    Path dir;

    private final long[] clock = {1_764_871_200_000_000L};
    private final String traceId = Records.traceId();
    private final String spanId = Records.spanId();
    private final String start = "2026-12-04T18:00:00Z";

    @Test
    void everyCommitThatTouchesATraceChangesItsStampOnAClockThatStandsStillOrStepsBack() throws Exception {
        List<String> stamps = new ArrayList<>();
        try (Store store = new Store(dir.resolve("stamps.db"), changed -> { }, () -> clock[0])) {
            // the start record, then the end record that replaces it: the span count stays 1
            Records.store(store, Records.span(traceId, spanId, null, "agent", start, null));
            stamps.add(store.read(db -> KeptTraces.spanStamp(db, traceId)));
            Records.store(store, Records.span(traceId, spanId, null, "agent", start, "2026-12-04T18:00:01Z"));
            stamps.add(store.read(db -> KeptTraces.spanStamp(db, traceId)));
            clock[0] -= 60_000_000L; // the clock steps back a minute
            Records.store(store,
                    Records.span(traceId, spanId, null, "agent", start, "2026-12-04T18:00:01Z", "error", "{}"));
            stamps.add(store.read(db -> KeptTraces.spanStamp(db, traceId)));
        }

        assertThat(stamps).doesNotHaveDuplicates().allSatisfy(stamp -> assertThat(stamp).endsWith("/1"));
    }

    @Test
    void aStartRecordThatComesAfterItsEndChangesNothingNotEvenTheStamp() throws Exception {
        try (Store store = new Store(dir.resolve("stale.db"), changed -> { }, () -> clock[0]++)) {
            Records.store(store, Records.span(traceId, spanId, null, "agent", start, "2026-12-04T18:00:01Z"));
            String ended = store.read(db -> KeptTraces.spanStamp(db, traceId));
            // a client sends its spill again: the span's start record arrives after its end record
            Records.store(store, Records.span(traceId, spanId, null, "agent", start, null));

            String afterStale = store.read(db -> KeptTraces.spanStamp(db, traceId));
            assertThat(afterStale).isEqualTo(ended);
        }
    }
}
