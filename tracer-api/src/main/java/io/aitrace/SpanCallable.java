package io.aitrace;

/**
 * A body of work that returns a value, for {@link Tracer#call}. It may throw what the code inside throws.
 *
 * @param <T> the value returned
 * @param <E> the exception thrown, inferred from the lambda
 */
@FunctionalInterface
public interface SpanCallable<T, E extends Throwable> {
    T call() throws E;
}
