package io.aitrace;

/**
 * A body of work with no result, for {@link Tracer#run}. It may throw what the code inside throws.
 *
 * @param <E> the exception thrown, inferred from the lambda
 */
@FunctionalInterface
public interface SpanRunnable<E extends Throwable> {
    void run() throws E;
}
