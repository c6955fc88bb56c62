package io.aitrace.core.internal.span;

import io.aitrace.core.record.SpanRecord;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.util.Objects;
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
            return new Ids(parent.getTraceId(), SpanId.fromLong(spanId),
                    parent.isSampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), parent.getTraceState(),
                    numbersUnder(parent, spanId));
        }
        long high = random.nextLong();
        long low;
        do {
            low = random.nextLong();
        } while (low == 0);
        return new Ids(TraceId.fromLongs(high, low), SpanId.fromLong(spanId), TraceFlags.getSampled(),
                TraceState.getDefault(), new SpanRecord.IdNumbers(high, low, spanId, 0));
    }

    /** The numbers of aitrace's own IDs ({@link #childOf}); null for IDs made elsewhere (the application's SDK). */
    static SpanRecord.IdNumbers numbersOf(SpanContext ids) {
        return ids instanceof Ids own ? own.numbers : null;
    }

    /** A child's numbers: the parent's trace numbers (read from its hex once when it came from elsewhere). */
    private static SpanRecord.IdNumbers numbersUnder(SpanContext parent, long spanId) {
        if (parent instanceof Ids own && own.numbers != null) {
            return new SpanRecord.IdNumbers(own.numbers.traceHigh(), own.numbers.traceLow(), spanId,
                    own.numbers.span());
        }
        String trace = parent.getTraceId();
        String span = parent.getSpanId();
        if (trace.length() != 32 || span.length() != 16 || !lowerHex(trace) || !lowerHex(span)) {
            return null;
        }
        return new SpanRecord.IdNumbers(Long.parseUnsignedLong(trace, 0, 16, 16),
                Long.parseUnsignedLong(trace, 16, 32, 16), spanId, Long.parseUnsignedLong(span, 0, 16, 16));
    }

    private static boolean lowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Valid IDs by construction (hex from non-zero random numbers, or the parent's valid trace ID), so unlike
     * {@link SpanContext#create} they are not checked digit by digit again, nor on each {@code isValid()}.
     */
    private static final class Ids implements SpanContext {
        private final String traceId;
        private final String spanId;
        private final TraceFlags flags;
        private final TraceState state;
        /** The numbers the IDs are the hex of, the parent's span included; null when they could not be read. */
        private final SpanRecord.IdNumbers numbers;

        Ids(String traceId, String spanId, TraceFlags flags, TraceState state, SpanRecord.IdNumbers numbers) {
            this.traceId = traceId;
            this.spanId = spanId;
            this.flags = flags;
            this.state = state;
            this.numbers = numbers;
        }

        @Override public String getTraceId() { return traceId; }
        @Override public String getSpanId() { return spanId; }
        @Override public TraceFlags getTraceFlags() { return flags; }
        @Override public TraceState getTraceState() { return state; }
        @Override public boolean isRemote() { return false; }
        @Override public boolean isValid() { return true; }

        /** Equal to any span context with the same values, as OpenTelemetry's own are to each other. */
        @Override
        public boolean equals(Object o) {
            return o instanceof SpanContext other && traceId.equals(other.getTraceId())
                    && spanId.equals(other.getSpanId()) && flags.equals(other.getTraceFlags())
                    && state.equals(other.getTraceState()) && !other.isRemote() && other.isValid();
        }

        @Override
        public int hashCode() {
            return Objects.hash(traceId, spanId, flags, state);
        }

        @Override
        public String toString() {
            return "SpanContext{traceId=" + traceId + ", spanId=" + spanId + ", traceFlags=" + flags
                    + ", traceState=" + state + ", remote=false, valid=true}";
        }
    }
}
