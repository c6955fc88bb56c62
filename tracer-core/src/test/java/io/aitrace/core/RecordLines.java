package io.aitrace.core;

import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support: record lines of a fixture file made into the typed records the writer hands to processors, and
 * fed to a processor as the writer would (start, snapshot, end, log). The parsing is the test's, not the
 * processor's.
 */
public final class RecordLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordLines() {
    }

    /** Feeds each line's record to the processor: a span seen before and still running is a snapshot. */
    public static void feed(RecordProcessor processor, List<String> lines) {
        List<String> started = new ArrayList<>();
        for (String line : lines) {
            JsonNode json = read(line);
            if ("span".equals(json.path("type").asText())) {
                SpanRecord span = span(json);
                if (span.ended()) {
                    processor.onEnd(span);
                } else if (started.contains(span.spanId())) {
                    processor.onSnapshot(span);
                } else {
                    started.add(span.spanId());
                    processor.onStart(span);
                }
            } else if ("log".equals(json.path("type").asText())) {
                processor.onLog(log(json));
            }
        }
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A span record line as the typed record it was written from. */
    public static SpanRecord span(JsonNode r) {
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("attributes").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            attributes.put(e.getKey(), e.getValue());
        }
        List<SpanRecord.Note> notes = new ArrayList<>();
        for (JsonNode note : r.path("annotations")) {
            notes.add(new SpanRecord.Note(nanos(note.path("ts").asText()), note.path("text").asText()));
        }
        List<SpanRecord.Link> edges = new ArrayList<>();
        for (JsonNode edge : r.path("edges")) {
            edges.add(new SpanRecord.Link(edge.path("type").asText(), text(edge.get("trace_id")),
                    text(edge.get("span_id"))));
        }
        Map<String, String> resource = new LinkedHashMap<>();
        r.path("resource").fields().forEachRemaining(e -> resource.put(e.getKey(), e.getValue().asText()));
        String parent = text(r.get("parent_span_id"));
        return new SpanRecord(text(r.get("trace_id")), text(r.get("span_id")), parent, text(r.get("name")),
                text(r.get("node_type")), text(r.get("span_kind")), nanos(r.path("start").asText()),
                r.path("end").isTextual() ? nanos(r.path("end").asText()) : 0, text(r.get("status")),
                r.path("error").isObject() ? (ObjectNode) r.get("error") : null, attributes, r.get("input"),
                r.get("output"), notes, edges, List.of(), resource, text(r.get("thread")), parent == null);
    }

    /** A log record line as the typed record it was written from. */
    public static LogRecord log(JsonNode r) {
        Map<String, JsonNode> attrs = new LinkedHashMap<>();
        r.path("attrs").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue()));
        return new LogRecord(nanos(r.path("timestamp").asText()), text(r.get("level")), text(r.get("logger")),
                text(r.get("event")), text(r.get("trace_id")), text(r.get("span_id")), text(r.get("parent_span_id")),
                text(r.get("thread")), attrs, r.path("exception").isObject() ? (ObjectNode) r.get("exception") : null);
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    private static long nanos(String iso) {
        Instant at = Timestamps.parse(iso);
        return at == null ? 0 : at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
