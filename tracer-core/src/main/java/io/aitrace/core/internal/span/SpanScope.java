package io.aitrace.core.internal.span;

import io.aitrace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;

/**
 * A context made current on one thread: what {@code span.makeCurrent()} returns, and what {@code tracer.span(...)}
 * opens for the span itself. Closing restores what it replaced, once, and only on the thread that opened it.
 * Scopes closed out of order, and the scopes of spans that were ended on another thread, are "dead": a closing
 * scope skips every dead scope below it, so no closed scope and no ended span stays current. A scope closed
 * while a live one is still above it changes nothing; the live one skips it when it closes.
 */
final class SpanScope implements io.aitrace.Scope {
    private static final ContextKey<SpanScope> KEY = ContextKey.named("aitrace-scope");

    private final Context attached;
    private final Context previous;
    private final Thread owner;
    /** The span this scope belongs to when opened by {@code tracer.span(...)}: the scope dies when it ends. */
    private final Span ownSpan;
    private final Scope scope;
    private volatile boolean closed;

    private SpanScope(Context context, Span ownSpan) {
        this.attached = context.with(KEY, this);
        this.previous = Context.current();
        this.owner = Thread.currentThread();
        this.ownSpan = ownSpan;
        this.scope = attached.makeCurrent();
    }

    /** Makes {@code context} current on this thread until {@link #close()}. */
    static SpanScope open(Context context) {
        return new SpanScope(context, null);
    }

    /** The scope of a span made current when it starts: it also dies when the span ends, on any thread. */
    static SpanScope openFor(Context context, Span span) {
        return new SpanScope(context, span);
    }

    private boolean dead() {
        return closed || (ownSpan != null && ownSpan.isEnded());
    }

    /** The dead scope of this thread that made {@code context} current, or null. */
    private static SpanScope deadScopeOf(Context context, Thread thread) {
        SpanScope s = context.get(KEY);
        return s != null && s.owner == thread && s.dead() && s.madeCurrent(context) ? s : null;
    }

    /**
     * True when {@code context} is the one this scope made current. Not by identity: the OpenTelemetry Java
     * agent hands back a wrapper of its own for every context. A context made current on top of this one by
     * other instrumentation carries this scope's key too, but another span.
     */
    private boolean madeCurrent(Context context) {
        if (context == attached) {
            return true;
        }
        if (context.get(KEY) != this) {
            return false;
        }
        // By IDs, not equals(): the agent's copy of a span context is a class of its own.
        SpanContext here = io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext();
        SpanContext mine = io.opentelemetry.api.trace.Span.fromContext(attached).getSpanContext();
        return here.getSpanId().equals(mine.getSpanId()) && here.getTraceId().equals(mine.getTraceId());
    }

    @Override
    public void close() {
        Thread thread = Thread.currentThread();
        if (closed || thread != owner) {
            return;
        }
        closed = true;
        try {
            Context current = Context.current();
            Context target = current;
            boolean passed = false;
            for (SpanScope s = deadScopeOf(target, thread); s != null; s = deadScopeOf(target, thread)) {
                passed |= s == this;
                target = s.previous;
            }
            if (!passed) {
                return; // a live scope is above this one: it skips this one when it closes
            }
            if (target == previous && madeCurrent(current)) {
                scope.close();
            } else {
                target.makeCurrent(); // a plain switch: the scopes in between are dead
            }
        } catch (RuntimeException e) {
            // never thrown into the application; the context stays as it was
        }
    }
}
