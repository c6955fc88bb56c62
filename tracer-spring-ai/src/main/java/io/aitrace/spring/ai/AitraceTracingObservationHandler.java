package io.aitrace.spring.ai;

import io.aitrace.Scope;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;

/**
 * The same handler, as a member of Micrometer Tracing's group when Spring's tracing is on (for example with
 * {@code micrometer-tracing-bridge-otel}). Spring Boot calls only the first tracing handler that supports an
 * observation; this one comes first and claims Spring AI's observations, so each of them becomes one span
 * (aitrace's, with content) rather than a second, content-less span from the default tracing handler. Every
 * other observation (HTTP server and client, data access) stays with Spring's handlers.
 */
public final class AitraceTracingObservationHandler extends AitraceObservationHandler
        implements TracingObservationHandler<Observation.Context> {
    private final Tracer tracer;

    AitraceTracingObservationHandler(ObservationSpans spans, Tracer tracer) {
        super(spans);
        this.tracer = tracer;
    }

    @Override
    public Tracer getTracer() {
        return tracer;
    }

    /**
     * Also leaves what Micrometer's other handlers expect of a tracing handler: a {@link TracingContext} whose
     * span is aitrace's span seen through the bridge, so a meter handler's exemplars and a child observation
     * of Spring's tracing (an HTTP client call inside a model call) find it.
     */
    @Override
    public void onStart(Observation.Context context) {
        super.onStart(context);
        try {
            TracingContext tracing = getTracingContext(context);
            ObservationSpans.ObservedSpan observed = context.get(ObservationSpans.ObservedSpan.class);
            if (observed == null || tracing.getSpan() != null) {
                return;
            }
            try (Scope ignored = observed.span.makeCurrent()) {
                Span bridged = tracer.currentSpan();
                if (bridged != null && observed.span.spanId().equals(bridged.context().spanId())) {
                    tracing.setSpan(bridged);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // The span is recorded either way; only the bridge's view of it is missing.
        }
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context context) {
        // Spring AI's observations carry no events aitrace records.
    }
}
