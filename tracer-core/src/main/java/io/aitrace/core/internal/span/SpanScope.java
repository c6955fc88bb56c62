package io.aitrace.core.internal.span;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * What {@code span.makeCurrent()} returns. Closing restores exactly what it replaced, and only on the thread
 * that opened it, once, while its context is still current: OpenTelemetry's own scope would restore its
 * predecessor even when closed out of order or on another thread, and so undo other spans' scopes.
 */
final class SpanScope implements io.aitrace.Scope {
    private final Context context;
    private final Scope scope;
    private final Thread owner;
    private boolean closed;

    SpanScope(Context context) {
        this.context = context;
        this.owner = Thread.currentThread();
        this.scope = context.makeCurrent();
    }

    @Override
    public void close() {
        if (closed || Thread.currentThread() != owner) {
            return;
        }
        closed = true;
        if (Context.current() == context) {
            scope.close();
        }
    }
}
