package io.aitrace.core.internal.span;

import io.aitrace.SpanCallable;
import io.opentelemetry.context.Context;

/**
 * Java 25+: the current span is OpenTelemetry's thread-local {@link Context}, and inside {@code call}/{@code run}
 * bodies also a {@link ScopedValue}, which threads forked in a {@code StructuredTaskScope} inherit. A thread with
 * no thread-local context (a fork) takes its parent from the scoped value.
 */
public final class ScopedContext {
    private static final ScopedValue<Context> CURRENT = ScopedValue.newInstance();

    private ScopedContext() {
    }

    public static Context current() {
        Context local = Context.current();
        if (local == Context.root() && CURRENT.isBound()) {
            return CURRENT.get();
        }
        return local;
    }

    static <T, E extends Throwable> T call(Context context, SpanCallable<T, E> body) throws E {
        return ScopedValue.where(CURRENT, context).call(body::call);
    }

    public static boolean usesScopedValue() {
        return true;
    }
}
