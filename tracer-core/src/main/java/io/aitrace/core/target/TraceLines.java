package io.aitrace.core.target;

import io.aitrace.core.read.TraceReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Record lines grouped by trace, for targets that read traces back in the process (the in-memory and console
 * targets). Keeps at most {@code maxTraces} traces; the first line of a new trace beyond that forgets the trace
 * whose first line came earliest.
 */
final class TraceLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a target needs to know about one record line, without reading it all into a graph. */
    record Line(String text, String type, String traceId, String spanId, String parentSpanId, boolean ended) {
        boolean isSpan() {
            return "span".equals(type);
        }
    }

    private static final class Trace {
        final List<String> lines = new ArrayList<>();
        final Set<String> spanIds = new HashSet<>();
    }

    private final int maxTraces;
    private final Map<String, Trace> traces = new LinkedHashMap<>();

    TraceLines(int maxTraces) {
        this.maxTraces = Math.max(1, maxTraces);
    }

    /** The line's kind and IDs; null for a line that is not a JSON object. */
    static Line parse(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8).strip();
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
        if (json == null || !json.isObject()) {
            return null;
        }
        return new Line(text, json.path("type").asText(""), textOrNull(json.get("trace_id")),
                textOrNull(json.get("span_id")), textOrNull(json.get("parent_span_id")),
                json.hasNonNull("end"));
    }

    private static String textOrNull(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Keeps the line under its trace; lines without a trace ID are not kept. */
    void add(Line line) {
        if (line.traceId() == null) {
            return;
        }
        Trace trace = traces.get(line.traceId());
        if (trace == null) {
            if (traces.size() >= maxTraces) {
                Iterator<String> eldest = traces.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            trace = new Trace();
            traces.put(line.traceId(), trace);
        }
        trace.lines.add(line.text());
        if (line.isSpan() && line.spanId() != null) {
            trace.spanIds.add(line.spanId());
        }
    }

    /**
     * True when the line ends a span with no parent in its trace's lines: a root, or the top aitrace span below a
     * span of another process or instrumentation.
     */
    boolean endsLocalRoot(Line line) {
        if (!line.isSpan() || !line.ended()) {
            return false;
        }
        if (line.parentSpanId() == null) {
            return true;
        }
        Trace trace = traces.get(line.traceId());
        return trace == null || !trace.spanIds.contains(line.parentSpanId());
    }

    /** The trace read back from its lines, or null when none are kept. */
    TraceGraph graph(String traceId) {
        Trace trace = traces.get(traceId);
        return trace == null ? null : TraceReader.readLines(trace.lines).trace(traceId);
    }

    /** The IDs of the traces kept, in the order their first lines came. */
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
