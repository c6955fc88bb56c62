package io.aitrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.aitrace.core.record.Timestamps;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OTLP spans as records of format v1: attributes kept (GenAI ones included), events as annotations (the
 * {@code exception} event as the error, events named {@code log} as log records), links as edges, status, and the
 * resource's attributes ({@code service.name} among them) as the resource. What tracer-core's OTLP export writes
 * comes back as it was: the node type from {@code aitrace.node_type}/{@code aitrace.node.type} (or
 * {@code openinference.span.kind}), input and output from {@code input.value}/{@code output.value}, the edge type
 * from {@code aitrace.edge_type}/{@code aitrace.edge.type}; those attributes are not repeated in
 * {@code attributes}.
 */
final class OtlpSpans {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Attributes that become fields of the record instead. */
    private static final List<String> FIELD_ATTRIBUTES = List.of("aitrace.node_type", "aitrace.node.type",
            "input.value", "input.mime_type", "output.value", "output.mime_type", "thread.name");
    private static final Map<String, String> OPENINFERENCE_KINDS = Map.of("AGENT", "agent", "LLM", "llm",
            "TOOL", "tool", "RETRIEVER", "retrieval", "EMBEDDING", "embedding", "GUARDRAIL", "guardrail",
            "CHAIN", "step");
    private static final Map<String, String> OPERATION_TYPES = Map.of("chat", "llm", "text_completion", "llm",
            "generate_content", "llm", "embeddings", "embedding", "execute_tool", "tool", "invoke_agent", "agent",
            "create_agent", "agent");

    private OtlpSpans() {
    }

