package io.aitrace.spring.ai;

import io.aitrace.Scope;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.internal.Diagnostics;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Spring AI observations into aitrace spans: a span starts with its observation (not made current, since
 * observations of streamed calls start and stop on different threads), is current only inside the
 * observation's scopes, and ends with it. The parent is the span of the nearest enclosing observation that has
 * one, else the span current on the thread (an HTTP server span of Spring's tracing, an application's own span).
 *
 * <p>Nothing here throws into the application: a failure is caught and reported once on stderr. An observation
 * stopped without a start, started twice, or stopped on another thread gives a correct span or none.
 */
final class ObservationSpans {
    private final Tracer tracer;
    private final List<SpanMapping<?>> mappings;
    private final boolean captureContent;
    private final AtomicBoolean failureReported = new AtomicBoolean();

    ObservationSpans(Tracer tracer, List<SpanMapping<?>> mappings, boolean captureContent) {
        this.tracer = tracer;
        this.mappings = List.copyOf(mappings);
        this.captureContent = captureContent;
    }

    boolean supports(Observation.Context context) {
        return context != null && mappingFor(context) != null;
    }

    void onStart(Observation.Context context) {
        try {
            SpanMapping<Observation.Context> mapping = mappingFor(context);
            if (mapping == null || context.get(ObservedSpan.class) != null) {
                return; // not ours, or started twice: the first span stands
            }
            Span span = tracer.startSpan(mapping.name(context), mapping.nodeType(context), mapping.spanKind(context),
                    parentOf(context));
            context.put(ObservedSpan.class, new ObservedSpan(span));
            mapping.started(span, context, captureContent);
        } catch (RuntimeException | LinkageError e) {
            report("start", context, e);
        }
    }

    void onError(Observation.Context context) {
        try {
            ObservedSpan observed = context.get(ObservedSpan.class);
            Throwable error = context.getError();
            if (observed != null && error != null) {
                observed.span.error(error);
            }
        } catch (RuntimeException | LinkageError e) {
            report("error", context, e);
        }
    }

    void onScopeOpened(Observation.Context context) {
        withScopes(context, ObservedSpan::open);
    }

    void onScopeClosed(Observation.Context context) {
        withScopes(context, ObservedSpan::closeLast);
    }

    void onScopeReset(Observation.Context context) {
        withScopes(context, ObservedSpan::closeAll);
    }

    private void withScopes(Observation.Context context, java.util.function.Consumer<ObservedSpan> action) {
        try {
            ObservedSpan observed = context.get(ObservedSpan.class);
            if (observed != null) {
                action.accept(observed);
            }
        } catch (RuntimeException | LinkageError e) {
            report("scope", context, e);
        }
    }

    void onStop(Observation.Context context) {
        try {
            SpanMapping<Observation.Context> mapping = mappingFor(context);
            ObservedSpan observed = context.get(ObservedSpan.class);
            if (mapping == null || observed == null || observed.span.isEnded()) {
                return; // never started (or stopped twice): nothing to end
            }
            try {
                Throwable error = context.getError();
                if (error != null) {
                    observed.span.error(error);
                }
                mapping.stopped(observed.span, context, captureContent);
            } finally {
                observed.closeAll();
                observed.span.close();
            }
        } catch (RuntimeException | LinkageError e) {
            report("stop", context, e);
        }
    }

    /** The span of the nearest enclosing observation that has one; null means the thread's current span. */
    private static Span parentOf(Observation.Context context) {
        ObservationView parent = context.getParentObservation();
        for (int depth = 0; parent != null && depth < 64; depth++) {
            Observation.ContextView view = parent.getContextView();
            ObservedSpan observed = view.get(ObservedSpan.class);
            if (observed != null && !observed.span.isEnded()) {
                return observed.span;
            }
            parent = view.getParentObservation();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private SpanMapping<Observation.Context> mappingFor(Observation.Context context) {
        for (SpanMapping<?> mapping : mappings) {
            if (mapping.contextType().isInstance(context)) {
                return (SpanMapping<Observation.Context>) mapping;
            }
        }
        return null;
    }

    private void report(String phase, Observation.Context context, Throwable e) {
        if (failureReported.compareAndSet(false, true)) {
            Diagnostics.warn("internal error in the Spring AI observation handler (" + phase + " of "
                    + (context == null ? "null" : context.getClass().getSimpleName())
                    + "), the application goes on (further ones are not reported)", e);
        }
    }

    /** The span of one observation and the scopes opened on it, per thread. */
    static final class ObservedSpan {
        final Span span;
        private final Map<Thread, Deque<Scope>> scopes = new ConcurrentHashMap<>();

        ObservedSpan(Span span) {
            this.span = span;
        }

        void open() {
            scopes.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>()).push(span.makeCurrent());
        }

        void closeLast() {
            Deque<Scope> mine = scopes.get(Thread.currentThread());
            if (mine != null && !mine.isEmpty()) {
                mine.pop().close();
            }
        }

        void closeAll() {
            Deque<Scope> mine = scopes.remove(Thread.currentThread());
            while (mine != null && !mine.isEmpty()) {
                mine.pop().close();
            }
        }
    }
}
