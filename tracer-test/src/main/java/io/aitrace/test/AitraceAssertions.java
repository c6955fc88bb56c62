package io.aitrace.test;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;

/**
 * AssertJ entry points for traces: what an agent did (which spans, in what order, with which status, edges,
 * attributes, tokens) rather than the text it answered. A failure message draws the trace as
 * {@code aitrace inspect} does, with the span it is about marked {@code ◀}.
 *
 * <pre>{@code
 * AitraceAssertions.assertThat(traces.last())
 *     .rootSucceeded()
 *     .hasTotalTokensAtMost(5_000)
 *     .hasSpan("train_search").hasType(NodeType.TOOL).succeeded().hasEdge(EdgeType.FALLBACK_OF, "flight_search");
 * }</pre>
 */
public final class AitraceAssertions {
    private AitraceAssertions() {
    }

    /** Assertions on one trace (see {@link TraceGraph#trace(String)} for a graph holding several). */
    public static TraceGraphAssert assertThat(TraceGraph actual) {
        return new TraceGraphAssert(actual);
    }

    /** Assertions on one span of a trace read back (its parent links give the tree drawn on failure). */
    public static SpanAssert assertThat(Node actual) {
        return new SpanAssert(actual, actual == null ? null : TreeText.traceOf(actual));
    }
}
