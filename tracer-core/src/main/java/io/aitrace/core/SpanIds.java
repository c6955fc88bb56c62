package io.aitrace.core;

import io.aitrace.core.internal.span.RealSpan;
import io.aitrace.core.internal.span.ScopedContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

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
     * The IDs of the current span (aitrace's or any other OpenTelemetry span), or null when none is current. An
     * aitrace span that ended on another thread while current here is passed over for its nearest open ancestor.
     */
    public static SpanIds current() {
        io.opentelemetry.context.Context context = RealSpan.nearestOpen(ScopedContext.current());
        SpanContext ids = Span.fromContext(context).getSpanContext();
        if (!ids.isValid()) {
            return null;
        }
        RealSpan span = context.get(RealSpan.KEY);
        String parent = span != null && span.spanId().equals(ids.getSpanId()) ? span.parentSpanId() : null;
        return new SpanIds(ids.getTraceId(), ids.getSpanId(), parent, ids.getTraceFlags().asHex());
    }
}
