package io.aitrace.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.aitrace.core.SpanIds;
import io.aitrace.core.TracerRuntime;

/**
 * Turns each event logged inside a span into a format-v1 {@code log} record on aitrace's own writer, so the
 * line hangs under that span in the same file or collector as the spans. MDC entries and SLF4J 2 key-value
 * pairs become the record's {@code attrs}, a logged exception its error object.
 *
 * <pre>{@code
 * <appender name="TRACE" class="io.aitrace.logback.TraceAppender"/>
 * <root level="INFO"><appender-ref ref="TRACE"/></root>
 * }</pre>
 *
 * <p>Handing a record over never blocks: when the writer's queue is full the record is dropped and counted
 * like any other ({@link TracerRuntime#droppedRecords()}). The span is the one current on the logging thread,
 * or, behind an {@code AsyncAppender}, the one whose IDs {@link TraceContextAppender} put in the event's MDC.
 * Events outside any span are skipped unless {@code <recordOutsideSpans>true</recordOutsideSpans>}, which
 * records them as trace-less lines. Records go to {@link TracerRuntime#global()}, the runtime
 * {@link io.aitrace.TracerFactory}'s tracers use.
 */
public class TraceAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final MdcKeys keys = new MdcKeys();
    private volatile boolean recordOutsideSpans;

    /** When true, events logged outside any span are recorded too, with null IDs. False by default. */
    public void setRecordOutsideSpans(boolean recordOutsideSpans) {
        this.recordOutsideSpans = recordOutsideSpans;
    }

    public boolean isRecordOutsideSpans() {
        return recordOutsideSpans;
    }

    /** The MDC key the trace ID is read from behind an {@code AsyncAppender}; as in {@link TraceContextAppender}. */
    public void setTraceIdKey(String key) {
        keys.traceId(key);
    }

    public void setSpanIdKey(String key) {
        keys.spanId(key);
    }

    public void setParentSpanIdKey(String key) {
        keys.parentSpanId(key);
    }

    public void setTraceFlagsKey(String key) {
        keys.traceFlags(key);
    }

    @Override
    protected void append(ILoggingEvent event) {
        SpanIds ids = keys.of(event);
        if (ids == null && !recordOutsideSpans) {
            return;
        }
        TracerRuntime runtime = TracerRuntime.global();
        runtime.submit(EventRecords.of(event, ids, keys, runtime.converter()));
    }
}
