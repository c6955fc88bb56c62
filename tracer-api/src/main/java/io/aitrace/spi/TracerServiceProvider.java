package io.aitrace.spi;

import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.helpers.NoopSpan;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What an aitrace provider implements; found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.aitrace.spi.TracerServiceProvider}, or named with
 * {@code -Daitrace.provider=FQCN}. Applications never use this interface.
 */
public interface TracerServiceProvider {

    /** A tracer for this name. Called once per name by {@link io.aitrace.TracerFactory}. */
    Tracer getTracer(String name);

    /** Captures the caller's current span now; the returned task runs with it as current. */
    Runnable wrap(Runnable task);

    /** Captures the caller's current span now; the returned task runs with it as current. */
    <T> Callable<T> wrap(Callable<T> task);

    /** Writes the current span's propagation headers (W3C {@code traceparent}, ...) through {@code setter}. */
    default void inject(BiConsumer<String, String> setter) {
    }

    /** A non-recording span carrying a caller's IDs read through {@code getter}; a no-op span if there are none. */
    default Span extract(Function<String, String> getter) {
        return NoopSpan.INSTANCE;
    }
}
