package io.aitrace.core.internal.span;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The IDs of a span aitrace makes without an OpenTelemetry SDK span (when no application SDK was given): what
 * the SDK's random ID generator and its default parent-based, always-on sampler would give. A new trace ID
 * unless the parent has a valid one; the parent's sampled flag and trace state carried on; a root is sampled.
 */
final class SpanIdentity {
    private SpanIdentity() {
    }

    /** The IDs of a new span under {@code parent} (the parent's span context; invalid for a root). */
    static SpanContext childOf(SpanContext parent) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long spanId;
        do {
            spanId = random.nextLong();
        } while (spanId == 0);
        if (parent.isValid()) {
            return SpanContext.create(parent.getTraceId(), SpanId.fromLong(spanId),
                    parent.isSampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), parent.getTraceState());
        }
        long high = random.nextLong();
        long low;
        do {
            low = random.nextLong();
        } while (low == 0);
        return SpanContext.create(TraceId.fromLongs(high, low), SpanId.fromLong(spanId), TraceFlags.getSampled(),
                io.opentelemetry.api.trace.TraceState.getDefault());
    }
}
