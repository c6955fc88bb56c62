package io.aitrace.test;

import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one processor every test's capture hangs off: hands each typed record to the capture of the test whose
 * context began its trace, and counts traces no capture claimed (the sign of work on an unwrapped executor).
 * Nothing here reads or writes JSON. Runs on the writer thread; claims come from application threads.
 */
final class CaptureProcessor implements RecordProcessor {
    static final CaptureProcessor INSTANCE = new CaptureProcessor();
    private static final int UNCLAIMED_REMEMBERED = 10_000;

    private final Map<String, CapturedTraces> owners = new ConcurrentHashMap<>();
    private final AtomicLong unclaimedTraces = new AtomicLong();
    /** Traces seen without an owner, and traces whose test ended (their late records are nobody's news). */
    private final Map<String, Boolean> seenWithoutOwner = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > UNCLAIMED_REMEMBERED;
        }
    };

    private CaptureProcessor() {
    }

    /**
     * Makes sure the global runtime hands its records to this processor besides its own targets: an open runtime
     * is replaced by one with the same configuration plus this processor; a closed one (a test closed the runtime
     * it installed) by one configured from the environment plus this processor. A disabled runtime is left alone.
     */
    static synchronized void install() {
        TracerRuntime runtime = TracerRuntime.global();
        if (!runtime.config().enabled()) {
            return;
        }
        if (!runtime.enabled()) { // closed
            TracerRuntime.install(TracerConfig.builder().addProcessor(INSTANCE).build());
        } else if (!runtime.processors().contains(INSTANCE)) {
            TracerRuntime.install(runtime.config().toBuilder().addProcessor(INSTANCE).build());
        }
    }

    /** Records of this trace go to {@code capture} from now on. */
    void claim(String traceId, CapturedTraces capture) {
        owners.put(traceId, capture);
    }

    /** Records of this trace are no longer kept. */
    void release(String traceId) {
        synchronized (seenWithoutOwner) {
            seenWithoutOwner.put(traceId, Boolean.TRUE);
        }
        owners.remove(traceId);
    }

    /** How many traces began that no capture claimed, since this JVM started capturing. */
    long unclaimedTraces() {
        return unclaimedTraces.get();
    }

    @Override
    public void onStart(SpanRecord span) {
        route(span.traceId(), span);
    }

    @Override
    public void onSnapshot(SpanRecord span) {
        route(span.traceId(), span);
    }

    @Override
    public void onEnd(SpanRecord span) {
        route(span.traceId(), span);
    }

    @Override
    public void onLog(LogRecord log) {
        route(log.traceId(), log);
    }

    @Override
    public void onEvaluation(EvaluationRecord evaluation) {
        route(evaluation.traceId(), evaluation);
    }

    private void route(String traceId, TraceRecord record) {
        if (traceId == null) {
            return; // a log line outside traces is no test's trace
        }
        CapturedTraces owner = owners.get(traceId);
        if (owner != null) {
            owner.add(traceId, record);
        } else {
            synchronized (seenWithoutOwner) {
                if (seenWithoutOwner.put(traceId, Boolean.TRUE) == null) {
                    unclaimedTraces.incrementAndGet();
                }
            }
        }
    }

    @Override
    public String describe() {
        return "tracer-test capture";
    }
}
