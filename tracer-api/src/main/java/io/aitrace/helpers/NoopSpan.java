package io.aitrace.helpers;

import io.aitrace.EdgeType;
import io.aitrace.Span;

/**
 * The span that records nothing: what every call returns when no provider is bound. Providers may extend it
 * for spans that record nothing but still have a life of their own (as SLF4J's {@code NOPLogger} allows).
 */
public class NoopSpan implements Span {
    public static final NoopSpan INSTANCE = new NoopSpan();

    /** For providers' own non-recording spans; everyone else uses {@link #INSTANCE}. */
    protected NoopSpan() {
    }

    @Override public Span attribute(String key, Object value) { return this; }
    @Override public Span inheritableAttribute(String key, Object value) { return this; }
    @Override public Span input(String key, Object value) { return this; }
    @Override public Span input(Object input) { return this; }
    @Override public Span output(String key, Object value) { return this; }
    @Override public Span output(Object output) { return this; }
    @Override public Span annotate(String text) { return this; }
    @Override public Span edge(EdgeType type, Span other) { return this; }
    @Override public Span edge(EdgeType type, String traceId, String spanId) { return this; }
    @Override public Span error(Throwable error) { return this; }
    @Override public Span error(String message) { return this; }
    @Override public Span snapshot() { return this; }
    @Override public String traceId() { return ""; }
    @Override public String spanId() { return ""; }
    @Override public boolean isRecording() { return false; }
    @Override public boolean isEnded() { return false; }
    @Override public void close() { }

    @Override
    public String toString() {
        return "NoopSpan";
    }
}
