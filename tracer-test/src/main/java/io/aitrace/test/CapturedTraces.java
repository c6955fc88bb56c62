package io.aitrace.test;

import io.aitrace.core.TraceStartListener;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.TraceReader;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.opentelemetry.context.Context;
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
 * they began; each {@link TraceGraph} holds one trace.
 */
public final class CapturedTraces {
    private final String testName;
    private final long unclaimedAtStart;
    private final List<String> began = new ArrayList<>();
    private final Map<String, List<String>> lines = new LinkedHashMap<>();
    private final TraceStartListener listener = this::began;
    private boolean closed;

    CapturedTraces(String testName) {
        this.testName = testName;
        this.unclaimedAtStart = CaptureTarget.INSTANCE.unclaimedTraces();
    }

    /** Every trace the test made, in the order they began. */
    public List<TraceGraph> all() {
        flushGlobal();
        List<String> ids;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        synchronized (this) {
            ids = new ArrayList<>(began);
            lines.forEach((id, l) -> copy.put(id, new ArrayList<>(l)));
        }
        List<TraceGraph> traces = new ArrayList<>();
        for (String id : ids) {
            List<String> of = copy.get(id);
            if (of != null) {
                traces.add(TraceReader.readLines(of).trace(id));
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
        CaptureTarget.INSTANCE.claim(traceId, this);
    }

    synchronized void add(String traceId, String line) {
        lines.computeIfAbsent(traceId, id -> new ArrayList<>()).add(line);
    }

    /** Stops capturing: records of this test's traces arriving later are not kept. */
    void close() {
        List<String> ids;
        synchronized (this) {
            closed = true;
            ids = new ArrayList<>(began);
        }
        ids.forEach(CaptureTarget.INSTANCE::release);
    }

    /** Every record line captured, trace by trace (for the HTML export). */
    synchronized List<String> lines() {
        List<String> all = new ArrayList<>();
        lines.values().forEach(all::addAll);
        return all;
    }

    /** Traces that began in the test's context but of which no record arrived. */
    synchronized int tracesWithoutRecords() {
        return (int) began.stream().filter(id -> !lines.containsKey(id)).count();
    }

    /** Traces no test claimed that began while this one ran (in this or another test). */
    long unclaimedSinceStart() {
        return CaptureTarget.INSTANCE.unclaimedTraces() - unclaimedAtStart;
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
