package io.aitrace.core;

import io.aitrace.core.internal.span.RealSpan;
import io.aitrace.core.internal.span.ScopedContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

/**
 * The IDs of the span current on this thread, for integrations such as logging that stamp them on their
 * own events.
 *
 * <pre>{@code SpanIds ids = SpanIds.current(); if (ids != null) mdc.put("trace_id", ids.traceId());}</pre>
 *
 * @param traceId 32 lowercase hex digits
 * @param spanId 16 lowercase hex digits
 * @param parentSpanId the parent's span ID when the current span is an aitrace span with a parent, else null
 * @param traceFlags W3C trace flags as two hex digits: bit 0x01 is "sampled", 0x02 "random trace ID"
 */
public record SpanIds(String traceId, String spanId, String parentSpanId, String traceFlags) {
    /**
     * The context last asked about and its IDs. A context never changes, so while its aitrace span is open the
     * answer stays the same: logging many lines inside one span reads the IDs once and allocates nothing. One
     * entry for all threads: a thread that finds another's context here just computes its own.
     */
    private static volatile Latest latest;

    /**
     * The IDs of the current span (aitrace's or any other OpenTelemetry span), or null when none is current. An
     * aitrace span that ended on another thread while current here is passed over for its nearest open ancestor.
     * Asked again in the same context, it returns the same instance.
     */
    public static SpanIds current() {
        Context context = ScopedContext.current();
        Latest last = latest;
        if (last != null && last.context == context && stillOpen(context)) {
            return last.ids;
        }
        Context open = RealSpan.nearestOpen(context);
        SpanIds ids = of(open);
        if (open == context) {
            latest = new Latest(context, ids);
        }
        return ids;
    }

    /** True when the aitrace span of {@code context} (if any) has not ended: then the context is its own nearest open one. */
    private static boolean stillOpen(Context context) {
        RealSpan span = context.get(RealSpan.KEY);
        return span == null || !span.isEnded();
    }

    private static SpanIds of(Context context) {
        SpanContext ids = Span.fromContext(context).getSpanContext();
        if (!ids.isValid()) {
            return null;
        }
        RealSpan span = context.get(RealSpan.KEY);
        String parent = span != null && span.spanId().equals(ids.getSpanId()) ? span.parentSpanId() : null;
        return new SpanIds(ids.getTraceId(), ids.getSpanId(), parent, ids.getTraceFlags().asHex());
    }

    private record Latest(Context context, SpanIds ids) {
    }
}
