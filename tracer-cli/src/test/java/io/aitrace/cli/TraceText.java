package io.aitrace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small traces as JSON-lines text in record format v1, for tests that need exact times and IDs:
 * <pre>{@code
 * TraceText trace = new TraceText("4bf9…");
 * TraceText.SpanText root = trace.span("agent", "agent", null, 0, 1000);
 * trace.span("search", "tool", root, 10, 20).error("java.io.IOException", "timeout");
 * trace.write(file);
 * }</pre>
 * Times are milliseconds after 2026-11-21T18:00:00Z. Span IDs are numbered in creation order.
 */
final class TraceText {
    static final Instant BASE = Instant.parse("2026-11-21T18:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static int spanCounter;

    private final String traceId;
    private final List<Map<String, Object>> records = new ArrayList<>();

    TraceText(String traceId) {
        this.traceId = traceId;
    }

    /** One span: its end record (and nothing else), changed by the methods below until written. */
    final class SpanText {
        final Map<String, Object> record = new LinkedHashMap<>();

        SpanText error(String type, String message) {
            record.put("status", "error");
            record.put("error", Map.of("type", type, "message", message));
            return this;
        }

        SpanText input(Object value) {
            record.put("input", value);
            return this;
        }

        SpanText output(Object value) {
            record.put("output", value);
            return this;
        }

        SpanText attribute(String key, Object value) {
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = (Map<String, Object>) record.get("attributes");
            attributes.put(key, value);
            return this;
        }

        SpanText edge(String type, SpanText target) {
            @SuppressWarnings("unchecked")
            List<Object> edges = (List<Object>) record.get("edges");
            edges.add(Map.of("type", type, "trace_id", traceId, "span_id", target.id()));
            return this;
        }

        SpanText log(String level, String event, double atMs) {
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("v", 1);
            log.put("type", "log");
            log.put("timestamp", time(atMs));
            log.put("level", level);
            log.put("event", event);
            log.put("trace_id", traceId);
            log.put("span_id", id());
            records.add(log);
            return this;
        }

        /** Token usage and the model of an LLM call. */
        SpanText usage(String model, long inputTokens, long outputTokens) {
            return attribute("gen_ai.request.model", model).attribute("gen_ai.usage.input_tokens", inputTokens)
                    .attribute("gen_ai.usage.output_tokens", outputTokens);
        }

        /** An evaluation result on the span's record, or with {@code later} as an evaluation record after it. */
        SpanText evaluation(String name, Double score, String label, String explanation, boolean later) {
            Map<String, Object> evaluation = new LinkedHashMap<>();
            if (later) {
                evaluation.put("v", 1);
                evaluation.put("type", "evaluation");
                evaluation.put("trace_id", traceId);
                evaluation.put("span_id", id());
            }
            evaluation.put("ts", record.get("end"));
            evaluation.put("name", name);
            evaluation.put("score", score);
            evaluation.put("label", label);
            evaluation.put("explanation", explanation);
            if (later) {
                records.add(evaluation);
            } else {
                @SuppressWarnings("unchecked")
                List<Object> evaluations = (List<Object>) record.computeIfAbsent("evaluations", k -> new ArrayList<>());
                evaluations.add(evaluation);
            }
            return this;
        }

        /** Leaves the span running: no end, no duration. */
        SpanText running() {
            record.put("end", null);
            record.put("duration_ms", null);
            record.put("status", "running");
            return this;
        }

        String id() {
            return (String) record.get("span_id");
        }
    }

    SpanText span(String name, String type, SpanText parent, double startMs, double endMs) {
        SpanText span = new SpanText();
        Map<String, Object> r = span.record;
        r.put("v", 1);
        r.put("type", "span");
        r.put("trace_id", traceId);
        r.put("span_id", String.format(Locale.ROOT, "%016x", 0x1000L + ++spanCounter));
        r.put("parent_span_id", parent == null ? null : parent.id());
        r.put("name", name);
        r.put("node_type", type);
        r.put("start", time(startMs));
        r.put("end", time(endMs));
        r.put("duration_ms", endMs - startMs);
        r.put("status", "ok");
        r.put("error", null);
        r.put("attributes", new LinkedHashMap<>());
        r.put("input", null);
        r.put("output", null);
        r.put("annotations", new ArrayList<>());
        r.put("edges", new ArrayList<>());
        records.add(r);
        return span;
    }

    String jsonl() {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> record : records) {
            try {
                text.append(JSON.writeValueAsString(record)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return text.toString();
    }

    Path write(Path file) {
        try {
            return Files.writeString(file, jsonl(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String time(double ms) {
        return BASE.plusNanos(Math.round(ms * 1_000_000)).toString();
    }
}
