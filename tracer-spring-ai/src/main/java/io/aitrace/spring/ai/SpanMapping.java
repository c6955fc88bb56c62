package io.aitrace.spring.ai;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.micrometer.observation.Observation;

/**
 * How one kind of Spring AI observation becomes an aitrace span: its node type, its name, and what it writes
 * when the observation starts and stops. One mapping per observation context type, so that a context class
 * missing from the class path (no ChatClient, no vector store) is never loaded.
 *
 * @param <C> the observation context type
 */
interface SpanMapping<C extends Observation.Context> {

    /** The context type this mapping handles. */
    Class<C> contextType();

    NodeType nodeType(C context);

    default SpanKind spanKind(C context) {
        return SpanKind.INTERNAL;
    }

    /**
     * The span name. Micrometer applies a convention's contextual name only when the observation stops, after
     * the span started, so each mapping names its span as Spring AI's default convention does.
     */
    String name(C context);

    /** Writes what is known when the observation starts; content only when {@code content} is true. */
    void started(Span span, C context, boolean content);

    /** Writes what the observation learned by its end (response, tokens, result). */
    void stopped(Span span, C context, boolean content);
}
