package io.aitrace.test;

import io.aitrace.core.TraceStartListener;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.RecordNodes;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.JsonLineEncoder;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The traces one test made, injected by {@link AitraceExtension} as a test method parameter. A trace belongs to
 * the test when its root span started in the test's context: on the test's thread, or in a task of an executor
 * wrapped with {@code Tracing.wrap} that the test (or code it called) submitted to. Other tests running at the
 * same time never see it.
 *
 * <pre>{@code
 * @Test void answers(CapturedTraces traces) {
 *     agent.answer("Weather in Paris?");
 *     AitraceAssertions.assertThat(traces.single()).rootSucceeded().hasSpan("forecast");
 * }
 * }</pre>
 *
 * Each method first flushes the global runtime, so records written so far are there. Traces come in the order
 * they began; each {@link TraceGraph} holds one trace, built from the typed records the writer handed over (as
 * {@code TraceReader} would read their lines, with no JSON in between).
 */
public final class CapturedTraces {
    private final String testName;
    private final long unclaimedAtStart;
    private final List<String> began = new ArrayList<>();
    private final Map<String, List<TraceRecord>> records = new LinkedHashMap<>();
    private final TraceStartListener listener = this::began;
    private boolean closed;

    CapturedTraces(String testName) {
        this.testName = testName;
        this.unclaimedAtStart = CaptureProcessor.INSTANCE.unclaimedTraces();
    }

    /** Every trace the test made, in the order they began. */
    public List<TraceGraph> all() {
        flushGlobal();
        List<String> ids;
        Map<String, List<TraceRecord>> copy = new LinkedHashMap<>();
        synchronized (this) {
            ids = new ArrayList<>(began);
            records.forEach((id, r) -> copy.put(id, new ArrayList<>(r)));
        }
        List<TraceGraph> traces = new ArrayList<>();
        for (String id : ids) {
            List<TraceRecord> of = copy.get(id);
            if (of != null) {
                traces.add(graphOf(of).trace(id));
            }
        }
        return traces;
    }

    /** The trace that began last; fails, saying why there may be none, when the test made no trace. */
    public TraceGraph last() {
        List<TraceGraph> all = all();
        if (all.isEmpty()) {
            throw new AssertionError(NoTraces.message(this));
        }
        return all.get(all.size() - 1);
    }

    /** The only trace of the test; fails, listing what there is, unless there is exactly one. */
    public TraceGraph single() {
        List<TraceGraph> all = all();
        if (all.isEmpty()) {
            throw new AssertionError(NoTraces.message(this));
        }
        if (all.size() > 1) {
            throw new AssertionError("Expected exactly one trace in " + testName + " but it made " + all.size()
                    + ":\n" + listing(all) + "\nUse last(), byName(rootName) or all() to pick one.");
        }
        return all.get(0);
    }

    /** The last trace whose root span has this name; fails, listing the traces there are, when none has. */
    public TraceGraph byName(String rootName) {
        List<TraceGraph> all = all();
        if (all.isEmpty()) {
            throw new AssertionError(NoTraces.message(this));
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            TraceGraph trace = all.get(i);
            if (!trace.roots().isEmpty() && trace.roots().get(0).name().equals(rootName)) {
                return trace;
            }
        }
        throw new AssertionError("No trace with root span '" + rootName + "' in " + testName + "; its traces:\n"
                + listing(all));
    }

    /** How many traces the test made. */
    public int size() {
        return all().size();
    }

    /** True when the test made no trace. */
    public boolean isEmpty() {
        return all().isEmpty();
    }

    /** The display name of the test, as messages use it. */
    public String testName() {
        return testName;
    }

    /** The context the test runs in: the current one plus this capture's trace start listener. */
    Context context() {
        return Context.current().with(TraceStartListener.KEY, listener);
    }

    private void began(String traceId) {
        synchronized (this) {
            if (closed) {
                return;
            }
            began.add(traceId);
        }
        CaptureProcessor.INSTANCE.claim(traceId, this);
    }

    synchronized void add(String traceId, TraceRecord record) {
        records.computeIfAbsent(traceId, id -> new ArrayList<>()).add(record);
    }

    /** Stops capturing: records of this test's traces arriving later are not kept. */
    void close() {
        List<String> ids;
        synchronized (this) {
            closed = true;
            ids = new ArrayList<>(began);
        }
        ids.forEach(CaptureProcessor.INSTANCE::release);
    }

    /** Every record captured, trace by trace. */
    synchronized List<TraceRecord> records() {
        List<TraceRecord> all = new ArrayList<>();
        records.values().forEach(all::addAll);
        return all;
    }

    /** The records merged into the read model, as {@code TraceReader} merges their lines. */
    static TraceGraph graphOf(List<TraceRecord> records) {
        TraceReader.Accumulator graph = new TraceReader.Accumulator();
        for (TraceRecord record : records) {
            if (record instanceof SpanRecord span) {
                graph.accept(RecordNodes.parsed(span));
            } else if (record instanceof LogRecord log) {
                graph.accept(RecordNodes.parsed(log));
            } else if (record instanceof EvaluationRecord evaluation) {
                graph.accept(RecordNodes.parsed(evaluation));
            }
        }
        return graph.graph();
    }

    /** The records as the JSON lines a file target would hold (for the HTML page of a failed test). */
    static List<String> jsonLines(List<TraceRecord> records) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        List<String> lines = new ArrayList<>(records.size());
        for (TraceRecord record : records) {
            try {
                encoder.encode(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines.add(new String(encoder.bytes(), 0, encoder.size() - 1, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** Traces that began in the test's context but of which no record arrived. */
    synchronized int tracesWithoutRecords() {
        return (int) began.stream().filter(id -> !records.containsKey(id)).count();
    }

    /** Traces no test claimed that began while this one ran (in this or another test). */
    long unclaimedSinceStart() {
        return CaptureProcessor.INSTANCE.unclaimedTraces() - unclaimedAtStart;
    }

    static void flushGlobal() {
        TracerRuntime runtime = TracerRuntime.global();
        if (runtime.enabled()) {
            runtime.flush();
        }
    }

    private static String listing(List<TraceGraph> traces) {
        return traces.stream().map(t -> {
            List<Node> roots = t.roots();
            String root = roots.isEmpty() ? "(no root span)" : roots.get(0).name() + " [" + roots.get(0).type().name() + "] "
                    + roots.get(0).status();
            return "  - " + root + ", " + t.nodes().size() + (t.nodes().size() == 1 ? " span" : " spans")
                    + ", trace " + (roots.isEmpty() ? "?" : roots.get(0).traceId());
        }).collect(Collectors.joining("\n"));
    }
}
