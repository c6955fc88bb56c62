package io.aitrace.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A span as it was at one moment: when it started ({@code end} null), at a snapshot, or when it ended.
 * Values are already converted (and masked) JSON trees that nobody changes after the record is made.
 */
record SpanRecord(String traceId, String spanId, String parentSpanId, String name, String nodeType,
        String spanKind, long startEpochNanos, long endEpochNanos, String status, ObjectNode error,
        Map<String, JsonNode> attributes, JsonNode input, JsonNode output, List<Note> annotations,
        List<Link> edges, Map<String, String> resource, String thread, boolean root) implements TraceRecord {

    /** An annotation: when and why. */
    record Note(long epochNanos, String text) {
    }

    /** An edge to another span, possibly of another trace. */
    record Link(String type, String traceId, String spanId) {
    }

    boolean ended() {
        return endEpochNanos != 0;
    }

    @Override
    public boolean endsTrace() {
        return root && ended();
    }

    @Override
    public void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("v", 1);
        json.writeStringField("type", "span");
        json.writeStringField("trace_id", traceId);
        json.writeStringField("span_id", spanId);
        json.writeStringField("parent_span_id", parentSpanId);
        json.writeStringField("name", name);
        json.writeStringField("node_type", nodeType);
        json.writeStringField("span_kind", spanKind);
        json.writeStringField("start", Timestamps.formatEpochNanos(startEpochNanos));
        if (ended()) {
            json.writeStringField("end", Timestamps.formatEpochNanos(endEpochNanos));
            json.writeNumberField("duration_ms", Math.round((endEpochNanos - startEpochNanos) / 1_000.0) / 1_000.0);
        } else {
            json.writeNullField("end");
            json.writeNullField("duration_ms");
        }
        json.writeStringField("status", status);
        JsonTreeEncoder.writeField(json, "error", error);
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<String, JsonNode> e : attributes.entrySet()) {
            json.writeFieldName(e.getKey());
            JsonTreeEncoder.write(json, e.getValue());
        }
        json.writeEndObject();
        JsonTreeEncoder.writeField(json, "input", input);
        JsonTreeEncoder.writeField(json, "output", output);
        json.writeArrayFieldStart("annotations");
        for (Note note : annotations) {
            json.writeStartObject();
            json.writeStringField("ts", Timestamps.formatEpochNanos(note.epochNanos()));
            json.writeStringField("text", note.text());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("edges");
        for (Link link : edges) {
            json.writeStartObject();
            json.writeStringField("type", link.type());
            json.writeStringField("trace_id", link.traceId());
            json.writeStringField("span_id", link.spanId());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeObjectFieldStart("resource");
        for (Map.Entry<String, String> e : resource.entrySet()) {
            json.writeStringField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
        json.writeStringField("thread", thread);
        json.writeEndObject();
    }
}
