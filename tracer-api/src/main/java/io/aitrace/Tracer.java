package io.aitrace;

/**
 * Starts spans. Get one per class, as with a logger.
 *
 * <pre>{@code
 * private static final Tracer tracer = TracerFactory.getTracer(WeatherAgent.class);
 *
 * try (Span run = tracer.span("weather_agent", NodeType.AGENT)) {
 *     Forecast f = tracer.call("weather_api", NodeType.TOOL, () -> api.forecast("Paris"));
 * }
 * }</pre>
 */
public interface Tracer {

    /** The name this tracer was created with (usually a class name). */
    String name();

    /**
     * Starts a span as a child of the current span (or a new trace when there is none) and makes it
     * current until it is closed. Use it with try-with-resources; for a span that ends on another thread
     * use {@link #startSpan(String, NodeType)}. A current span that already ended (closed on another thread)
     * is never a parent: the new span goes under its nearest open ancestor, and stderr says so once.
     */
    Span span(String name, NodeType type);

    /**
     * Starts a span with an OpenTelemetry span kind (see {@link SpanKind}); otherwise as
     * {@link #span(String, NodeType)}.
     */
    default Span span(String name, NodeType type, SpanKind kind) {
        return span(name, type).kind(kind);
    }

    /**
     * Starts a span as a child of {@code parent} instead of the current span, and makes it current until it
     * is closed. The parent may be any span: local, ended, or remote ({@link Tracing#extract}); a no-op or
     * null parent means the current span.
     */
    default Span span(String name, NodeType type, Span parent) {
        return span(name, type);
    }

    /**
     * Starts a span as a child of the current span, without making it current: for work that ends on
     * another thread (a future, a callback, a listener). Close it where the work ends; use
     * {@link Span#makeCurrent()} where spans started inside it should be its children.
     *
     * <pre>{@code
     * Span call = tracer.startSpan("chat", NodeType.LLM);
     * client.sendAsync(request).whenComplete((reply, e) -> {
     *     if (e != null) call.fail(e); else call.output(reply).close();
     * });
     * }</pre>
     */
    default Span startSpan(String name, NodeType type) {
        return startSpan(name, type, SpanKind.INTERNAL, null);
    }

    /** As {@link #startSpan(String, NodeType)}, with an OpenTelemetry span kind. */
    default Span startSpan(String name, NodeType type, SpanKind kind) {
        return startSpan(name, type, kind, null);
    }

    /**
     * As {@link #startSpan(String, NodeType)}, as a child of {@code parent} (local, ended or remote; null or a
     * no-op span means the current span).
     */
    default Span startSpan(String name, NodeType type, SpanKind kind, Span parent) {
        return io.aitrace.helpers.NoopSpan.INSTANCE;
    }

    /** Starts a {@link NodeType#STEP} span. */
    default Span span(String name) {
        return span(name, NodeType.STEP);
    }

    /**
     * Runs the body inside a new span: its return value becomes the span's output, an exception
     * marks the span failed and is thrown on unchanged.
     */
    <T, E extends Throwable> T call(String name, NodeType type, SpanCallable<T, E> body) throws E;

    /** Runs the body inside a new span; an exception marks the span failed and is thrown on unchanged. */
    <E extends Throwable> void run(String name, NodeType type, SpanRunnable<E> body) throws E;

    /** The current span on this thread, or a no-op span when there is none. */
    Span currentSpan();

    /** Blocks until the records written so far reached their targets (or a time limit passed). */
    void flush();
}
