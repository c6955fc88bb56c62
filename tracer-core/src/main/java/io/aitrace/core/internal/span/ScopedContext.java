package io.aitrace.core.internal.span;

import io.aitrace.SpanCallable;
import io.opentelemetry.context.Context;

/**
 * Where the current span lives. On Java 17 to 24 that is OpenTelemetry's thread-local {@link Context}.
 * The Java 25 version of this class (META-INF/versions/25) also binds the context with a
 * {@code ScopedValue} around {@code call}/{@code run} bodies, so threads forked in a
 * {@code StructuredTaskScope} see their parent span.
 */
public final class ScopedContext {
    private ScopedContext() {
    }

    /** The context new spans take their parent from. */
    public static Context current() {
        return Context.current();
    }

    /** Runs the body with the context bound (it is already current on this thread). */
    static <T, E extends Throwable> T call(Context context, SpanCallable<T, E> body) throws E {
        return body.call();
    }

    /** True when this class is the ScopedValue version. */
    public static boolean usesScopedValue() {
        return false;
    }
}
