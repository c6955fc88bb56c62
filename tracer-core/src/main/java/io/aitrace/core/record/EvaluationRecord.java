package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import io.aitrace.genai.GenAi;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.io.IOException;

/**
 * An evaluation result of a span ({@code gen_ai.evaluation.result}): inside the span's record while the span is
 * open ({@code span.evaluate(...)}), else a record of its own that readers attach to the span, e.g. from an
 * evaluator that scores finished runs:
 * {@code {"v":1,"type":"evaluation","trace_id":…,"span_id":…,"ts":…,"name":…,"score":…,"label":…,"explanation":…}}.
 * Submit it with {@code TracerRuntime.submit}. The name is required; score and label may be null (not both).
 */
public record EvaluationRecord(long epochNanos, String traceId, String spanId, String name, Double score, String label,
        String explanation) implements TraceRecord {

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
        return new EvaluationRecord(epochNanos, traceId, spanId, converter.cut(name), kept, verdict,
                converter.cut(explanation));
    }

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

    /** The evaluation as an entry of a span record's {@code evaluations}: absent fields left out. */
    void writeEntry(JsonGenerator json) throws IOException {
        json.writeStartObject();
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
