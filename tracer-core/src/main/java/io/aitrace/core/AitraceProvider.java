package io.aitrace.core;

import io.aitrace.core.internal.span.CoreTracer;
import io.aitrace.core.internal.span.ScopedContext;
import io.aitrace.Tracer;
import io.aitrace.spi.TracerServiceProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;

/**
 * The provider {@link io.aitrace.TracerFactory} finds when tracer-core is on the class path. Its tracers use
 * the global {@link TracerRuntime}; executor tasks carry the OpenTelemetry context of the submitting thread.
 */
public final class AitraceProvider implements TracerServiceProvider {

    @Override
    public Tracer getTracer(String name) {
        return new CoreTracer(name, TracerRuntime::global);
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
