package io.aitrace.core.record;

import io.aitrace.core.TracerRuntime;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * A log line of the record format ({@code "type":"log"}), made by a logging integration and submitted with
 * {@link TracerRuntime#submit(TraceRecord)}. IDs are null for a line logged outside any span.
 *
 * @param attrs converted (and masked) values; use {@link TracerRuntime#converter()}
 * @param exception the error object ({@link ValueConverter#errorObject(Throwable)}), or null
 */
public record LogRecord(long epochNanos, String level, String logger, String event, String traceId, String spanId,
        String parentSpanId, String thread, Map<String, JsonNode> attrs, ObjectNode exception)
        implements TraceRecord {

    @Override
    public void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("v", 1);
        json.writeStringField("type", "log");
        json.writeStringField("timestamp", Timestamps.formatEpochNanos(epochNanos));
        json.writeStringField("level", level);
        json.writeStringField("logger", logger);
        json.writeStringField("event", event);
        json.writeStringField("trace_id", traceId);
        json.writeStringField("span_id", spanId);
        json.writeStringField("parent_span_id", parentSpanId);
        json.writeStringField("thread", thread);
        json.writeObjectFieldStart("attrs");
        if (attrs != null) {
            for (Map.Entry<String, JsonNode> e : attrs.entrySet()) {
                json.writeFieldName(e.getKey());
                JsonTreeEncoder.write(json, e.getValue());
            }
        }
        json.writeEndObject();
        JsonTreeEncoder.writeField(json, "exception", exception);
        json.writeEndObject();
    }
}
