package io.aitrace;

/**
 * The OpenTelemetry span kind: how a span relates to other processes. Most agent steps are
 * {@link #INTERNAL} (the default); an LLM or tool call over the network is a {@link #CLIENT}, a request
 * an agent serves is a {@link #SERVER}, a message sent to or taken from a queue {@link #PRODUCER} /
 * {@link #CONSUMER}.
 *
 * <pre>{@code
 * try (Span call = tracer.span("chat gpt-4o", NodeType.LLM, SpanKind.CLIENT)) { ... }
 * }</pre>
 *
 * The record's {@code span_kind} field holds the constant's name.
 */
public enum SpanKind {
    INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

    /** The kind with this name (any case), or {@link #INTERNAL} for null, blank or unknown names. */
    public static SpanKind of(String name) {
        if (name != null) {
            for (SpanKind kind : values()) {
                if (kind.name().equalsIgnoreCase(name.trim())) {
                    return kind;
                }
            }
        }
        return INTERNAL;
    }
}
