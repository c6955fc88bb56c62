package io.aitrace.read;

import io.aitrace.NodeType;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceGraphTest {
    private static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";
    private static final String TRACE_C = "5b8aa5a2d2c872e8321cf37308d69df2";
    private static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");

    @Test
    void childrenHangUnderTheirParentsInStartOrder() {
        Node root = node(TRACE_A, "r", null, 0);
        Node late = node(TRACE_A, "late", "r", 3);
        Node early = node(TRACE_A, "early", "r", 1);
        Node grandchild = node(TRACE_A, "grandchild", "early", 2);

        TraceGraph graph = graph(List.of(grandchild, late, root, early), List.of());

        assertThat(graph.roots()).containsExactly(root);
        assertThat(root.children()).containsExactly(early, late);
        assertThat(early.children()).containsExactly(grandchild);
        assertThat(grandchild.parent()).isSameAs(early);
        assertThat(grandchild.depth()).isEqualTo(2);
        assertThat(graph.nodes()).containsExactly(root, early, grandchild, late);
    }

    @Test
    void logLinesHangUnderTheirSpansInTimeOrder() {
        Node root = node(TRACE_A, "r", null, 0);
        Node step = node(TRACE_A, "step", "r", 1);
        LogEntry second = log(TRACE_A, "step", 5, "second");
        LogEntry first = log(TRACE_A, "step", 2, "first");
        LogEntry onRoot = log(TRACE_A, "r", 3, "on root");

        TraceGraph graph = graph(List.of(root, step), List.of(second, onRoot, first));

        assertThat(step.logs()).containsExactly(first, second);
        assertThat(root.logs()).containsExactly(onRoot);
        assertThat(graph.logs()).containsExactly(first, onRoot, second);
        assertThat(graph.orphanLogs()).isEmpty();
    }

    @Test
    void aLogLineWhoseSpanIsMissingIsAnOrphan() {
        Node root = node(TRACE_A, "r", null, 0);
        LogEntry outside = log(null, null, 1, "outside any span");
        LogEntry unknownSpan = log(TRACE_A, "gone", 2, "span never seen");

        TraceGraph graph = graph(List.of(root), List.of(unknownSpan, outside));

        assertThat(graph.orphanLogs()).containsExactly(outside, unknownSpan);
        assertThat(root.logs()).isEmpty();
    }

    @Test
    void aNodeWhoseParentIsMissingIsARoot() {
        Node root = node(TRACE_A, "r", null, 0);
        Node orphan = node(TRACE_A, "orphan", "never-written", 1);

        TraceGraph graph = graph(List.of(orphan, root), List.of());

        assertThat(graph.roots()).containsExactly(root, orphan);
        assertThat(orphan.parent()).isNull();
        assertThat(orphan.depth()).isZero();
    }

    @Test
    void aNodeNamingItselfAsParentIsARoot() {
        Node self = node(TRACE_A, "self", "self", 0);

        TraceGraph graph = graph(List.of(self), List.of());

        assertThat(graph.roots()).containsExactly(self);
        assertThat(self.children()).isEmpty();
    }

    @Test
    void nodesNamingEachOtherAsParentsStillHangUnderARoot() {
        Node a = node(TRACE_A, "a", "c", 0);
        Node b = node(TRACE_A, "b", "a", 1);
        Node c = node(TRACE_A, "c", "b", 2);
        Node below = node(TRACE_A, "below", "b", 3);

        TraceGraph graph = graph(List.of(c, below, b, a), List.of());

        assertThat(graph.roots()).containsExactly(a);
        assertThat(a.children()).containsExactly(b);
        assertThat(b.children()).containsExactly(c, below);
        assertThat(c.depth()).isEqualTo(2);
    }

    @Test
    void traceKeepsOnlyTheSpansAndLogLinesOfThatTrace() {
        Node rootA = node(TRACE_A, "ra", null, 0);
        Node childA = node(TRACE_A, "ca", "ra", 1);
        Node rootB = node(TRACE_B, "rb", null, 2);
        LogEntry logA = log(TRACE_A, "ca", 3, "in a");
        LogEntry logB = log(TRACE_B, "rb", 4, "in b");

        TraceGraph a = graph(List.of(rootA, childA, rootB), List.of(logA, logB)).trace(TRACE_A);

        assertThat(a.nodes()).extracting(Node::spanId).containsExactly("ra", "ca");
        assertThat(a.roots()).extracting(Node::spanId).containsExactly("ra");
        assertThat(a.roots().get(0).children()).extracting(Node::spanId).containsExactly("ca");
        assertThat(a.node("ca").orElseThrow().logs()).containsExactly(logA);
        assertThat(a.logs()).containsExactly(logA);
        assertThat(a.traceIds()).containsExactly(TRACE_A);
    }

    @Test
    void traceLeavesTheWholeGraphAsItWas() {
        Node rootA = node(TRACE_A, "ra", null, 0);
        Node childA = node(TRACE_A, "ca", "ra", 1);
        Node rootB = node(TRACE_B, "rb", null, 2);
        TraceGraph whole = graph(List.of(rootA, childA, rootB), List.of());

        whole.trace(TRACE_A);

        assertThat(whole.roots()).containsExactly(rootA, rootB);
        assertThat(rootA.children()).containsExactly(childA);
        assertThat(childA.parent()).isSameAs(rootA);
    }

    @Test
    void traceOfAnUnknownIdIsEmpty() {
        TraceGraph graph = graph(List.of(node(TRACE_A, "r", null, 0)), List.of());

        assertThat(graph.trace("00000000000000000000000000000000").isEmpty()).isTrue();
    }

    @Test
    void traceIdsAreNewestFirstByTheStartOfTheirFirstSpan() {
        Node oldest = node(TRACE_A, "a1", null, 0);
        Node newest = node(TRACE_C, "c1", null, 20);
        Node middle = node(TRACE_B, "b1", null, 10);
        Node lateChildOfOldest = node(TRACE_A, "a2", "a1", 30);

        TraceGraph graph = graph(List.of(middle, lateChildOfOldest, oldest, newest), List.of());

        assertThat(graph.traceIds()).containsExactly(TRACE_C, TRACE_B, TRACE_A);
    }

    @Test
    void aTraceKnownOnlyFromLogLinesIsListedByTheTimeOfItsFirstLine() {
        Node older = node(TRACE_A, "a1", null, 0);
        Node newer = node(TRACE_B, "b1", null, 20);
        LogEntry onlyLog = log(TRACE_C, "c1", 10, "span record missing");

        TraceGraph graph = graph(List.of(older, newer), List.of(onlyLog));

        assertThat(graph.traceIds()).containsExactly(TRACE_B, TRACE_C, TRACE_A);
    }

    @Test
    void theGraphKeepsWhatTheReaderReported() {
        TraceGraph graph = new TraceGraph(List.of(), List.of(), 2, List.of("line 3: truncated", "line 9: not JSON"), 5);

        assertThat(graph.isEmpty()).isTrue();
        assertThat(graph.skippedLines()).isEqualTo(2);
        assertThat(graph.problems()).containsExactly("line 3: truncated", "line 9: not JSON");
        assertThat(graph.droppedRecords()).isEqualTo(5);
    }

    @Test
    void overlappingSiblingsGetLanesAndSequentialOnesShareLaneZero() {
        Node root = timed("r", null, 0, 10_000);
        Node first = timed("first", "r", 0, 1_000);
        Node a = timed("a", "r", 1_000, 3_000);   // touches first end to start: sequential
        Node b = timed("b", "r", 1_100, 2_000);
        Node c = timed("c", "r", 1_200, 2_500);
        Node d = timed("d", "r", 2_100, 2_900);   // b ended: takes its lane
        Node after = timed("after", "r", 4_000, 5_000);

        graph(List.of(root, first, a, b, c, d, after), List.of());

        assertThat(root.children()).extracting(Node::lane).containsExactly(0, 0, 1, 2, 1, 0);
        assertThat(root.children()).extracting(Node::isConcurrent)
                .containsExactly(false, true, true, true, true, false);
        assertThat(TraceGraph.laneCount(root.children())).isEqualTo(3);
        assertThat(root.lane()).isZero();
    }

    @Test
    void aSiblingThatNeverEndedIsNeitherConcurrentNorInALaneOfItsOwn() {
        Node root = timed("r", null, 0, 10_000);
        Node crashed = new Node(TRACE_A, "crashed", "r", "crashed", NodeType.STEP, null, T0.plusMillis(100), null,
                null, null, null, null, null, null, null, null, "main", false);
        Node other = timed("other", "r", 200, 300);

        graph(List.of(root, crashed, other), List.of());

        assertThat(crashed.lane()).isZero();
        assertThat(crashed.isConcurrent()).isFalse();
        assertThat(other.lane()).isZero();
        assertThat(other.isConcurrent()).isFalse();
    }

    private static Node timed(String spanId, String parentSpanId, int startMillis, int endMillis) {
        return new Node(TRACE_A, spanId, parentSpanId, spanId, NodeType.STEP, null, T0.plusMillis(startMillis),
                T0.plusMillis(endMillis), null, null, null, null, null, null, null, null, "main", false);
    }

    private static TraceGraph graph(List<Node> nodes, List<LogEntry> logs) {
        return new TraceGraph(nodes, logs, 0, List.of(), 0);
    }

    private static Node node(String traceId, String spanId, String parentSpanId, int startSecond) {
        Instant start = T0.plusSeconds(startSecond);
        return new Node(traceId, spanId, parentSpanId, "span " + spanId, NodeType.STEP, null, start,
                start.plusMillis(500), null, null, null, null, null, null, null, null, "main", false);
    }

    private static LogEntry log(String traceId, String spanId, int second, String event) {
        return new LogEntry(T0.plusSeconds(second), "info", "com.acme.Agent", event, traceId, spanId, "main",
                null, null);
    }
}
