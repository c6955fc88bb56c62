package io.aitrace.otlp;

import io.aitrace.core.record.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ended span record in the OpenTelemetry SDK's export shape. The mapping (see docs/otlp.md): input and
 * output become the JSON strings {@code input.value} / {@code output.value}, annotations span events named
 * by their text, edges span links with {@code aitrace.edge.type}, the node type {@code aitrace.node.type}, the
 * error an {@code exception} event and an ERROR status. Node and edge type are also written under the names
 * aitrace's own OpenTelemetry spans use ({@code aitrace.node_type}, {@code aitrace.edge_type}), which
 * {@code aitrace serve} reads back.
 */
record OtlpSpan(String getName, SpanKind getKind, SpanContext getSpanContext, SpanContext getParentSpanContext,
        StatusData getStatus, long getStartEpochNanos, long getEndEpochNanos, Attributes getAttributes,
        List<EventData> getEvents, List<LinkData> getLinks, Resource getResource) implements SpanData {

    static final String NODE_TYPE = "aitrace.node.type";
    static final String EDGE_TYPE = "aitrace.edge.type";
    /** The names of {@code RealSpan}'s OpenTelemetry spans and of {@code aitrace serve}'s OTLP reader. */
    static final String NODE_TYPE_SDK = "aitrace.node_type";
    static final String EDGE_TYPE_SDK = "aitrace.edge_type";
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.aitrace");
    private static final TraceFlags SAMPLED = TraceFlags.getSampled();
    private static volatile LastResource lastResource;

    /**
     * The span of an ended {@code "type":"span"} record, with the log events written under it; null for any
     * other record (start, snapshot, log).
     */
    static OtlpSpan fromRecord(JsonNode record, List<EventData> logEvents) {
        if (!"span".equals(record.path("type").asText()) || !record.path("end").isTextual()) {
            return null;
        }
        String traceId = record.path("trace_id").asText("");
        SpanContext context = SpanContext.create(traceId, record.path("span_id").asText(""), SAMPLED,
                TraceState.getDefault());
        if (!context.isValid()) {
            return null;
        }
        String parentId = record.path("parent_span_id").asText("");
        SpanContext parent = parentId.isEmpty() ? SpanContext.getInvalid()
                : SpanContext.create(traceId, parentId, SAMPLED, TraceState.getDefault());
        long start = epochNanos(record.path("start"));
        long end = Math.max(start, epochNanos(record.path("end")));
        JsonNode error = record.path("error");

        AttributesBuilder attributes = Attributes.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.path("attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            put(attributes, e.getKey(), e.getValue());
        }
        String nodeType = record.path("node_type").asText("step").toLowerCase(Locale.ROOT);
        attributes.put(NODE_TYPE, nodeType);
        attributes.put(NODE_TYPE_SDK, nodeType);
        if (!record.path("attributes").has("openinference.span.kind")) {
            attributes.put("openinference.span.kind", openInferenceKind(nodeType));
        }
        putValue(attributes, "input", record.path("input"));
        putValue(attributes, "output", record.path("output"));
        if (record.path("thread").isTextual()) {
            attributes.put("thread.name", record.path("thread").asText());
        }

        List<EventData> events = new ArrayList<>(logEvents);
        for (JsonNode note : record.path("annotations")) {
            events.add(EventData.create(epochNanos(note.path("ts")), note.path("text").asText(""), Attributes.empty()));
        }
        for (JsonNode evaluation : record.path("evaluations")) { // the GenAI conventions' evaluation event
            AttributesBuilder result = Attributes.builder();
            putText(result, io.aitrace.genai.GenAi.EVALUATION_NAME, evaluation.path("name"));
            if (evaluation.path("score").isNumber()) {
                result.put(io.aitrace.genai.GenAi.EVALUATION_SCORE_VALUE, evaluation.path("score").asDouble());
            }
            putText(result, io.aitrace.genai.GenAi.EVALUATION_SCORE_LABEL, evaluation.path("label"));
            putText(result, io.aitrace.genai.GenAi.EVALUATION_EXPLANATION, evaluation.path("explanation"));
            events.add(EventData.create(epochNanos(evaluation.path("ts")), io.aitrace.genai.GenAi.EVALUATION_RESULT,
                    result.build()));
        }
        StatusData status;
        if ("error".equals(record.path("status").asText()) || error.isObject()) {
            String message = error.path("message").asText("");
            status = StatusData.create(StatusCode.ERROR, message);
            AttributesBuilder exception = Attributes.builder();
            putText(exception, "exception.type", error.path("type"));
            putText(exception, "exception.message", error.path("message"));
            putText(exception, "exception.stacktrace", error.path("stack"));
            events.add(EventData.create(end, "exception", exception.build()));
        } else {
            status = "ok".equals(record.path("status").asText()) ? StatusData.ok() : StatusData.unset();
        }

        List<LinkData> links = new ArrayList<>();
        for (JsonNode edge : record.path("edges")) {
            SpanContext target = SpanContext.create(edge.path("trace_id").asText(traceId),
                    edge.path("span_id").asText(""), SAMPLED, TraceState.getDefault());
            if (target.isValid()) {
                String type = edge.path("type").asText("").toLowerCase(Locale.ROOT);
                links.add(LinkData.create(target, Attributes.of(AttributeKey.stringKey(EDGE_TYPE), type,
                        AttributeKey.stringKey(EDGE_TYPE_SDK), type)));
            }
        }

        return new OtlpSpan(record.path("name").asText("unnamed"), kind(record.path("span_kind").asText()),
                context, parent, status, start, end, attributes.build(), List.copyOf(events), List.copyOf(links),
                resource(record.path("resource")));
    }

    /** Nearly every span of a process has the same resource: the last one made is used again. */
    private static Resource resource(JsonNode json) {
        LastResource last = lastResource;
        if (last != null && last.json.equals(json)) {
            return last.resource;
        }
        AttributesBuilder attributes = Attributes.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            put(attributes, e.getKey(), e.getValue());
        }
        Resource resource = Resource.create(attributes.build());
        lastResource = new LastResource(json, resource);
        return resource;
    }

    private record LastResource(JsonNode json, Resource resource) {
    }

    /** A {@code "type":"log"} record as a span event named {@code log}. */
    static EventData logEvent(JsonNode log) {
        AttributesBuilder attributes = Attributes.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = log.path("attrs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            put(attributes, e.getKey(), e.getValue());
        }
        putText(attributes, "log.level", log.path("level"));
        putText(attributes, "log.logger", log.path("logger"));
        putText(attributes, "message", log.path("event"));
        putText(attributes, "thread.name", log.path("thread"));
        JsonNode exception = log.path("exception");
        putText(attributes, "exception.type", exception.path("type"));
        putText(attributes, "exception.message", exception.path("message"));
        putText(attributes, "exception.stacktrace", exception.path("stack"));
        return EventData.create(epochNanos(log.path("timestamp")), "log", attributes.build());
    }

    /** Phoenix and other OpenInference readers group spans by this; it follows the node type. */
    private static String openInferenceKind(String nodeType) {
        switch (nodeType) {
            case "agent": return "AGENT";
            case "llm": return "LLM";
            case "tool": return "TOOL";
            case "retrieval": return "RETRIEVER";
            case "embedding": return "EMBEDDING";
            case "guardrail": return "GUARDRAIL";
            default: return "CHAIN";
        }
    }

    private static SpanKind kind(String name) {
        try {
            return SpanKind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return SpanKind.INTERNAL;
        }
    }

    private static long epochNanos(JsonNode time) {
        Instant instant = Timestamps.parse(time.asText(null));
        return instant == null ? 0 : instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** {@code input.value} as a JSON string and {@code input.mime_type}, as OpenInference readers expect. */
    private static void putValue(AttributesBuilder attributes, String prefix, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        attributes.put(prefix + ".value", value.isTextual() ? value.textValue() : value.toString());
        attributes.put(prefix + ".mime_type", value.isTextual() ? "text/plain" : "application/json");
    }

    private static void putText(AttributesBuilder attributes, String key, JsonNode value) {
        if (value.isTextual()) {
            attributes.put(key, value.textValue());
        }
    }

    /** Scalars and arrays of one scalar type keep their type; anything else becomes a JSON string. */
    static void put(AttributesBuilder attributes, String key, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        if (value.isTextual()) {
            attributes.put(key, value.textValue());
        } else if (value.isBoolean()) {
            attributes.put(key, value.booleanValue());
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            attributes.put(key, value.longValue());
        } else if (value.isNumber()) {
            attributes.put(key, value.doubleValue());
        } else if (value.isArray() && value.size() > 0 && allOf(value, JsonNode::isTextual)) {
            attributes.put(AttributeKey.stringArrayKey(key), items(value, JsonNode::textValue));
        } else if (value.isArray() && value.size() > 0 && allOf(value, JsonNode::isBoolean)) {
            attributes.put(AttributeKey.booleanArrayKey(key), items(value, JsonNode::booleanValue));
        } else if (value.isArray() && value.size() > 0
                && allOf(value, v -> v.isIntegralNumber() && v.canConvertToLong())) {
            attributes.put(AttributeKey.longArrayKey(key), items(value, JsonNode::longValue));
        } else if (value.isArray() && value.size() > 0 && allOf(value, JsonNode::isNumber)) {
            attributes.put(AttributeKey.doubleArrayKey(key), items(value, JsonNode::doubleValue));
        } else {
            attributes.put(key, value.toString());
        }
    }

    private static <T> List<T> items(JsonNode array, java.util.function.Function<JsonNode, T> item) {
        List<T> out = new ArrayList<>(array.size());
        array.forEach(v -> out.add(item.apply(v)));
        return out;
    }

    private static boolean allOf(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode item : array) {
            if (!test.test(item)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean hasEnded() {
        return true;
    }

    @Override
    public int getTotalRecordedEvents() {
        return getEvents.size();
    }

    @Override
    public int getTotalRecordedLinks() {
        return getLinks.size();
    }

    @Override
    public int getTotalAttributeCount() {
        return getAttributes.size();
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return InstrumentationLibraryInfo.create(SCOPE.getName(), null);
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return SCOPE;
    }
}
