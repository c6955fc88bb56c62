package io.aitrace.app;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanCallable;
import io.aitrace.SpanRunnable;
import io.aitrace.Tracer;
import io.aitrace.helpers.NoopSpan;
import io.aitrace.spi.TracerServiceProvider;
import java.util.concurrent.Callable;

/** A test provider whose tracers print {@code "<provider> traced <span name>"} for every span they start. */
public abstract class MarkingProvider implements TracerServiceProvider {

    @Override
    public Tracer getTracer(String name) {
        return new MarkingTracer(getClass().getSimpleName(), name);
    }

    @Override
    public Runnable wrap(Runnable task) {
        return task;
    }

    @Override
    public <T> Callable<T> wrap(Callable<T> task) {
        return task;
    }

    private static final class MarkingTracer implements Tracer {
        private final String provider;
        private final String name;

        MarkingTracer(String provider, String name) {
            this.provider = provider;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Span span(String spanName, NodeType type) {
            System.out.println(provider + " traced " + spanName);
            return NoopSpan.INSTANCE;
        }

        @Override
        public <T, E extends Throwable> T call(String spanName, NodeType type, SpanCallable<T, E> body) throws E {
            System.out.println(provider + " traced " + spanName);
            return body.call();
        }

        @Override
        public <E extends Throwable> void run(String spanName, NodeType type, SpanRunnable<E> body) throws E {
            System.out.println(provider + " traced " + spanName);
            body.run();
        }

        @Override
        public Span currentSpan() {
            return NoopSpan.INSTANCE;
        }

        @Override
        public void flush() {
        }
    }
}
