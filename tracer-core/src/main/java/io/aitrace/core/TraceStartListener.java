package io.aitrace.core;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

/**
 * Told the ID of each trace that begins in a context carrying it: when a span with no aitrace parent starts
 * (a root, or the first aitrace span under a remote or foreign parent), on the thread that starts it and before
 * any record of that trace reaches a target. It travels with the context, so it hears of traces begun in tasks
 * of a wrapped executor ({@code Tracing.wrap}) too. This is how tracer-test tells which traces a test made when
 * tests run at the same time.
 *
 * <pre>{@code
 * List<String> mine = new CopyOnWriteArrayList<>();
 * try (Scope s = Context.current().with(TraceStartListener.KEY, mine::add).makeCurrent()) {
 *     agent.answer("Weather in Paris?");
 * }
 * }</pre>
 *
 * Keep it quick: it runs on the application's thread. An exception it throws is reported once and ignored.
 */
@FunctionalInterface
public interface TraceStartListener {
    /** Where the listener sits in an OpenTelemetry {@link Context}. */
    ContextKey<TraceStartListener> KEY = ContextKey.named("aitrace-trace-start-listener");

    /** A trace with this ID (32 hex digits) began. */
    void traceStarted(String traceId);
}
