package io.aitrace.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aitrace.core.SpanIds;
import java.util.Map;

/**
 * The MDC key names the span IDs are kept under, shared by the three Logback pieces so that a renamed key in
 * {@link TraceContextAppender} can be named the same way in {@link TraceAppender} and {@link TraceJsonEncoder}.
 */
final class MdcKeys {
    static final String DEFAULT_TRACE_ID = "trace_id";
    static final String DEFAULT_SPAN_ID = "span_id";
    static final String DEFAULT_PARENT_SPAN_ID = "parent_span_id";
    static final String DEFAULT_TRACE_FLAGS = "trace_flags";

    private volatile String traceId = DEFAULT_TRACE_ID;
    private volatile String spanId = DEFAULT_SPAN_ID;
    private volatile String parentSpanId = DEFAULT_PARENT_SPAN_ID;
    private volatile String traceFlags = DEFAULT_TRACE_FLAGS;

    String traceId() {
        return traceId;
    }

    String spanId() {
        return spanId;
    }

    String parentSpanId() {
        return parentSpanId;
    }

    String traceFlags() {
        return traceFlags;
    }

    void traceId(String key) {
        traceId = orDefault(key, DEFAULT_TRACE_ID);
    }

    void spanId(String key) {
        spanId = orDefault(key, DEFAULT_SPAN_ID);
    }

    void parentSpanId(String key) {
        parentSpanId = orDefault(key, DEFAULT_PARENT_SPAN_ID);
    }

    void traceFlags(String key) {
        traceFlags = orDefault(key, DEFAULT_TRACE_FLAGS);
    }

    /** True for the keys this integration owns: they become top-level fields of a log record, not attrs. */
    boolean isIdKey(String key) {
        return key.equals(traceId) || key.equals(spanId) || key.equals(parentSpanId) || key.equals(traceFlags);
    }

    /**
     * The span an event belongs to: the span current on this thread, else the IDs the event's MDC carries
     * (stamped on the logging thread by {@link TraceContextAppender}, so they survive an {@code AsyncAppender}),
     * else null.
     */
    SpanIds of(ILoggingEvent event) {
        SpanIds current = SpanIds.current();
        if (current != null) {
            return current;
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null) {
            return null;
        }
        String trace = mdc.get(traceId);
        String span = mdc.get(spanId);
        if (isBlank(trace) || isBlank(span)) {
            return null;
        }
        String parent = mdc.get(parentSpanId);
        return new SpanIds(trace, span, isBlank(parent) ? null : parent, mdc.get(traceFlags));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String orDefault(String key, String fallback) {
        return key == null || key.isBlank() ? fallback : key.trim();
    }
}
