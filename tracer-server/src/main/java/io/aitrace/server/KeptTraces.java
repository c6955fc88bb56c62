package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one collector keeps of the huge traces its viewers open, for as long as each trace is unchanged (its
 * summary row's {@code updated_us} and {@code span_count}): the last few traces' shapes ({@link TraceShape}, the
 * critical path with them) and totals ({@link TraceTotals}). Two collectors in one JVM (tests, benchmarks) keep
 * their own.
 */
final class KeptTraces {
    /** Shapes kept: a viewer pages one or two huge traces at a time (compare). */
    private static final int SHAPES = 3;
    /** Heap all kept shapes may take together: a quarter of the heap, at most 256 MiB (three million-span traces). */
    static final long SHAPE_BYTES = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);
    /** Totals kept. */
    private static final int TOTALS = 4;

    private final Map<String, TraceShape> shapes = new LinkedHashMap<>(8, 0.75f, true);
    /** A lock per trace whose shape is being built. */
    private final ConcurrentHashMap<String, Object> building = new ConcurrentHashMap<>();
    private final Map<String, Object[]> totals = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object[]> eldest) {
            return size() > TOTALS;
        }
    };

    /**
     * The shape of a stored trace: the kept one while the trace is unchanged, else built afresh. Requests that
     * ask for the same trace's shape at once (a viewer's first page beside its timeline) wait for one build.
     */
    TraceShape shape(Connection db, String traceId) throws SQLException {
        String stamp = stamp(db, traceId);
        TraceShape kept = kept(traceId, stamp);
        if (kept != null) {
            return kept;
        }
        Object lock = building.computeIfAbsent(traceId, id -> new Object());
        try {
            synchronized (lock) {
                kept = kept(traceId, stamp);
                if (kept != null) {
                    return kept;
                }
                TraceShape built = TraceShape.build(db, traceId, stamp);
                synchronized (shapes) {
                    shapes.put(traceId, built);
                    TraceShape.keepWithin(shapes, SHAPES, SHAPE_BYTES);
                }
                return built;
            }
        } finally {
            building.remove(traceId, lock);
        }
    }

    private TraceShape kept(String traceId, String stamp) {
        synchronized (shapes) {
            TraceShape kept = shapes.get(traceId);
            return kept != null && !stamp.isEmpty() && kept.stamp.equals(stamp) ? kept : null;
        }
    }

    /** The totals kept for the trace in this state, or null. */
    ObjectNode totals(String traceId, String stamp) {
        synchronized (totals) {
            Object[] kept = totals.get(traceId);
            return kept != null && kept[0].equals(stamp) ? (ObjectNode) kept[1] : null;
        }
    }

    void keepTotals(String traceId, String stamp, ObjectNode answer) {
        synchronized (totals) {
            totals.put(traceId, new Object[] {stamp, answer});
        }
    }

    /** What changes whenever a span of the trace is stored; empty for a trace with no summary row. */
    private static String stamp(Connection db, String traceId) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement(
                "SELECT updated_us, span_count FROM traces WHERE trace_id = ?")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                return rs.next() ? rs.getLong(1) + "/" + rs.getLong(2) : "";
            }
        }
    }
}
