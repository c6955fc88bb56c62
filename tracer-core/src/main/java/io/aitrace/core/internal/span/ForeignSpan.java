package io.aitrace.core.internal.span;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.ValueConverter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A span of other OpenTelemetry instrumentation as an aitrace span record: the node type from
 * {@code gen_ai.operation.name}, else {@code openinference.span.kind}, else step; attributes (masked and cut as
 * always); events as annotations, the {@code exception} event as the error; links as edges; the status; input and
 * output from {@code input.value}/{@code output.value}, else from the GenAI messages.
 */
public final class ForeignSpan {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OPERATION_TYPES = Map.ofEntries(
            Map.entry("chat", "llm"), Map.entry("text_completion", "llm"), Map.entry("generate_content", "llm"),
            Map.entry("execute_tool", "tool"), Map.entry("invoke_agent", "agent"), Map.entry("create_agent", "agent"),
            Map.entry("invoke_workflow", "agent"), Map.entry("embeddings", "embedding"),
            Map.entry("retrieval", "retrieval"), Map.entry("plan", "decision"));
    private static final Map<String, String> OPENINFERENCE_KINDS = Map.of("AGENT", "agent", "LLM", "llm",
            "TOOL", "tool", "RETRIEVER", "retrieval", "RERANKER", "retrieval", "EMBEDDING", "embedding",
            "GUARDRAIL", "guardrail", "CHAIN", "step");
    /** Attributes that become fields of the record instead. */
    private static final Set<String> FIELDS = Set.of("input.value", "input.mime_type", "output.value",
            "output.mime_type", "thread.name");
    private static final List<String> RESOURCE_KEYS = List.of("service.name", "service.namespace", "service.version");

    private ForeignSpan() {
    }

    /** The node type by the rule of DESIGN.md. */
    public static String nodeType(Attributes attributes) {
        String operation = attributes.get(AttributeKey.stringKey("gen_ai.operation.name"));
        if (operation != null && OPERATION_TYPES.containsKey(operation)) {
            return OPERATION_TYPES.get(operation);
        }
        String kind = attributes.get(AttributeKey.stringKey("openinference.span.kind"));
        if (kind != null && OPENINFERENCE_KINDS.containsKey(kind.toUpperCase(java.util.Locale.ROOT))) {
            return OPENINFERENCE_KINDS.get(kind.toUpperCase(java.util.Locale.ROOT));
        }
        return "step";
    }

    /** True below a root that aitrace's sample ratio left out: spans there are left out of the records too. */
    public static boolean isBelowUnsampledRoot(io.opentelemetry.context.Context parent) {
        return UnsampledSpan.isUnsampled(parent);
    }

    public static SpanRecord record(SpanData span, ValueConverter converter, boolean ended) {
        Attributes raw = span.getAttributes();
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (!FIELDS.contains(key.getKey())) {
                attributes.put(key.getKey(), converter.toJson(key.getKey(), structured(key.getKey(), value)));
            }
        });
        JsonNode input = io(raw, "input", "gen_ai.input.messages", converter);
        JsonNode output = io(raw, "output", "gen_ai.output.messages", converter);
        List<SpanRecord.Note> notes = new ArrayList<>();
        ObjectNode error = null;
        for (EventData event : span.getEvents()) {
            if (event.getName().equals("exception")) {
                error = errorObject(event.getAttributes(), converter);
                continue;
            }
            String text = event.getName();
            if (!event.getAttributes().isEmpty()) {
                ObjectNode eventAttributes = JsonNodeFactory.instance.objectNode();
                event.getAttributes().forEach((k, v) -> eventAttributes.set(k.getKey(), converter.toJson(k.getKey(), v)));
                text = text + " " + eventAttributes;
            }
            notes.add(new SpanRecord.Note(event.getEpochNanos(), converter.cut(text)));
        }
        boolean failed = span.getStatus().getStatusCode() == StatusCode.ERROR;
        if (failed && error == null) {
            error = JsonNodeFactory.instance.objectNode();
            error.putNull("type");
            error.put("message", converter.cut(span.getStatus().getDescription()));
            error.putNull("stack");
        }
        if (!failed && error != null) { // an exception recorded and handled: the span did not fail
            notes.add(new SpanRecord.Note(span.getEndEpochNanos(), "exception " + error.path("type").asText("")
                    + ": " + error.path("message").asText("")));
            error = null;
        }
        List<SpanRecord.Link> edges = new ArrayList<>();
        for (LinkData link : span.getLinks()) {
            String type = link.getAttributes().get(AttributeKey.stringKey("aitrace.edge_type"));
            edges.add(new SpanRecord.Link(type == null ? "link" : type, link.getSpanContext().getTraceId(),
                    link.getSpanContext().getSpanId()));
        }
        SpanContext parent = span.getParentSpanContext();
        Map<String, String> resource = new LinkedHashMap<>();
        for (String key : RESOURCE_KEYS) {
            String value = span.getResource().getAttribute(AttributeKey.stringKey(key));
            if (value != null) {
                resource.put(key, value);
            }
        }
        return new SpanRecord(span.getTraceId(), span.getSpanId(), parent.isValid() ? parent.getSpanId() : null,
                span.getName(), nodeType(raw), span.getKind().name(), span.getStartEpochNanos(),
                ended ? Math.max(span.getEndEpochNanos(), span.getStartEpochNanos() + 1) : 0,
                failed ? "error" : ended ? "ok" : "running", error, attributes, input, output, notes, edges, List.of(),
                resource, raw.get(AttributeKey.stringKey("thread.name")), !parent.isValid() || parent.isRemote());
    }

    /** {@code input.value} (JSON when its mime type says so), else the GenAI messages, else null. */
    private static JsonNode io(Attributes raw, String prefix, String messagesKey, ValueConverter converter) {
        String value = raw.get(AttributeKey.stringKey(prefix + ".value"));
        if (value != null) {
            String mime = raw.get(AttributeKey.stringKey(prefix + ".mime_type"));
            return converter.toJson(mime != null && mime.contains("json") ? parsed(value) : value);
        }
        String messages = raw.get(AttributeKey.stringKey(messagesKey));
        return messages == null ? null : converter.toJson(parsed(messages));
    }

    /** GenAI messages are JSON text in OpenTelemetry attributes: kept as structure, as aitrace writes them. */
    private static Object structured(String key, Object value) {
        if (value instanceof String && (key.equals("gen_ai.input.messages") || key.equals("gen_ai.output.messages")
                || key.equals("gen_ai.system_instructions") || key.equals("gen_ai.tool.definitions"))) {
            return parsed((String) value);
        }
        return value;
    }

    private static Object parsed(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (IOException e) {
            return text;
        }
    }

    private static ObjectNode errorObject(Attributes attributes, ValueConverter converter) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("type", attributes.get(AttributeKey.stringKey("exception.type")));
        error.put("message", converter.cut(attributes.get(AttributeKey.stringKey("exception.message"))));
        error.put("stack", converter.cut(attributes.get(AttributeKey.stringKey("exception.stacktrace"))));
        return error;
    }
}
