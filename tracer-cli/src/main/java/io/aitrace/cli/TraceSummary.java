package io.aitrace.cli;

import io.aitrace.core.read.NodePath;
import io.aitrace.read.Edge;
import io.aitrace.genai.GenAi;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.text.Durations;
import io.aitrace.core.record.Timestamps;
import io.aitrace.core.cost.Cost;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.read.Evaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of one trace, for {@code inspect --json} and the text footer: spans by node type, errors with
 * their paths, total and per-type durations, token totals, and the critical path.
 */
final class TraceSummary {
    static final String INPUT_TOKENS = GenAi.USAGE_INPUT_TOKENS;
    static final String OUTPUT_TOKENS = GenAi.USAGE_OUTPUT_TOKENS;

    private final TraceGraph trace;
    private final Map<Node, NodePath> paths;
    private final List<Node> inTreeOrder = new ArrayList<>();

    TraceSummary(TraceGraph trace) {
        this.trace = trace;
        this.paths = NodePath.index(trace);
        List<Node> pending = new ArrayList<>(trace.roots());
        Collections.reverse(pending);
        while (!pending.isEmpty()) {
            Node node = pending.remove(pending.size() - 1);
            inTreeOrder.add(node);
            for (int i = node.children().size() - 1; i >= 0; i--) {
                pending.add(node.children().get(i));
            }
        }
    }

    /** Every span, parents before children, siblings in start order. */
    List<Node> spans() {
        return inTreeOrder;
    }

    List<Node> errors() {
        return inTreeOrder.stream().filter(Node::isError).toList();
    }

    long running() {
        return inTreeOrder.stream().filter(node -> !node.isEnded() && !node.isImplicit()).count();
    }

    NodePath path(Node node) {
        return paths.get(node);
    }

    /** From the first start to the last end of the trace, or null when nothing ended. */
    Double durationMs() {
        Instant start = null;
        Instant end = null;
        for (Node node : inTreeOrder) {
            if (node.start() != null && (start == null || node.start().isBefore(start))) {
                start = node.start();
            }
            if (node.end() != null && (end == null || node.end().isAfter(end))) {
                end = node.end();
            }
        }
        return start == null || end == null ? null : Duration.between(start, end).toNanos() / 1e6;
    }

    /** The root's status ({@code ok}, {@code error}, {@code running}); with several roots the worst of them. */
    String status() {
        List<Node> roots = trace.roots();
        if (roots.stream().anyMatch(Node::isError)) {
            return "error";
        }
        return roots.stream().allMatch(Node::isEnded) ? "ok" : "running";
    }

    long inputTokens() {
        return trace.inputTokens();
    }

    long outputTokens() {
        return trace.outputTokens();
    }

    /**
     * The spans the trace's end waited on: from each root, the child that ended last, then the child that ended
     * last before that one started, and so on, down the tree. Parallel work that finished earlier is left out.
     */
    List<Node> criticalPath() {
        List<Node> path = new ArrayList<>();
        trace.roots().stream().filter(Node::isEnded).max(Comparator.comparing(Node::end))
                .ifPresent(root -> walkCritical(root, root.end(), path));
        path.sort(Comparator.comparing(Node::start, Comparator.nullsLast(Comparator.naturalOrder())));
        return path;
    }

    /**
     * From {@code node}, the child that ended last before {@code until}, then the one that ended last before that
     * child started, and so on; each chosen child is walked the same way. A stack instead of recursion: a chain of
     * spans thousands deep must not overflow the thread's stack.
     */
    private static void walkCritical(Node top, Instant topUntil, List<Node> path) {
        record Step(Node node, Instant until) {
        }
        List<Step> pending = new ArrayList<>();
        pending.add(new Step(top, topUntil));
        while (!pending.isEmpty()) {
            Step step = pending.remove(pending.size() - 1);
            Node node = step.node();
            path.add(node);
            Instant cursor = node.end().isBefore(step.until()) ? node.end() : step.until();
            // The children by end, latest first: the first one that started before the cursor is the one that ended
            // last before it. The cursor only moves back, so a child that started after it is passed for good: one
            // sort and one pass per span, not a scan of all children per step (a million siblings stay linear).
            List<Node> byEnd = new ArrayList<>();
            for (Node child : node.children()) {
                if (child.isEnded() && child.start() != null) {
                    byEnd.add(child);
                }
            }
            byEnd.sort(Comparator.comparing(Node::end).reversed());
            int at = 0;
            while (at < byEnd.size()) {
                Node next = byEnd.get(at++);
                if (!next.start().isBefore(cursor)) {
                    continue;
                }
                Instant end = next.end().isBefore(cursor) ? next.end() : cursor;
                pending.add(new Step(next, end));
                cursor = next.start();
            }
        }
    }

