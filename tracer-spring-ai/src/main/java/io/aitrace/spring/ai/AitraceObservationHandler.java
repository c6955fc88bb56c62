package io.aitrace.spring.ai;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * The observation handler that makes aitrace spans of Spring AI's observations (ChatClient, advisors, chat
 * and embedding models, tool calls, vector stores). The auto-configuration registers it; it handles no other
 * observation.
 */
public class AitraceObservationHandler implements ObservationHandler<Observation.Context> {
    private final ObservationSpans spans;

    AitraceObservationHandler(ObservationSpans spans) {
        this.spans = spans;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return spans.supports(context);
    }

    @Override
    public void onStart(Observation.Context context) {
        spans.onStart(context);
    }

    @Override
    public void onError(Observation.Context context) {
        spans.onError(context);
    }

    @Override
    public void onScopeOpened(Observation.Context context) {
        spans.onScopeOpened(context);
    }

    @Override
    public void onScopeClosed(Observation.Context context) {
        spans.onScopeClosed(context);
    }

    @Override
    public void onScopeReset(Observation.Context context) {
        spans.onScopeReset(context);
    }

    @Override
    public void onStop(Observation.Context context) {
        spans.onStop(context);
    }
}
