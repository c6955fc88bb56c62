package io.aitrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.aitrace.core.Timestamps;
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
 * OTLP spans as records of format v1: attributes kept as they are (GenAI ones included), events as annotations
 * (the {@code exception} event as the error), links as edges (typed by their {@code aitrace.edge_type} attribute),
 * status, and the resource's attributes ({@code service.name} among them) as the resource.
 */
final class OtlpSpans {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> OPERATION_TYPES = Map.of("chat", "llm", "text_completion", "llm",
            "generate_content", "llm", "embeddings", "embedding", "execute_tool", "tool", "invoke_agent", "agent",
            "create_agent", "agent");

    private OtlpSpans() {
    }

    /** The spans of a request, in order. */
    static List<ObjectNode> records(ExportTraceServiceRequest request) {
        List<ObjectNode> records = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            ObjectNode resource = attributes(resourceSpans.getResource().getAttributesList());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    records.add(record(span, resource));
                }
            }
        }
        return records;
    }

    private static ObjectNode record(Span span, ObjectNode resource) {
        ObjectNode attributes = attributes(span.getAttributesList());
        ObjectNode json = NODES.objectNode();
        json.put("v", 1);
        json.put("type", "span");
        json.put("trace_id", hex(span.getTraceId()));
        json.put("span_id", hex(span.getSpanId()));
        json.put("parent_span_id", span.getParentSpanId().isEmpty() ? null : hex(span.getParentSpanId()));
        json.put("name", span.getName());
        json.put("node_type", nodeType(attributes));
        String kind = span.getKind().name().replace("SPAN_KIND_", "");
        json.put("span_kind", kind.equals("UNSPECIFIED") || kind.equals("UNRECOGNIZED") ? "INTERNAL" : kind);
        json.put("start", time(span.getStartTimeUnixNano()));
        boolean ended = span.getEndTimeUnixNano() != 0;
        json.put("end", ended ? time(span.getEndTimeUnixNano()) : null);
        boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        json.put("status", error ? "error" : ended ? "ok" : "running");
        ObjectNode errorObject = null;
        ArrayNode annotations = NODES.arrayNode();
        for (Span.Event event : span.getEventsList()) {
            ObjectNode eventAttributes = attributes(event.getAttributesList());
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
        json.putNull("input");
        json.putNull("output");
        json.set("annotations", annotations);
        ArrayNode edges = json.putArray("edges");
        for (Span.Link link : span.getLinksList()) {
            JsonNode type = attributes(link.getAttributesList()).get("aitrace.edge_type");
            edges.addObject().put("type", type == null ? "link" : type.asText())
                    .put("trace_id", hex(link.getTraceId())).put("span_id", hex(link.getSpanId()));
        }
        json.set("resource", resource);
        JsonNode thread = attributes.get("thread.name");
        json.put("thread", thread == null ? null : thread.asText());
        return json;
    }

    private static String nodeType(ObjectNode attributes) {
        JsonNode explicit = attributes.get("aitrace.node_type");
        if (explicit != null && explicit.isTextual()) {
            return explicit.textValue();
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
    private static String hex(ByteString id) {
        return id.isEmpty() ? "" : HexFormat.of().formatHex(id.toByteArray());
    }

    private static String time(long epochNanos) {
        return Timestamps.formatEpochNanos(epochNanos);
    }
}
