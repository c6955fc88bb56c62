package io.aitrace.core.target;

import io.aitrace.core.read.RecordNodes;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.read.TraceGraph;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed records grouped by trace, for processors that show traces in the process (the in-memory and console
 * ones): per span the latest record (the ended one wins, as in {@link TraceReader}), the log lines, and the
 * evaluations sent after their span was written (attached to it as {@link TraceReader} attaches them). Keeps at
 * most {@code maxTraces} traces; the first record of a new trace beyond that forgets the trace whose first record
 * came earliest. Nothing here reads JSON.
 */
final class TraceRecords {
    private static final class Trace {
        final Map<String, SpanRecord> spans = new LinkedHashMap<>();
        final List<LogRecord> logs = new ArrayList<>();
        final List<EvaluationRecord> evaluations = new ArrayList<>();
    }

    private final int maxTraces;
    private final Map<String, Trace> traces = new LinkedHashMap<>();

    TraceRecords(int maxTraces) {
        this.maxTraces = Math.max(1, maxTraces);
    }

    /** Keeps the span's record under its trace, unless an ended record of it is kept already. */
    void add(SpanRecord span) {
        Trace trace = trace(span.traceId());
        SpanRecord kept = trace.spans.get(span.spanId());
        if (kept == null || !kept.ended() || span.ended()) {
            trace.spans.put(span.spanId(), span);
        }
    }

    /** Keeps the log line under its trace; lines without a trace ID are not kept. */
    void add(LogRecord log) {
        if (log.traceId() != null) {
            trace(log.traceId()).logs.add(log);
        }
    }

    /**
     * Keeps an evaluation sent after its span was written, under the span's trace; one for a trace not kept (never
     * seen, or forgotten) is not kept either.
     */
    void add(EvaluationRecord evaluation) {
        Trace trace = evaluation.traceId() == null ? null : traces.get(evaluation.traceId());
        if (trace != null) {
            trace.evaluations.add(evaluation);
        }
    }

    private Trace trace(String traceId) {
        Trace trace = traces.get(traceId);
        if (trace == null) {
            if (traces.size() >= maxTraces) {
                Iterator<String> eldest = traces.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            trace = new Trace();
            traces.put(traceId, trace);
        }
        return trace;
    }

    /**
     * True when the record ends a span with no parent among its trace's spans: a root, or the top aitrace span
     * below a span of another process or instrumentation.
     */
    boolean endsLocalRoot(SpanRecord span) {
        if (!span.ended()) {
            return false;
        }
        if (span.parentSpanId() == null) {
            return true;
        }
        Trace trace = traces.get(span.traceId());
        return trace == null || !trace.spans.containsKey(span.parentSpanId());
    }

    /** The trace in the read model, or null when none of it is kept. */
    TraceGraph graph(String traceId) {
        Trace trace = traces.get(traceId);
        if (trace == null) {
            return null;
        }
        TraceReader.Accumulator records = new TraceReader.Accumulator();
        trace.spans.values().forEach(span -> records.accept(RecordNodes.parsed(span)));
        trace.logs.forEach(log -> records.accept(RecordNodes.parsed(log)));
        trace.evaluations.forEach(evaluation -> records.accept(RecordNodes.parsed(evaluation)));
        return records.graph().trace(traceId);
    }

    /** The IDs of the traces kept, in the order their first records came. */
    List<String> traceIds() {
        return new ArrayList<>(traces.keySet());
    }

    void remove(String traceId) {
        traces.remove(traceId);
    }

    void clear() {
        traces.clear();
    }
}
