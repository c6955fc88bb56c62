package io.aitrace.otlp;

import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.genai.GenAi;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;

/**
 * An evaluation recorded after its span was exported, as the GenAI conventions' {@code gen_ai.evaluation.result}
 * event: a log record with that event name, the span's trace and span IDs, and the {@code gen_ai.evaluation.*}
 * attributes (the same attributes the span event of an evaluation made while the span was open carries).
 */
record OtlpEvaluation(Resource getResource, SpanContext getSpanContext, long getTimestampEpochNanos,
        Attributes getAttributes) implements LogRecordData {
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.aitrace");

    /** The log record of the evaluation, or null when its IDs are not valid OpenTelemetry IDs. */
    static OtlpEvaluation of(EvaluationRecord evaluation, Resource resource) {
        SpanContext span = SpanContext.create(evaluation.traceId() == null ? "" : evaluation.traceId(),
                evaluation.spanId() == null ? "" : evaluation.spanId(), TraceFlags.getSampled(),
                TraceState.getDefault());
        if (!span.isValid()) {
            return null;
        }
        return new OtlpEvaluation(resource, span, evaluation.epochNanos(), evaluation.otelAttributes());
    }

    @Override
    public String getEventName() {
        return GenAi.EVALUATION_RESULT;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return SCOPE;
    }

    @Override
    public long getObservedTimestampEpochNanos() {
        return getTimestampEpochNanos;
    }

    @Override
    public Severity getSeverity() {
        return Severity.INFO;
    }

    @Override
    public String getSeverityText() {
        return null;
    }

    @Override
    @SuppressWarnings("deprecation")
    public Body getBody() {
        return Body.empty();
    }

    @Override
    public int getTotalAttributeCount() {
        return getAttributes.size();
    }
}
