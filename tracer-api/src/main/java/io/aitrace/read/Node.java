package io.aitrace.read;

import io.aitrace.NodeType;
import io.aitrace.genai.GenAi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One span of a trace as read back from its records: a node of the execution tree.
 * Values ({@link #input()}, {@link #output()}, attribute values) are plain Java: {@code Map}, {@code List},
 * {@code String}, {@code Number}, {@code Boolean} or null.
 */
public final class Node {
    private final String traceId;
    private final String spanId;
    private final String parentSpanId;
    private final String name;
    private final NodeType type;
    private final String spanKind;
    private final Instant start;
    private final Instant end;
    private final String status;
    private final Map<String, Object> error;
    private final Map<String, Object> attributes;
    private final Object input;
    private final Object output;
    private final List<Annotation> annotations;
    private final List<Edge> edges;
    private final Map<String, Object> resource;
    private final String thread;
    private final boolean implicit;
    private final List<Evaluation> evaluations;
    final List<Node> children = new ArrayList<>();
    final List<LogEntry> logs = new ArrayList<>();
    Node parent;
    int lane;
    boolean concurrent;

    /**
     * A node as a reader found it. {@code end} is null while the span runs; {@code implicit} is true for a
     * span known only from log lines that name it.
     */
    public Node(String traceId, String spanId, String parentSpanId, String name, NodeType type, String spanKind,
            Instant start, Instant end, String status, Map<String, Object> error, Map<String, Object> attributes,
            Object input, Object output, List<Annotation> annotations, List<Edge> edges,
            Map<String, Object> resource, String thread, boolean implicit) {
        this(traceId, spanId, parentSpanId, name, type, spanKind, start, end, status, error, attributes, input, output,
                annotations, edges, resource, thread, implicit, null);
    }

    /** A node as a reader found it, with the evaluation results recorded on it or sent for it later. */
    public Node(String traceId, String spanId, String parentSpanId, String name, NodeType type, String spanKind,
            Instant start, Instant end, String status, Map<String, Object> error, Map<String, Object> attributes,
            Object input, Object output, List<Annotation> annotations, List<Edge> edges,
            Map<String, Object> resource, String thread, boolean implicit, List<Evaluation> evaluations) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.name = name;
        this.type = type == null ? NodeType.STEP : type;
        this.spanKind = spanKind == null ? "INTERNAL" : spanKind;
        this.start = start;
        this.end = end;
        this.status = status == null ? (end == null ? "running" : "ok") : status;
        this.error = error;
        this.attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(attributes);
        this.input = input;
        this.output = output;
        this.annotations = annotations == null ? List.of() : List.copyOf(annotations);
        this.edges = edges == null ? List.of() : List.copyOf(edges);
        this.resource = resource == null ? Map.of() : Collections.unmodifiableMap(resource);
        this.thread = thread;
        this.implicit = implicit;
        this.evaluations = evaluations == null ? List.of() : List.copyOf(evaluations);
    }

    public String traceId() { return traceId; }
    public String spanId() { return spanId; }
    /** The parent's span ID, or null for a root. */
    public String parentSpanId() { return parentSpanId; }
    public String name() { return name; }
    public NodeType type() { return type; }
    public String spanKind() { return spanKind; }
    public Instant start() { return start; }
    /** When the span ended, or null while it runs (or when it never ended: crash evidence). */
    public Instant end() { return end; }
    /** {@code "ok"}, {@code "error"} or {@code "running"}. */
    public String status() { return status; }
    public boolean isError() { return "error".equals(status); }
    public boolean isEnded() { return end != null; }
    /** The exception as {@code type}, {@code message}, {@code stack}, or null. */
    public Map<String, Object> error() { return error; }
    public Map<String, Object> attributes() { return attributes; }
    public Object attribute(String key) { return attributes.get(key); }
    public Object input() { return input; }
    public Object output() { return output; }
    public List<Annotation> annotations() { return annotations; }
    /** Evaluation results on this span, in the order they were made. */
    public List<Evaluation> evaluations() { return evaluations; }
    /** Edges this span declared. */
    public List<Edge> edges() { return edges; }
    public Map<String, Object> resource() { return resource; }
    public String thread() { return thread; }
    /** True when no span record was seen and the node stands in for the span that log lines name. */
    public boolean isImplicit() { return implicit; }

    /** The duration, or null while the span runs. */
    public Duration duration() {
        return start == null || end == null ? null : Duration.between(start, end);
    }

    /** The duration in milliseconds with microsecond precision, or null while the span runs. */
    public Double durationMs() {
        Duration d = duration();
        return d == null ? null : d.toNanos() / 1_000_000.0;
    }

    /** The parent node, or null for a root (or when the parent's records are missing). */
    public Node parent() { return parent; }
    /** Children in start order. */
    public List<Node> children() { return Collections.unmodifiableList(children); }
    /** Log lines written while this span was current, in time order. */
    public List<LogEntry> logs() { return Collections.unmodifiableList(logs); }

    /**
     * The lane of this node among its siblings (or among the roots, for a root): 0 for a step that ran
     * alone; siblings that ran at the same time get different lanes, the lowest free one in start order, so
     * a fan-out of three overlapping branches takes lanes 0, 1 and 2, and a sibling that starts after they
     * ended is back in lane 0. Set by {@link TraceGraph}; a node without an end (running or crashed) is in
     * lane 0.
     */
    public int lane() { return lane; }

    /**
     * True when this node's run overlapped a sibling's ({@code [start, end)} intervals: siblings that touch end
     * to start are sequential). A node without an end is never concurrent.
     */
    public boolean isConcurrent() { return concurrent; }

    /** {@code gen_ai.usage.input_tokens} summed over this node and every node below it. */
    public long inputTokens() {
        return sumBelow(GenAi.USAGE_INPUT_TOKENS);
    }

    /** {@code gen_ai.usage.output_tokens} summed over this node and every node below it. */
    public long outputTokens() {
        return sumBelow(GenAi.USAGE_OUTPUT_TOKENS);
    }

    /**
     * {@code gen_ai.usage.cache_read.input_tokens} summed over this subtree: input tokens served from the
     * provider's cache (part of {@link #inputTokens()}, as the conventions count them).
     */
    public long cacheReadInputTokens() {
        return sumBelow(GenAi.USAGE_CACHE_READ_INPUT_TOKENS);
    }

    /** {@code gen_ai.usage.cache_creation.input_tokens} summed over this subtree: input tokens written to the cache. */
    public long cacheCreationInputTokens() {
        return sumBelow(GenAi.USAGE_CACHE_CREATION_INPUT_TOKENS);
    }

    /** {@code gen_ai.usage.reasoning.output_tokens} summed over this subtree (part of {@link #outputTokens()}). */
    public long reasoningOutputTokens() {
        return sumBelow(GenAi.USAGE_REASONING_OUTPUT_TOKENS);
    }

    /** Input plus output tokens of this subtree. */
    public long totalTokens() {
        return inputTokens() + outputTokens();
    }

    private long sumBelow(String attribute) {
        long sum = 0;
        List<Node> pending = new ArrayList<>();
        pending.add(this);
        while (!pending.isEmpty()) {
            Node n = pending.remove(pending.size() - 1);
            sum += n.count(attribute);
            pending.addAll(n.children);
        }
        return sum;
    }

    /** This span's own whole-number attribute as a count: a number, or a string of digits; anything else is 0. */
    public long count(String attribute) {
        Object value = attributes.get(attribute);
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        if (value instanceof String) {
            try {
                return Long.parseLong(((String) value).trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Depth below the root: 0 for a root. */
    public int depth() {
        int depth = 0;
        for (Node n = parent; n != null; n = n.parent) {
            depth++;
        }
        return depth;
    }

    @Override
    public String toString() {
        return type + " " + name + " [" + spanId + "] " + status;
    }
}
