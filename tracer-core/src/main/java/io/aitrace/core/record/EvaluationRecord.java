package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import io.aitrace.genai.GenAi;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.io.IOException;

/**
 * An evaluation result of a span ({@code gen_ai.evaluation.result}): inside the span's record while the span is
 * open, else a record of its own ({@code "type":"evaluation"}) that readers attach to the span.
 *
 * @param score a finite number, or null
 * @param label the verdict, or null; a score or a label is always present
 */
public record EvaluationRecord(String traceId, String spanId, long epochNanos, String name, Double score,
        String label, String explanation) implements TraceRecord {

    /**
     * An evaluation with its text cut to the configured length, or null when it says nothing: no name, or
     * neither a finite score nor a label.
     */
    public static EvaluationRecord of(String traceId, String spanId, long epochNanos, String name, Double score,
            String label, String explanation, ValueConverter converter) {
        Double kept = score == null || !Double.isFinite(score) ? null : score;
        String verdict = label == null || label.isBlank() ? null : converter.cut(label);
        if (name == null || name.isBlank() || kept == null && verdict == null) {
            return null;
        }
        return new EvaluationRecord(traceId, spanId, epochNanos, converter.cut(name), kept, verdict,
                converter.cut(explanation));
    }

    @Override
    public void writeTo(JsonGenerator json) throws IOException {
        writeFields(json, true);
    }

    /** The evaluation as an object: a whole record, or (without IDs) an entry of a span's {@code evaluations}. */
    void writeFields(JsonGenerator json, boolean record) throws IOException {
        json.writeStartObject();
        if (record) {
            json.writeNumberField("v", 1);
            json.writeStringField("type", "evaluation");
            json.writeStringField("trace_id", traceId);
            json.writeStringField("span_id", spanId);
        }
        json.writeStringField("ts", Timestamps.formatEpochNanos(epochNanos));
        json.writeStringField("name", name);
        if (score != null) {
            json.writeNumberField("score", score);
        }
        if (label != null) {
            json.writeStringField("label", label);
        }
        if (explanation != null) {
            json.writeStringField("explanation", explanation);
        }
        json.writeEndObject();
    }

    /** The attributes of the OpenTelemetry event, as the GenAI conventions name them. */
    public Attributes otelAttributes() {
        AttributesBuilder attributes = Attributes.builder().put(GenAi.EVALUATION_NAME, name);
        if (score != null) {
            attributes.put(GenAi.EVALUATION_SCORE_VALUE, score);
        }
        if (label != null) {
            attributes.put(GenAi.EVALUATION_SCORE_LABEL, label);
        }
        if (explanation != null) {
            attributes.put(GenAi.EVALUATION_EXPLANATION, explanation);
        }
        return attributes.build();
    }
}
