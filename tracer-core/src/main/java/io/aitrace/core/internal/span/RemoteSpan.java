package io.aitrace.core.internal.span;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.helpers.NoopSpan;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Map;

/**
 * A span of another process, read from propagation headers by {@code Tracing.extract}: records nothing, but
 * carries the caller's IDs (and, with {@code aitrace.propagate.baggage=true}, the inheritable attributes it
 * sent) so that a span started under it continues the caller's trace.
 */
final class RemoteSpan extends NoopSpan {
    /** Present in a context below a remote span, for the attributes it brought. */
    private static final ContextKey<RemoteSpan> KEY = ContextKey.named("aitrace-remote-span");

    private final Context context;
    private final SpanContext ids;
    private final Map<String, JsonNode> inheritable;

    RemoteSpan(SpanContext ids, Map<String, JsonNode> inheritable) {
        this.ids = ids;
        this.inheritable = Map.copyOf(inheritable);
        this.context = Context.root().with(io.opentelemetry.api.trace.Span.wrap(ids)).with(KEY, this);
    }

    Context context() {
        return context;
    }

    /** The inheritable attributes a remote parent in {@code context} brought as baggage; empty when none. */
    static Map<String, JsonNode> inheritableIn(Context context) {
        RemoteSpan remote = context.get(KEY);
        return remote == null ? Map.of() : remote.inheritable;
    }

    /** Makes the caller's span current: spans started inside continue its trace, as with an explicit parent. */
    @Override
    public io.aitrace.Scope makeCurrent() {
        return SpanScope.open(context);
    }

    @Override public String traceId() { return ids.getTraceId(); }
    @Override public String spanId() { return ids.getSpanId(); }

    @Override
    public String toString() {
        return "Span (remote) [" + ids.getTraceId() + "/" + ids.getSpanId() + "]";
    }
}
