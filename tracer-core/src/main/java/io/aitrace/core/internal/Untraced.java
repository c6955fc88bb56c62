package io.aitrace.core.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;

/**
 * Runs aitrace's own requests to collectors under a parent that is not sampled, so that HTTP client
 * instrumentation in the process (the OpenTelemetry Java agent, a library instrumentation on a parent-based
 * sampler, the default) leaves them out instead of making a trace of every batch aitrace sends. The public
 * suppression key of OpenTelemetry does not cross the Java agent's bridge of the application's context; a
 * parent span does.
 */
public final class Untraced {
    private static final Context UNSAMPLED = Context.root().with(Span.wrap(SpanContext.create(
            "a17ace0000000000000000000000a17a", "a17ace000000a17a", TraceFlags.getDefault(), TraceState.getDefault())));

    private Untraced() {
    }

    public static <T> T call(Supplier<T> request) {
        try (Scope ignored = UNSAMPLED.makeCurrent()) {
            return request.get();
        }
    }
}