    /** The spans of a request, in order, each followed by its log lines. */
    static List<ObjectNode> records(ExportTraceServiceRequest request) {
        List<ObjectNode> records = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            ObjectNode resource = attributes(resourceSpans.getResource().getAttributesList());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    records.add(record(span, resource, records));
                }
            }
        }
        return records;
    }

    private static ObjectNode record(Span span, ObjectNode resource, List<ObjectNode> logs) {
        ObjectNode attributes = attributes(span.getAttributesList());
        String nodeType = nodeType(attributes);
        JsonNode input = value(attributes, "input");
        JsonNode output = value(attributes, "output");
        JsonNode thread = attributes.get("thread.name");
        attributes.remove(FIELD_ATTRIBUTES);
        ObjectNode json = NODES.objectNode();
        json.put("v", 1);
        json.put("type", "span");
        json.put("trace_id", hex(span.getTraceId()));
        json.put("span_id", hex(span.getSpanId()));
        json.put("parent_span_id", span.getParentSpanId().isEmpty() ? null : hex(span.getParentSpanId()));
        json.put("name", span.getName());
        json.put("node_type", nodeType);
        String kind = span.getKind().name().replace("SPAN_KIND_", "");
        json.put("span_kind", kind.equals("UNSPECIFIED") || kind.equals("UNRECOGNIZED") ? "INTERNAL" : kind);
        json.put("start", time(span.getStartTimeUnixNano()));
        boolean ended = span.getEndTimeUnixNano() != 0;
        json.put("end", ended ? time(span.getEndTimeUnixNano()) : null);
        boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        json.put("status", error ? "error" : ended ? "ok" : "running");
        ObjectNode errorObject = null;
        ArrayNode annotations = NODES.arrayNode();
        ArrayNode evaluations = NODES.arrayNode();
        for (Span.Event event : span.getEventsList()) {
            ObjectNode eventAttributes = attributes(event.getAttributesList());
            if (event.getName().equals("log") && eventAttributes.has("message")) {
                logs.add(log(span, event, eventAttributes));
                continue;
            }
            if (event.getName().equals("gen_ai.evaluation.result") && eventAttributes.has("gen_ai.evaluation.name")) {
                ObjectNode evaluation = evaluations.addObject().put("ts", time(event.getTimeUnixNano()));
                evaluation.set("name", eventAttributes.get("gen_ai.evaluation.name"));
                evaluation.set("score", eventAttributes.get("gen_ai.evaluation.score.value"));
                evaluation.set("label", eventAttributes.get("gen_ai.evaluation.score.label"));
                evaluation.set("explanation", eventAttributes.get("gen_ai.evaluation.explanation"));
                continue;
            }
            if (event.getName().equals("exception")) {
                errorObject = NODES.objectNode();
                errorObject.set("type", eventAttributes.get("exception.type"));
                errorObject.set("message", eventAttributes.get("exception.message"));
                errorObject.set("stack", eventAttributes.get("exception.stacktrace"));
                continue;
            }
            String text = eventAttributes.isEmpty() ? event.getName() : event.getName() + " " + eventAttributes;
            annotations.addObject().put("ts", time(event.getTimeUnixNano())).put("text", text);
        }
        if (error && errorObject == null) {
            errorObject = NODES.objectNode().put("message", span.getStatus().getMessage());
        } else if (error && !span.getStatus().getMessage().isEmpty() && errorObject.path("message").isNull()) {
            errorObject.put("message", span.getStatus().getMessage());
        }
        json.set("error", error ? errorObject : null);
        json.set("attributes", attributes);
        json.set("input", input);
        json.set("output", output);
        json.set("annotations", annotations);
        if (!evaluations.isEmpty()) {
            json.set("evaluations", evaluations);
        }
        ArrayNode edges = json.putArray("edges");
        for (Span.Link link : span.getLinksList()) {
            ObjectNode linkAttributes = attributes(link.getAttributesList());
            JsonNode type = linkAttributes.has("aitrace.edge_type") ? linkAttributes.get("aitrace.edge_type")
                    : linkAttributes.get("aitrace.edge.type");
            edges.addObject().put("type", type == null ? "link" : type.asText())
                    .put("trace_id", hex(link.getTraceId())).put("span_id", hex(link.getSpanId()));
        }
        json.set("resource", resource);
        json.put("thread", thread == null ? null : thread.asText());
        return json;
    }

    /** A span event named {@code log}, as tracer-core's OTLP export writes a log line of the span. */
    private static ObjectNode log(Span span, Span.Event event, ObjectNode attributes) {
        ObjectNode log = NODES.objectNode();
        log.put("v", 1);
        log.put("type", "log");
        log.put("timestamp", time(event.getTimeUnixNano()));
        log.put("level", text(attributes.remove("log.level")));
        log.put("logger", text(attributes.remove("log.logger")));
        log.put("event", text(attributes.remove("message")));
        log.put("trace_id", hex(span.getTraceId()));
        log.put("span_id", hex(span.getSpanId()));
        log.put("parent_span_id", span.getParentSpanId().isEmpty() ? null : hex(span.getParentSpanId()));
        log.put("thread", text(attributes.remove("thread.name")));
        ObjectNode exception = null;
        if (attributes.has("exception.type") || attributes.has("exception.message")) {
            exception = NODES.objectNode();
            exception.set("type", attributes.remove("exception.type"));
            exception.set("message", attributes.remove("exception.message"));
            exception.set("stack", attributes.remove("exception.stacktrace"));
        }
        log.set("attrs", attributes);
        log.set("exception", exception);
        return log;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    /** {@code input.value}: JSON text when its mime type says so, else the plain string; null when absent. */
    private static JsonNode value(ObjectNode attributes, String prefix) {
        JsonNode value = attributes.get(prefix + ".value");
        if (value == null || !value.isTextual()) {
            return value == null ? NODES.nullNode() : value;
        }
        JsonNode mime = attributes.get(prefix + ".mime_type");
        if (mime != null && mime.asText().startsWith("application/json")) {
            try {
                return RecordJson.MAPPER.readTree(value.textValue());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return value; // not JSON after all: kept as the text it is
            }
        }
        return value;
    }

    private static String nodeType(ObjectNode attributes) {
        for (String key : List.of("aitrace.node_type", "aitrace.node.type")) {
            JsonNode explicit = attributes.get(key);
            if (explicit != null && explicit.isTextual()) {
                return explicit.textValue();
            }
        }
        JsonNode kind = attributes.get("openinference.span.kind");
        if (kind != null && OPENINFERENCE_KINDS.containsKey(kind.asText())) {
            return OPENINFERENCE_KINDS.get(kind.asText());
        }
        JsonNode operation = attributes.get("gen_ai.operation.name");
        String mapped = operation == null ? null : OPERATION_TYPES.get(operation.asText().toLowerCase(Locale.ROOT));
        return mapped == null ? "step" : mapped;
    }

    static ObjectNode attributes(List<KeyValue> list) {
        ObjectNode attributes = NODES.objectNode();
        for (KeyValue kv : list) {
            attributes.set(kv.getKey(), value(kv.getValue()));
        }
        return attributes;
    }

    private static JsonNode value(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return NODES.textNode(value.getStringValue());
            case BOOL_VALUE: return NODES.booleanNode(value.getBoolValue());
            case INT_VALUE: return NODES.numberNode(value.getIntValue());
            case DOUBLE_VALUE: return NODES.numberNode(value.getDoubleValue());
            case BYTES_VALUE: return NODES.textNode(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
            case ARRAY_VALUE:
                ArrayNode array = NODES.arrayNode();
                value.getArrayValue().getValuesList().forEach(item -> array.add(value(item)));
                return array;
            case KVLIST_VALUE: return attributes(value.getKvlistValue().getValuesList());
            default: return NODES.nullNode();
        }
    }

    /** Lowercase hex of an ID; a wrong length is left for the record check to refuse by name. */
    static String hex(ByteString id) {
        return id.isEmpty() ? "" : HexFormat.of().formatHex(id.toByteArray());
    }

    static String time(long epochNanos) {
        return Timestamps.formatEpochNanos(epochNanos);
    }
}
