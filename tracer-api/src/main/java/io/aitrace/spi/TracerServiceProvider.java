package io.aitrace.spi;

import io.aitrace.Tracer;
import java.util.concurrent.Callable;

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
}
