package io.aitrace.read;

import io.aitrace.genai.GenAi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Traces read back from records: nodes linked into trees, log lines under their spans.
 * One graph may hold several traces (a JSON-lines file often does); {@link #trace(String)} picks one.
 *
 * <pre>{@code
 * TraceGraph graph = TraceReader.read(Path.of("run.jsonl"));
 * Node root = graph.trace(graph.traceIds().get(0)).roots().get(0);
 * }</pre>
 */
public final class TraceGraph {
    private static final Comparator<Node> BY_START =
            Comparator.comparing(Node::start, Comparator.nullsLast(Comparator.naturalOrder()));
    private static final Comparator<LogEntry> LOG_BY_TIME =
            Comparator.comparing(LogEntry::timestamp, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Node> roots = new ArrayList<>();
    private final List<LogEntry> logs;
    private final List<LogEntry> orphanLogs = new ArrayList<>();
    private final int skippedLines;
    private final List<String> problems;
    private final long droppedRecords;

    /**
     * Links the nodes (by parent span ID) and the log lines (by span ID). Nodes must have distinct span IDs.
     *
     * @param skippedLines malformed or truncated lines the reader skipped
     * @param problems one description per skipped line, e.g. {@code "line 7: ..."}
     * @param droppedRecords records the writer reported as dropped
     */
    public TraceGraph(Collection<Node> nodes, Collection<LogEntry> logs, int skippedLines, List<String> problems,
            long droppedRecords) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(BY_START);
        for (Node node : sorted) {
            node.children.clear();
            node.logs.clear();
            node.parent = null;
            this.nodes.put(node.spanId(), node);
        }
        for (Node node : sorted) {
            Node parent = node.parentSpanId() == null ? null : this.nodes.get(node.parentSpanId());
            if (parent == null || parent == node) {
                roots.add(node);
            } else {
                node.parent = parent;
                parent.children.add(node);
            }
        }
        breakParentLoops(sorted);
        assignLanes(roots);
        for (Node node : sorted) {
            assignLanes(node.children);
        }
        List<LogEntry> sortedLogs = new ArrayList<>(logs);
        sortedLogs.sort(LOG_BY_TIME);
        this.logs = Collections.unmodifiableList(sortedLogs);
        for (LogEntry log : sortedLogs) {
            Node owner = log.spanId() == null ? null : this.nodes.get(log.spanId());
            if (owner == null) {
                orphanLogs.add(log);
            } else {
                owner.logs.add(log);
            }
        }
        this.skippedLines = skippedLines;
        this.problems = problems == null ? List.of() : List.copyOf(problems);
        this.droppedRecords = droppedRecords;
    }

    /** All nodes, in start order. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The node with this span ID. */
    public Optional<Node> node(String spanId) {
        return Optional.ofNullable(nodes.get(spanId));
    }

    /** Nodes without a parent in this graph, in start order. */
    public List<Node> roots() {
        return Collections.unmodifiableList(roots);
    }

    /** The trace IDs in this graph, newest first (by the start of their first span). */
    public List<String> traceIds() {
        Map<String, Instant> firstStart = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            Instant start = node.start() == null ? Instant.EPOCH : node.start();
            firstStart.merge(node.traceId(), start, (a, b) -> a.isBefore(b) ? a : b);
        }
        for (LogEntry log : logs) {
            if (log.traceId() != null) {
                firstStart.putIfAbsent(log.traceId(), log.timestamp() == null ? Instant.EPOCH : log.timestamp());
            }
        }
        List<String> ids = new ArrayList<>(firstStart.keySet());
        ids.sort(Comparator.comparing(firstStart::get, Comparator.reverseOrder()));
        return ids;
    }

    /** Only the spans and log lines of one trace (an empty graph when the ID is unknown). */
    public TraceGraph trace(String traceId) {
        List<Node> kept = new ArrayList<>();
        Set<String> spanIds = new LinkedHashSet<>();
        for (Node node : nodes.values()) {
            if (node.traceId().equals(traceId)) {
                kept.add(copyOf(node));
                spanIds.add(node.spanId());
            }
        }
        List<LogEntry> keptLogs = new ArrayList<>();
        for (LogEntry log : logs) {
            if (traceId.equals(log.traceId()) || (log.spanId() != null && spanIds.contains(log.spanId()))) {
                keptLogs.add(log);
            }
        }
        return new TraceGraph(kept, keptLogs, skippedLines, problems, droppedRecords);
    }

    /** {@code gen_ai.usage.input_tokens} summed over every span of the graph. */
    public long inputTokens() {
        long sum = 0;
        for (Node node : nodes.values()) {
            sum += node.count(GenAi.USAGE_INPUT_TOKENS);
        }
        return sum;
    }

    /** {@code gen_ai.usage.output_tokens} summed over every span of the graph. */
    public long outputTokens() {
        long sum = 0;
        for (Node node : nodes.values()) {
            sum += node.count(GenAi.USAGE_OUTPUT_TOKENS);
        }
        return sum;
    }

    /** Input plus output tokens of every span of the graph. */
    public long totalTokens() {
        return inputTokens() + outputTokens();
    }

    /** How many lanes the children of this node use (1 when none ran at the same time, 0 without children). */
    public static int laneCount(List<Node> siblings) {
        int max = -1;
        for (Node node : siblings) {
            max = Math.max(max, node.lane);
        }
        return max + 1;
    }

    /** True when the graph holds no spans and no log lines. */
    public boolean isEmpty() {
        return nodes.isEmpty() && logs.isEmpty();
    }

    /** Every log line, in time order. */
    public List<LogEntry> logs() {
        return logs;
    }

    /** Log lines whose span is not in this graph (for example lines logged outside any span). */
    public List<LogEntry> orphanLogs() {
        return Collections.unmodifiableList(orphanLogs);
    }

    /** How many malformed or truncated lines the reader skipped. */
    public int skippedLines() {
        return skippedLines;
    }

    /** What was wrong with each skipped line. */
    public List<String> problems() {
        return problems;
    }

    /** How many records the writer reported as dropped because its queue was full. */
    public long droppedRecords() {
        return droppedRecords;
    }

    /**
     * Spans that name each other as parents (corrupt or hostile records) form a loop no root reaches, and
     * depth() or any walk up the tree would never end. Each loop is cut at its earliest-started span, which
     * becomes a root.
     */
    private void breakParentLoops(List<Node> sorted) {
        Set<Node> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node root : roots) {
            reach(root, reached);
        }
        boolean cut = false;
        for (Node node : sorted) {
            if (reached.contains(node)) {
                continue;
            }
            // Not reached, so every span up the chain has a parent and is not reached either: the chain loops.
            Set<Node> chain = Collections.newSetFromMap(new IdentityHashMap<>());
            Node inLoop = node;
            while (chain.add(inLoop)) {
                inLoop = inLoop.parent;
            }
            Node first = inLoop;
            for (Node n = inLoop.parent; n != inLoop; n = n.parent) {
                if (BY_START.compare(n, first) < 0) {
                    first = n;
                }
            }
            first.parent.children.remove(first);
            first.parent = null;
            roots.add(first);
            reach(first, reached);
            cut = true;
        }
        if (cut) {
            roots.sort(BY_START);
        }
    }

    /**
     * Gives each sibling (in start order) the lowest lane whose previous occupant ended by the sibling's start,
     * and marks siblings whose run overlaps another's. Siblings without a start or end stay in lane 0.
     */
    private static void assignLanes(List<Node> siblings) {
        List<Instant> laneEnds = new ArrayList<>();
        for (int i = 0; i < siblings.size(); i++) {
            Node a = siblings.get(i);
            a.lane = 0;
            a.concurrent = false;
        }
        for (int i = 0; i < siblings.size(); i++) {
            Node a = siblings.get(i);
            if (a.start() == null || a.end() == null) {
                continue;
            }
            int lane = 0;
            while (lane < laneEnds.size() && laneEnds.get(lane).isAfter(a.start())) {
                lane++;
            }
            if (lane == laneEnds.size()) {
                laneEnds.add(a.end());
            } else {
                laneEnds.set(lane, a.end());
            }
            a.lane = lane;
            for (int j = i + 1; j < siblings.size(); j++) {
                Node b = siblings.get(j);
                if (b.start() == null || !b.start().isBefore(a.end())) {
                    break; // in start order: no later sibling starts before a ends either
                }
                if (b.end() != null && a.start().isBefore(b.end())) {
                    a.concurrent = true;
                    b.concurrent = true;
                }
            }
        }
    }

    private static void reach(Node top, Set<Node> reached) {
        List<Node> pending = new ArrayList<>();
        pending.add(top);
        while (!pending.isEmpty()) {
            Node n = pending.remove(pending.size() - 1);
            if (reached.add(n)) {
                pending.addAll(n.children);
            }
        }
    }

    private static Node copyOf(Node n) {
        return new Node(n.traceId(), n.spanId(), n.parentSpanId(), n.name(), n.type(), n.spanKind(), n.start(),
                n.end(), n.status(), n.error(), n.attributes(), n.input(), n.output(), n.annotations(), n.edges(),
                n.resource(), n.thread(), n.isImplicit(), n.evaluations());
    }
}
