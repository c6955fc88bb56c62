package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * An evaluation result for a span written before, e.g. by an evaluator that scores finished runs:
 * {@code {"v":1,"type":"evaluation","trace_id":…,"span_id":…,"ts":…,"name":…,"score":…,"label":…,"explanation":…}}.
 * Submit it with {@code TracerRuntime.submit}. The name is required; score and label may be null.
 */
public record EvaluationRecord(long epochNanos, String traceId, String spanId, String name, Double score, String label,
        String explanation) implements TraceRecord {

    @Override
    public void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("v", 1);
        json.writeStringField("type", "evaluation");
        json.writeStringField("trace_id", traceId);
        json.writeStringField("span_id", spanId);
        json.writeStringField("ts", Timestamps.formatEpochNanos(epochNanos));
        json.writeStringField("name", name);
        if (score == null) {
            json.writeNullField("score");
        } else {
            json.writeNumberField("score", score);
        }
        json.writeStringField("label", label);
        json.writeStringField("explanation", explanation);
        json.writeEndObject();
    }
}
