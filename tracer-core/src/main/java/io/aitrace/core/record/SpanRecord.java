package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A span as it was at one moment: when it started ({@code end} null), at a snapshot, or when it ended.
 * Values are already converted (and masked) JSON trees that nobody changes after the record is made.
 */
public record SpanRecord(String traceId, String spanId, String parentSpanId, String name, String nodeType,
        String spanKind, long startEpochNanos, long endEpochNanos, String status, ObjectNode error,
        Map<String, JsonNode> attributes, JsonNode input, JsonNode output, List<Note> annotations,
        List<Link> edges, List<EvaluationRecord> evaluations, Map<String, String> resource, String thread,
        boolean root, IdNumbers idNumbers) implements TraceRecord {

    /** A record whose IDs are known only as text ({@code idNumbers} null). */
    public SpanRecord(String traceId, String spanId, String parentSpanId, String name, String nodeType,
            String spanKind, long startEpochNanos, long endEpochNanos, String status, ObjectNode error,
            Map<String, JsonNode> attributes, JsonNode input, JsonNode output, List<Note> annotations,
            List<Link> edges, List<EvaluationRecord> evaluations, Map<String, String> resource, String thread,
            boolean root) {
        this(traceId, spanId, parentSpanId, name, nodeType, spanKind, startEpochNanos, endEpochNanos, status, error,
                attributes, input, output, annotations, edges, evaluations, resource, thread, root, null);
    }

    /**
     * The numbers a span's IDs are the hex of, when aitrace made them (or read them) as numbers: {@code traceId}
     * is {@code traceHigh} then {@code traceLow} as 32 lowercase hex digits, {@code spanId} and
     * {@code parentSpanId} 16 each, and {@code parent} is 0 when {@code parentSpanId} is null. An encoder may
     * write the hex straight from them instead of copying the strings character by character.
     */
    public record IdNumbers(long traceHigh, long traceLow, long span, long parent) {
    }

    // Field names encoded once: Jackson escapes and encodes a String name on every write.
    private static final SerializedString V = new SerializedString("v");
    private static final SerializedString ANNOTATIONS = new SerializedString("annotations");
    private static final SerializedString ATTRIBUTES = new SerializedString("attributes");
    private static final SerializedString DURATION_MS = new SerializedString("duration_ms");
    private static final SerializedString EDGES = new SerializedString("edges");
    private static final SerializedString EVALUATIONS = new SerializedString("evaluations");
    private static final SerializedString END = new SerializedString("end");
    private static final SerializedString ERROR = new SerializedString("error");
    private static final SerializedString INPUT = new SerializedString("input");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString NODE_TYPE = new SerializedString("node_type");
    private static final SerializedString OUTPUT = new SerializedString("output");
    private static final SerializedString PARENT_SPAN_ID = new SerializedString("parent_span_id");
    private static final SerializedString RESOURCE = new SerializedString("resource");
    private static final SerializedString SPAN_ID = new SerializedString("span_id");
    private static final SerializedString SPAN_KIND = new SerializedString("span_kind");
    private static final SerializedString START = new SerializedString("start");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString TEXT = new SerializedString("text");
    private static final SerializedString THREAD = new SerializedString("thread");
    private static final SerializedString TRACE_ID = new SerializedString("trace_id");
    private static final SerializedString TS = new SerializedString("ts");
    private static final SerializedString TYPE = new SerializedString("type");

    /** An annotation: when and why. */
    public record Note(long epochNanos, String text) {
    }

    /** An edge to another span, possibly of another trace. */
    public record Link(String type, String traceId, String spanId) {
    }

    public boolean ended() {
        return endEpochNanos != 0;
    }

    @Override
    public boolean endsTrace() {
        return root && ended();
    }

    @Override
    public void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeFieldName(V);
        json.writeNumber(1);
        writeString(json, TYPE, "span");
        writeString(json, TRACE_ID, traceId);
        writeString(json, SPAN_ID, spanId);
        writeString(json, PARENT_SPAN_ID, parentSpanId);
        writeString(json, NAME, name);
        writeString(json, NODE_TYPE, nodeType);
        writeString(json, SPAN_KIND, spanKind);
        writeString(json, START, Timestamps.formatEpochNanos(startEpochNanos));
        if (ended()) {
            writeString(json, END, Timestamps.formatEpochNanos(endEpochNanos));
            json.writeFieldName(DURATION_MS);
            json.writeNumber(Math.round((endEpochNanos - startEpochNanos) / 1_000.0) / 1_000.0);
        } else {
            json.writeFieldName(END);
            json.writeNull();
            json.writeFieldName(DURATION_MS);
            json.writeNull();
        }
        writeString(json, STATUS, status);
        JsonTreeEncoder.writeField(json, ERROR, error);
        json.writeFieldName(ATTRIBUTES);
        json.writeStartObject();
        for (Map.Entry<String, JsonNode> e : attributes.entrySet()) {
            json.writeFieldName(e.getKey());
            JsonTreeEncoder.write(json, e.getValue());
        }
        json.writeEndObject();
        JsonTreeEncoder.writeField(json, INPUT, input);
        JsonTreeEncoder.writeField(json, OUTPUT, output);
        json.writeFieldName(ANNOTATIONS);
        json.writeStartArray();
        for (Note note : annotations) {
            json.writeStartObject();
            writeString(json, TS, Timestamps.formatEpochNanos(note.epochNanos()));
            writeString(json, TEXT, note.text());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeFieldName(EDGES);
        json.writeStartArray();
        for (Link link : edges) {
            json.writeStartObject();
            writeString(json, TYPE, link.type());
            writeString(json, TRACE_ID, link.traceId());
            writeString(json, SPAN_ID, link.spanId());
            json.writeEndObject();
        }
        json.writeEndArray();
        if (!evaluations.isEmpty()) { // optional in v1: records without evaluations stay as they were
            json.writeFieldName(EVALUATIONS);
            json.writeStartArray();
            for (EvaluationRecord evaluation : evaluations) {
                evaluation.writeEntry(json);
            }
            json.writeEndArray();
        }
        json.writeFieldName(RESOURCE);
        json.writeStartObject();
        for (Map.Entry<String, String> e : resource.entrySet()) {
            json.writeStringField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
        writeString(json, THREAD, thread);
        json.writeEndObject();
    }

    private static void writeString(JsonGenerator json, SerializedString field, String value) throws IOException {
        json.writeFieldName(field);
        json.writeString(value);
    }
}