    /** The summary as JSON-ready maps, lists and numbers. */
    Map<String, Object> toJson(String source, List<String> traceIdsInSource, PriceTable prices) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<Node> roots = trace.roots();
        json.put("trace_id", roots.isEmpty() ? null : roots.get(0).traceId());
        json.put("source", source);
        json.put("name", roots.isEmpty() ? null : roots.get(0).name());
        json.put("status", status());
        Instant start = roots.isEmpty() ? null : roots.get(0).start();
        json.put("start", start == null ? null : Timestamps.format(start));
        json.put("duration_ms", Durations.round(durationMs()));
        json.put("spans", inTreeOrder.size());
        json.put("errors_count", errors().size());
        json.put("running", running());
        json.put("logs", trace.logs().size());
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Double> durations = new TreeMap<>();
        for (Node node : inTreeOrder) {
            counts.merge(node.type().name(), 1, Integer::sum);
            if (node.durationMs() != null && !node.isImplicit()) {
                durations.merge(node.type().name(), node.durationMs(), Double::sum);
            }
        }
        durations.replaceAll((type, ms) -> Durations.round(ms));
        json.put("counts_by_type", counts);
        json.put("duration_ms_by_type", durations);
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Node node : errors()) {
            Map<String, Object> error = spanJson(node);
            Map<String, Object> detail = node.error() == null ? Map.of() : node.error();
            error.put("error_type", detail.get("type"));
            error.put("message", detail.get("message"));
            errors.add(error);
        }
        json.put("errors", errors);
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("input", inputTokens());
        tokens.put("output", outputTokens());
        tokens.put("total", inputTokens() + outputTokens());
        tokens.put("cache_read_input", sum(Node::cacheReadInputTokens));
        tokens.put("cache_creation_input", sum(Node::cacheCreationInputTokens));
        tokens.put("reasoning_output", sum(Node::reasoningOutputTokens));
        json.put("tokens", tokens);
        json.put("cost", costJson(prices.cost(trace)));
        List<Map<String, Object>> evaluations = new ArrayList<>();
        for (Node node : inTreeOrder) {
            for (Evaluation evaluation : node.evaluations()) {
                Map<String, Object> e = spanJson(node);
                e.remove("duration_ms");
                e.put("evaluation", evaluation.name());
                e.put("score", evaluation.score());
                e.put("label", evaluation.label());
                e.put("explanation", evaluation.explanation());
                evaluations.add(e);
            }
        }
        json.put("evaluations", evaluations);
        List<Map<String, Object>> critical = new ArrayList<>();
        criticalPath().forEach(node -> critical.add(spanJson(node)));
        json.put("critical_path", critical);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Node node : inTreeOrder) {
            for (Edge edge : node.edges()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("type", edge.typeName());
                e.put("from", String.valueOf(paths.get(node)));
                e.put("to", trace.node(edge.toSpanId()).map(target -> String.valueOf(paths.get(target)))
                        .orElse(edge.toSpanId()));
                edges.add(e);
            }
        }
        json.put("edges", edges);
        json.put("skipped_lines", trace.skippedLines());
        json.put("dropped_records", trace.droppedRecords());
        json.put("traces_in_source", traceIdsInSource);
        return json;
    }

    private long sum(java.util.function.ToLongFunction<Node> subtreeCount) {
        return trace.roots().stream().mapToLong(subtreeCount).sum();
    }

    /** A cost for JSON: dollars (null when nothing had a price), how many spans were priced, and what was not. */
    static Map<String, Object> costJson(Cost cost) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("usd", cost.pricedSpans() == 0 ? null : Math.round(cost.usd() * 1e8) / 1e8);
        json.put("complete", cost.isComplete());
        json.put("priced_spans", cost.pricedSpans());
        json.put("unpriced_spans", cost.unpricedSpans());
        json.put("unpriced_models", List.copyOf(cost.unpricedModels()));
        return json;
    }

    private Map<String, Object> spanJson(Node node) {
        Map<String, Object> span = new LinkedHashMap<>();
        span.put("path", String.valueOf(paths.get(node)));
        span.put("name", node.name());
        span.put("type", node.type().name());
        span.put("span_id", node.spanId());
        span.put("duration_ms", Durations.round(node.durationMs()));
        return span;
    }
}
