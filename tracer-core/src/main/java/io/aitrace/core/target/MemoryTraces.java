package io.aitrace.core.target;

import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A processor that keeps the last traces in memory, as {@link TraceGraph}s: the way to assert on an agent's own
 * trace in a unit test. It keeps the typed records (no JSON is written or read for it) and builds a graph when
 * asked.
 *
 * <pre>{@code
 * MemoryTraces traces = new MemoryTraces();
 * try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target("none").addTarget(traces).build())) {
 *     new WeatherAgent(runtime.tracer("agent")).answer("conv-42", "Weather in Paris?");
 *     runtime.flush();                                          // records reach targets on the writer thread
 *     TraceGraph run = traces.byAttribute("gen_ai.conversation.id", "conv-42").get(0);
 *     assertThat(run.roots().get(0).children()).extracting(Node::name).containsExactly("classify", "forecast");
 * }
 * }</pre>
 *
 * Records arrive as every processor gets them: masked, cut, and after the writer took them from its queue, so call
 * {@code flush()} on the tracer or runtime before asking. Holds at most {@code maxTraces} traces (100 unless
 * given); when a new trace begins beyond that, the trace that began earliest is forgotten. Safe to query from
 * any thread.
 */
public final class MemoryTraces implements RecordProcessor {
    /** How many traces {@link #MemoryTraces()} keeps. */
    public static final int DEFAULT_MAX_TRACES = 100;

    private final TraceRecords records;

    /** Keeps the last {@value #DEFAULT_MAX_TRACES} traces. */
    public MemoryTraces() {
        this(DEFAULT_MAX_TRACES);
    }

    /** Keeps the last {@code maxTraces} traces (at least one). */
    public MemoryTraces(int maxTraces) {
        this.records = new TraceRecords(maxTraces);
    }

    @Override
    public synchronized void onStart(SpanRecord span) {
        records.add(span);
    }

    @Override
    public synchronized void onSnapshot(SpanRecord span) {
        records.add(span);
    }

    @Override
    public synchronized void onEnd(SpanRecord span) {
        records.add(span);
    }

    @Override
    public synchronized void onLog(LogRecord log) {
        records.add(log);
    }

    /** An evaluation made after its span ended ({@code span.evaluate} after close, or submitted): on that span. */
    @Override
    public synchronized void onEvaluation(EvaluationRecord evaluation) {
        records.add(evaluation);
    }

    /** Every trace kept, the one that began earliest first. */
    public synchronized List<TraceGraph> traces() {
        List<TraceGraph> graphs = new ArrayList<>();
        for (String id : records.traceIds()) {
            graphs.add(records.graph(id));
        }
        return graphs;
    }

    /** The trace with this ID, if it is kept. */
    public synchronized Optional<TraceGraph> trace(String traceId) {
        return Optional.ofNullable(traceId == null ? null : records.graph(traceId));
    }

    /** The trace that began last, if any. */
    public synchronized Optional<TraceGraph> last() {
        List<String> ids = records.traceIds();
        return ids.isEmpty() ? Optional.empty() : Optional.of(records.graph(ids.get(ids.size() - 1)));
    }

    /**
     * The traces in which some span has the attribute {@code key} with this value, earliest first. Values are
     * compared as text, so {@code 42} matches {@code "42"} and a {@code UUID} matches its string.
     */
    public List<TraceGraph> byAttribute(String key, Object value) {
        String wanted = String.valueOf(value);
        List<TraceGraph> found = new ArrayList<>();
        for (TraceGraph trace : traces()) {
            for (Node node : trace.nodes()) {
                Object actual = node.attribute(key);
                if (actual != null && Objects.equals(String.valueOf(actual), wanted)) {
                    found.add(trace);
                    break;
                }
            }
        }
        return found;
    }

    /** How many traces are kept. */
    public synchronized int size() {
        return records.traceIds().size();
    }

    /** Forgets every trace. */
    public synchronized void clear() {
        records.clear();
    }

    @Override
    public String describe() {
        return "memory";
    }
}
