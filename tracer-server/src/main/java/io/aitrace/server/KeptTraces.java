package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What one collector keeps of the huge traces its viewers open, for as long as each trace is unchanged (its
 * summary row's {@code updated_us} and {@code span_count}): the last few traces' shapes ({@link TraceShape}, the
 * critical path with them) and totals ({@link TraceTotals}), and what the trace list shows of the spans of the
 * traces it lists ({@link TraceAnswers.SpanAnswers}), those of huge traces computed on a background thread of its
 * own, one trace at a time. Two collectors in one JVM (tests, benchmarks) keep their own.
 */
final class KeptTraces {
    /** Span answers kept: a few hundred bytes each, so a list page's worth many times over. */
    private static final int SPAN_ANSWERS = 4_096;

    /** Shapes kept: a viewer pages one or two huge traces at a time (compare). */
    private static final int SHAPES = 3;
    /** Heap all kept shapes may take together: a quarter of the heap, at most 256 MiB (three million-span traces). */
    static final long SHAPE_BYTES = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);
    /** Totals kept. */
    private static final int TOTALS = 4;

    private final Map<String, TraceShape> shapes = new LinkedHashMap<>(8, 0.75f, true);
    /** A lock per trace and kind ("shape/…", "answers/…") being built, so requests asking at once wait for one build. */
    private final ConcurrentHashMap<String, Object> building = new ConcurrentHashMap<>();
    private final Map<String, Object[]> totals = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object[]> eldest) {
            return size() > TOTALS;
        }
    };

    private final Store store;
    private final Map<String, TraceAnswers.SpanAnswers> answers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TraceAnswers.SpanAnswers> eldest) {
            return size() > SPAN_ANSWERS;
        }
    };
    /** Traces whose span answers wait for the background thread. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** One thread, started when needed and ended when idle, so huge traces are answered one at a time. */
    private final ThreadPoolExecutor background = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "aitrace-trace-answers");
                thread.setDaemon(true);
                return thread;
            });

    KeptTraces(Store store) {
        this.store = store;
        background.allowCoreThreadTimeOut(true);
    }

    /**
     * The span answers kept for the trace in the state {@code stamp}, or null; with a null stamp, those of whatever
     * state was last answered.
     */
    TraceAnswers.SpanAnswers spanAnswers(String traceId, String stamp) {
        synchronized (answers) {
            TraceAnswers.SpanAnswers kept = answers.get(traceId);
            return kept != null && (stamp == null || kept.stamp().equals(stamp)) ? kept : null;
        }
    }

    /**
     * The span answers of the trace in the state {@code stamp}: kept, else computed now (requests that ask at once
     * wait for one computation).
     */
    TraceAnswers.SpanAnswers spanAnswersNow(Connection db, String traceId, String stamp) throws SQLException {
        return once("answers/" + traceId, () -> spanAnswers(traceId, stamp), () -> {
            TraceAnswers.SpanAnswers computed = TraceAnswers.compute(db, traceId, stamp);
            synchronized (answers) {
                answers.put(traceId, computed);
            }
            return computed;
        });
    }

    /** Builds and keeps something of a trace; SQL may fail. */
    @FunctionalInterface
    private interface Build<T> {
        T run() throws SQLException;
    }

    /**
     * What {@code kept} finds, else what {@code build} makes and keeps: requests that ask for the same {@code key}
     * at once wait for one build, then find it kept.
     */
    private <T> T once(String key, Supplier<T> kept, Build<T> build) throws SQLException {
        T found = kept.get();
        if (found != null) {
            return found;
        }
        Object lock = building.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                found = kept.get();
                return found != null ? found : build.run();
            }
        } finally {
            building.remove(key, lock);
        }
    }

    /**
     * Has the background thread compute the trace's span answers for the state it is in when their turn comes,
     * unless they are queued already. A failure (the store closed meanwhile) leaves them to a later request.
     */
    void spanAnswersLater(String traceId) {
        if (background.isShutdown() || !queued.add(traceId)) {
            return;
        }
        try {
            background.execute(() -> {
                queued.remove(traceId);
                try {
                    store.read(db -> {
                        String stamp = spanStamp(db, traceId);
                        return stamp.isEmpty() ? null : spanAnswersNow(db, traceId, stamp);
                    });
                } catch (SQLException | RuntimeException e) {
                    // asked again by the next list request that shows the trace
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(traceId); // the collector is closing
        }
    }

    /** Whether no trace waits for its answers and none is being answered in the background. */
    boolean answersIdle() {
        return queued.isEmpty() && background.getActiveCount() == 0;
    }

    /**
     * Drops the huge traces still waiting for their answers and stops the background thread once the trace it
     * works on (if any) is done: called when the collector closes, before its store does.
     */
    void close() {
        background.shutdownNow();
        queued.clear();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stamp of the trace's span answers ({@link TraceAnswers#stamp}); empty for a trace with no summary row. */
    static String spanStamp(Connection db, String traceId) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement(
                "SELECT updated_us, span_count FROM traces WHERE trace_id = ?")) {
            sql.setString(1, traceId);
            try (ResultSet rs = sql.executeQuery()) {
                return rs.next() ? TraceAnswers.stamp(rs.getLong(1), rs.getLong(2)) : "";
            }
        }
    }

    /**
     * The shape of a stored trace: the kept one while the trace is unchanged, else built afresh. Requests that
     * ask for the same trace's shape at once (a viewer's first page beside its timeline) wait for one build.
     */
    TraceShape shape(Connection db, String traceId) throws SQLException {
        String stamp = spanStamp(db, traceId);
        return once("shape/" + traceId, () -> kept(traceId, stamp), () -> {
            TraceShape built = TraceShape.build(db, traceId, stamp);
            synchronized (shapes) {
                shapes.put(traceId, built);
                TraceShape.keepWithin(shapes, SHAPES, SHAPE_BYTES);
            }
            return built;
        });
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
}
