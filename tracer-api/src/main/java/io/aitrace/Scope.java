package io.aitrace;

/**
 * What {@link Span#makeCurrent()} returns: closing it makes current again exactly what the span replaced.
 *
 * <pre>{@code
 * Span call = tracer.startSpan("chat", NodeType.LLM, SpanKind.CLIENT);
 * try (Scope scope = call.makeCurrent()) {
 *     client.sendAsync(request).whenComplete((reply, e) -> {
 *         if (e != null) call.fail(e); else call.output(reply).close();
 *     });
 * }
 * }</pre>
 *
 * {@link #close()} never throws. Closing twice, or on another thread than the one that opened the scope,
 * does nothing. Closed out of order (an inner scope still open), it changes nothing at once; when the inner
 * scope closes it skips this closed one, so the context that was current before both comes back.
 */
public interface Scope extends AutoCloseable {

    /** The scope that restores nothing: what a span that records nothing returns. */
    static Scope noop() {
        return NoopScope.INSTANCE;
    }

    /** Makes current again what the span replaced, if this scope is still current on this thread. Never throws. */
    @Override
    void close();
}
