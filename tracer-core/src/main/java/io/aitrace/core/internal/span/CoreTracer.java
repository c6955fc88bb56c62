package io.aitrace.core.internal.span;

import io.aitrace.core.TracerRuntime;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.SpanCallable;
import io.aitrace.SpanRunnable;
import io.aitrace.Tracer;
import io.aitrace.helpers.NoopSpan;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.function.Supplier;

/** The tracer of tracer-core: starts {@link RealSpan}s on a {@link TracerRuntime}. */
public final class CoreTracer implements Tracer {
    private final String name;
    private final Supplier<TracerRuntime> runtime;

    public CoreTracer(String name, Supplier<TracerRuntime> runtime) {
        this.name = name;
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Span span(String spanName, NodeType type) {
        return span(spanName, type, SpanKind.INTERNAL);
    }

    @Override
    public Span span(String spanName, NodeType type, SpanKind kind) {
        return start(spanName, type, kind, null, true);
    }

    @Override
    public Span span(String spanName, NodeType type, Span parent) {
        return start(spanName, type, SpanKind.INTERNAL, parent, true);
    }

    @Override
    public Span startSpan(String spanName, NodeType type, SpanKind kind, Span parent) {
        return start(spanName, type, kind, parent, false);
    }

    /** A span under {@code explicitParent} (the current span when null or not one of ours), current or not. */
    private Span start(String spanName, NodeType type, SpanKind kind, Span explicitParent, boolean current) {
        TracerRuntime rt = runtime.get();
        if (rt == null || !rt.enabled()) {
            return NoopSpan.INSTANCE;
        }
        try {
            Context parent = parentContext(rt, spanName, explicitParent);
            if (parent.get(RealSpan.KEY) == null) {
                if (UnsampledSpan.isUnsampled(parent)) {
                    return NoopSpan.INSTANCE; // below a root the sample ratio left out: nothing to make
                }
                if (!rt.sampleNewTrace()) {
                    return current ? new UnsampledSpan(parent) : NoopSpan.INSTANCE;
                }
            }
            return new RealSpan(rt, spanName, type, kind, parent, current);
        } catch (RuntimeException | LinkageError e) {
            rt.reportMisuse("span " + spanName, e);
            return NoopSpan.INSTANCE;
        }
    }

    /**
     * The explicit parent's context when there is one (honoured also when that span ended); else the current
     * context, where an ended aitrace span gives way to its nearest open ancestor, with a hint on stderr.
     */
    private static Context parentContext(TracerRuntime rt, String spanName, Span explicitParent) {
        Context explicit = explicitContext(explicitParent);
        if (explicit != null) {
            return explicit;
        }
        Context current = ScopedContext.current();
        RealSpan holder = current.get(RealSpan.KEY);
        if (holder == null || !holder.isEnded()) {
            return current;
        }
        Context open = RealSpan.nearestOpen(current);
        if (open != current) {
            RealSpan ancestor = open.get(RealSpan.KEY);
            rt.reportEndedParent(spanName, holder.name(), ancestor == null ? null : ancestor.name());
        }
        return open;
    }

    /** The context a span given as parent stands for; null for none (null, a no-op span, a span without IDs). */
    private static Context explicitContext(Span parent) {
        if (parent instanceof RealSpan) {
            return ((RealSpan) parent).context();
        }
        if (parent instanceof RemoteSpan) {
            return ((RemoteSpan) parent).context();
        }
        if (parent instanceof UnsampledSpan) {
            return ((UnsampledSpan) parent).context();
        }
        if (parent == null) {
            return null;
        }
        // Another implementation of Span (a provider of its own, a test double) that carries IDs.
        SpanContext ids = SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(),
                TraceFlags.getSampled(), TraceState.getDefault());
        return ids.isValid() ? Context.root().with(io.opentelemetry.api.trace.Span.wrap(ids)) : null;
    }

    @Override
    public <T, E extends Throwable> T call(String spanName, NodeType type, SpanCallable<T, E> body) throws E {
        return invoke(spanName, type, body, true);
    }

    @Override
    public <E extends Throwable> void run(String spanName, NodeType type, SpanRunnable<E> body) throws E {
        invoke(spanName, type, () -> {
            body.run();
            return null;
        }, false);
    }

    /** Runs the body in a new span; {@code call} records the return value as output, {@code run} leaves it. */
    private <T, E extends Throwable> T invoke(String spanName, NodeType type, SpanCallable<T, E> body,
            boolean returnIsOutput) throws E {
        Span span = span(spanName, type, SpanKind.INTERNAL);
        if (span instanceof UnsampledSpan) {
            try {
                return ScopedContext.call(((UnsampledSpan) span).context(), body);
            } finally {
                span.close();
            }
        }
        if (!(span instanceof RealSpan)) {
            return body.call();
        }
        RealSpan real = (RealSpan) span;
        try {
            T result = ScopedContext.call(real.context(), body);
            if (returnIsOutput) {
                real.output(result);
            }
            return result;
        } catch (Throwable failure) {
            real.error(failure);
            throw failure;
        } finally {
            real.close();
        }
    }

    @Override
    public Span currentSpan() {
        // The nearest aitrace span, also when a span of other OTel instrumentation is nested inside it.
        RealSpan span = RealSpan.nearestOpen(ScopedContext.current()).get(RealSpan.KEY);
        return span == null || span.isEnded() ? NoopSpan.INSTANCE : span;
    }

    @Override
    public void flush() {
        TracerRuntime rt = runtime.get();
        if (rt != null) {
            rt.flush();
        }
    }

    @Override
    public String toString() {
        return "Tracer " + name;
    }
}
