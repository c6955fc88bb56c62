package io.aitrace.otlp;

import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** The span of an ended span record, with the log events written under it; null for an invalid one. */
    static OtlpSpan fromRecord(SpanRecord record, List<EventData> logEvents) {
        String traceId = record.traceId() == null ? "" : record.traceId();
        SpanContext context = SpanContext.create(traceId, record.spanId() == null ? "" : record.spanId(), SAMPLED,
                TraceState.getDefault());
        if (!context.isValid()) {
            return null;
        }
        String parentId = record.parentSpanId();
        SpanContext parent = parentId == null || parentId.isEmpty() ? SpanContext.getInvalid()
                : SpanContext.create(traceId, parentId, SAMPLED, TraceState.getDefault());
        long start = record.startEpochNanos();
        long end = Math.max(start, record.endEpochNanos());
        ObjectNode error = record.error();

        AttributesBuilder attributes = Attributes.builder();
        record.attributes().forEach((key, value) -> put(attributes, key, value));
        String nodeType = (record.nodeType() == null ? "step" : record.nodeType()).toLowerCase(Locale.ROOT);
        attributes.put(NODE_TYPE, nodeType);
        attributes.put(NODE_TYPE_SDK, nodeType);
        if (!record.attributes().containsKey("openinference.span.kind")) {
            attributes.put("openinference.span.kind", openInferenceKind(nodeType));
        }
        putValue(attributes, "input", record.input());
        putValue(attributes, "output", record.output());
        if (record.thread() != null) {
            attributes.put("thread.name", record.thread());
        }

        List<EventData> events = new ArrayList<>(logEvents);
        for (SpanRecord.Note note : record.annotations()) {
            events.add(EventData.create(note.epochNanos(), note.text() == null ? "" : note.text(), Attributes.empty()));
        }
        for (io.aitrace.core.record.EvaluationRecord evaluation : record.evaluations()) { // the GenAI conventions' event
            events.add(EventData.create(evaluation.epochNanos(), io.aitrace.genai.GenAi.EVALUATION_RESULT,
                    evaluation.otelAttributes()));
        }
        StatusData status;
        if ("error".equals(record.status()) || error != null && error.isObject()) {
            JsonNode err = error == null ? MissingNode.getInstance() : error;
            status = StatusData.create(StatusCode.ERROR, err.path("message").asText(""));
            AttributesBuilder exception = Attributes.builder();
            putText(exception, "exception.type", err.path("type"));
            putText(exception, "exception.message", err.path("message"));
            putText(exception, "exception.stacktrace", err.path("stack"));
            events.add(EventData.create(end, "exception", exception.build()));
        } else {
            status = "ok".equals(record.status()) ? StatusData.ok() : StatusData.unset();
        }

        List<LinkData> links = new ArrayList<>();
        for (SpanRecord.Link edge : record.edges()) {
            SpanContext target = SpanContext.create(edge.traceId() == null ? traceId : edge.traceId(),
                    edge.spanId() == null ? "" : edge.spanId(), SAMPLED, TraceState.getDefault());
            if (target.isValid()) {
                String type = edge.type() == null ? "" : edge.type().toLowerCase(Locale.ROOT);
                links.add(LinkData.create(target, Attributes.of(AttributeKey.stringKey(EDGE_TYPE), type,
                        AttributeKey.stringKey(EDGE_TYPE_SDK), type)));
            }
        }

        return new OtlpSpan(record.name() == null ? "unnamed" : record.name(),
                kind(record.spanKind() == null ? "" : record.spanKind()), context, parent, status, start, end,
                attributes.build(), List.copyOf(events), List.copyOf(links), resource(record.resource()));
    }

    /** Nearly every span of a process has the same resource: the last one made is used again. */
    private static Resource resource(Map<String, String> values) {
        LastResource last = lastResource;
        if (last != null && last.values.equals(values)) {
            return last.resource;
        }
        AttributesBuilder attributes = Attributes.builder();
        values.forEach(attributes::put);
        Resource resource = Resource.create(attributes.build());
        lastResource = new LastResource(values, resource);
        return resource;
    }

    private record LastResource(Map<String, String> values, Resource resource) {
    }

    /** A log record as a span event named {@code log}. */
    static EventData logEvent(LogRecord log) {
        AttributesBuilder attributes = Attributes.builder();
        if (log.attrs() != null) {
            log.attrs().forEach((key, value) -> put(attributes, key, value));
        }
        putText(attributes, "log.level", log.level());
        putText(attributes, "log.logger", log.logger());
        putText(attributes, "message", log.event());
        putText(attributes, "thread.name", log.thread());
        JsonNode exception = log.exception() == null ? MissingNode.getInstance() : log.exception();
        putText(attributes, "exception.type", exception.path("type"));
        putText(attributes, "exception.message", exception.path("message"));
        putText(attributes, "exception.stacktrace", exception.path("stack"));
        return EventData.create(log.epochNanos(), "log", attributes.build());
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

    /** {@code input.value} as a JSON string and {@code input.mime_type}, as OpenInference readers expect. */
    private static void putValue(AttributesBuilder attributes, String prefix, JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
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

    private static void putText(AttributesBuilder attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
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
