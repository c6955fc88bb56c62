package io.aitrace.core.internal.span;

import io.aitrace.helpers.NoopSpan;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

/**
 * The root of a trace the sample ratio left out: records nothing, but is current while open so that every
 * descendant, on this thread or one the context is carried to, sees the decision and is left out too. Costs
 * one context and one scope; descendants cost nothing (they are the no-op span).
 */
final class UnsampledSpan extends NoopSpan {
    /** Present in the context below an unsampled root. */
    static final ContextKey<Boolean> KEY = ContextKey.named("aitrace-unsampled");

    private final Context context;
    private final SpanScope scope;
    private volatile boolean ended;

    UnsampledSpan(Context parent) {
        this.context = parent.with(KEY, Boolean.TRUE);
        this.scope = SpanScope.openFor(context, this);
    }

    static boolean isUnsampled(Context context) {
        return context.get(KEY) != null;
    }

    Context context() {
        return context;
    }

    @Override public boolean isEnded() { return ended; }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        scope.close();
    }

    @Override
    public String toString() {
        return "Span (not sampled)";
    }
}
