package io.aitrace.core;

import io.aitrace.Span;
import io.aitrace.core.internal.span.CoreTracer;
import io.aitrace.core.internal.span.ScopedContext;
import io.aitrace.Tracer;
import io.aitrace.spi.TracerServiceProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The provider {@link io.aitrace.TracerFactory} finds when tracer-core is on the class path. Its tracers use
 * the global {@link TracerRuntime}; executor tasks carry the OpenTelemetry context of the submitting thread;
 * {@code Tracing.inject}/{@code extract} speak W3C Trace Context.
 */
public final class AitraceProvider implements TracerServiceProvider {

    @Override
    public Tracer getTracer(String name) {
        return new CoreTracer(name, TracerRuntime::global);
    }

    @Override
    public void inject(BiConsumer<String, String> setter) {
        TracerRuntime.global().inject(setter);
    }

    @Override
    public Span extract(Function<String, String> getter) {
        return TracerRuntime.global().extract(getter);
    }

    @Override
    public Runnable wrap(Runnable task) {
        Context captured = ScopedContext.current();
        return () -> {
            try (Scope ignored = captured.makeCurrent()) {
                task.run();
            }
        };
    }

    @Override
    public <T> Callable<T> wrap(Callable<T> task) {
        Context captured = ScopedContext.current();
        return () -> {
            try (Scope ignored = captured.makeCurrent()) {
                return task.call();
            }
        };
    }
}
