package io.aitrace.helpers;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanCallable;
import io.aitrace.SpanRunnable;
import io.aitrace.Tracer;

/** The tracer that records nothing but still runs the code it is given. */
public final class NoopTracer implements Tracer {
    private final String name;

    public NoopTracer(String name) {
        this.name = name;
    }

    @Override public String name() { return name; }
    @Override public Span span(String name, NodeType type) { return NoopSpan.INSTANCE; }

    @Override
    public <T, E extends Throwable> T call(String name, NodeType type, SpanCallable<T, E> body) throws E {
        return body.call();
    }

    @Override
    public <E extends Throwable> void run(String name, NodeType type, SpanRunnable<E> body) throws E {
        body.run();
    }

    @Override public Span currentSpan() { return NoopSpan.INSTANCE; }
    @Override public void flush() { }
}
