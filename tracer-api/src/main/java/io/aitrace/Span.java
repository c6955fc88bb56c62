package io.aitrace;

/**
 * One step of an agent run: a node of the execution tree.
 *
 * <pre>{@code
 * try (Span step = tracer.span("classify_intent", NodeType.LLM)) {
 *     step.input("query", query).attribute("gen_ai.request.model", "gpt-4o");
 *     step.output("intent", intent).annotate("High confidence");
 * }
 * }</pre>
 *
 * Every method returns the span, never throws, and is ignored once the span is closed.
 * {@link #close()} ends the span and makes the span that was current before it current again,
 * also when spans are closed out of order or twice. A span may be closed on any thread; a span that
 * ends on another thread than the one that started it should be started with
 * {@link Tracer#startSpan(String, NodeType)}, which does not make it current.
 */
public interface Span extends AutoCloseable {

    /** Sets an attribute on this span. Values are converted as the record format describes. */
    Span attribute(String key, Object value);

    /** Sets an attribute on this span and on every span started below it, on any thread. */
    Span inheritableAttribute(String key, Object value);

    /** Adds one named input. */
    Span input(String key, Object value);

    /** Sets the whole input at once (replaces named inputs given before). */
    Span input(Object input);

    /** Adds one named output. */
    Span output(String key, Object value);

    /** Sets the whole output at once (replaces named outputs given before). */
    Span output(Object output);

    /** Records why something happened, with a timestamp. */
    Span annotate(String text);

    /** Links this span to another span, of this trace or another one. */
    Span edge(EdgeType type, Span other);

    /** Links this span to a span known only by its IDs (lowercase hex). */
    Span edge(EdgeType type, String traceId, String spanId);

    /** Marks the span failed and records the exception. */
    Span error(Throwable error);

    /** Marks the span failed with a message and no exception. */
    Span error(String message);

    /**
     * Sets the OpenTelemetry span kind written to the record ({@link SpanKind#INTERNAL} unless set). Prefer
     * {@link Tracer#span(String, NodeType, SpanKind)}: an OpenTelemetry span's own kind is fixed when it
     * starts, so a kind set later reaches the aitrace records but not the OpenTelemetry span.
     */
    default Span kind(SpanKind kind) {
        return this;
    }

    /**
     * Marks the span failed and ends it, in one call: for spans ended by hand rather than by
     * try-with-resources, such as a span that ends when a future completes. Same as
     * {@link #error(Throwable)} then {@link #close()}; on a closed span it does nothing.
     *
     * <pre>{@code
     * Span call = tracer.startSpan("chat", NodeType.LLM, SpanKind.CLIENT); // not current: it ends elsewhere
     * client.sendAsync(request).whenComplete((reply, e) -> {
     *     if (e != null) call.fail(e); else call.output(reply).close();
     * });
     * }</pre>
     *
     * A {@code catch} clause of a try-with-resources runs after the span closed, too late for
     * {@code error(e)} or {@code fail(e)}: catch inside the block, or use {@code tracer.call(...)}, which
     * records the exception itself.
     */
    default Span fail(Throwable error) {
        error(error);
        close();
        return this;
    }

    /**
     * Makes this span the current one on this thread until the returned scope is closed: for spans started
     * with {@link Tracer#startSpan(String, NodeType)}, which are not current. The span itself stays open when
     * the scope closes; close it where the work ends, on any thread.
     *
     * <pre>{@code
     * Span call = tracer.startSpan("chat", NodeType.LLM, SpanKind.CLIENT);
     * try (Scope scope = call.makeCurrent()) {
     *     future = client.sendAsync(request);         // spans started here are children of "chat"
     * }
     * future.whenComplete((reply, e) -> { if (e != null) call.fail(e); else call.output(reply).close(); });
     * }</pre>
     */
    default Scope makeCurrent() {
        return Scope.noop();
    }

    /**
     * Records an evaluation of this span's work (a {@code gen_ai.evaluation.result}): a name, a score
     * and/or a label, and why. Evaluations made later, by another process, go through
     * {@code POST /api/evaluations} or an {@code evaluation} record instead.
     *
     * <pre>{@code
     * span.evaluate("faithfulness", 0.82, "pass", "grounded in 3 of 3 sources");
     * }</pre>
     */
    default Span evaluate(String name, Double score, String label, String explanation) {
        return this;
    }

    /** Writes the span's current state now, before it ends (for long-running steps). */
    Span snapshot();

    /** The 32-hex-digit trace ID, or an empty string for a no-op span. */
    String traceId();

    /** The 16-hex-digit span ID, or an empty string for a no-op span. */
    String spanId();

    /** False for the no-op span (no provider, tracing disabled, or no span current), true otherwise. */
    boolean isRecording();

    /** True once {@link #close()} ran. */
    boolean isEnded();

    /** Ends the span; later calls on it are ignored. Never throws. */
    @Override
    void close();
}
