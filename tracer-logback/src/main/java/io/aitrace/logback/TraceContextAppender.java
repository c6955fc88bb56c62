package io.aitrace.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import io.aitrace.core.SpanIds;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.spi.MDCAdapter;

/**
 * Adds the current span's {@code trace_id}, {@code span_id}, {@code parent_span_id} (when it has a parent) and
 * {@code trace_flags} to the MDC of every event logged inside a span, then hands the event to the appenders it
 * wraps. The IDs are read on the logging thread and stored in the event itself, so {@code %X{trace_id}} in a
 * pattern, JSON encoders and appenders behind an {@code AsyncAppender} all see them.
 *
 * <pre>{@code
 * <appender name="TRACE_IDS" class="io.aitrace.logback.TraceContextAppender">
 *   <appender-ref ref="CONSOLE"/>
 * </appender>
 * <root level="INFO"><appender-ref ref="TRACE_IDS"/></root>
 * }</pre>
 *
 * <p>The event is changed in place, never wrapped: a proxy or copy of {@code ILoggingEvent} loses caller data
 * ({@code %method}, {@code %line}) and breaks appenders that expect a {@code LoggingEvent}, which is why
 * OpenTelemetry's logback-mdc appender stopped proxying. Events whose MDC already holds the trace ID key are
 * left alone. Key names are set with {@code <traceIdKey>}, {@code <spanIdKey>}, {@code <parentSpanIdKey>} and
 * {@code <traceFlagsKey>}.
 */
public class TraceContextAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {
    /** Only for events whose MDC map an earlier appender already fixed (Logback sets it at most once). */
    private static final Field MDC_MAP = mdcMapField();

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final MdcKeys keys = new MdcKeys();
    private final AtomicBoolean cannotStampReported = new AtomicBoolean();
    /**
     * The map made for the last event: the next event in the same span with the same thread MDC gets it again.
     * Both are immutable, so one entry serves all threads; a thread that finds another's here makes its own.
     */
    private volatile Stamp last;

    public void setTraceIdKey(String key) {
        keys.traceId(key);
        last = null;
    }

    public void setSpanIdKey(String key) {
        keys.spanId(key);
        last = null;
    }

    public void setParentSpanIdKey(String key) {
        keys.parentSpanId(key);
        last = null;
    }

    public void setTraceFlagsKey(String key) {
        keys.traceFlags(key);
        last = null;
    }

    public String getTraceIdKey() {
        return keys.traceId();
    }

    public String getSpanIdKey() {
        return keys.spanId();
    }

    public String getParentSpanIdKey() {
        return keys.parentSpanId();
    }

    public String getTraceFlagsKey() {
        return keys.traceFlags();
    }

    @Override
    public void start() {
        if (!appenders.iteratorForAppenders().hasNext()) {
            addWarn("No appender is attached to [" + getName() + "]; add an <appender-ref> inside it");
        }
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        appenders.detachAndStopAllAppenders();
    }

    @Override
    protected void append(ILoggingEvent event) {
        SpanIds ids = SpanIds.current();
        if (ids != null) {
            stamp(event, ids);
        }
        appenders.appendLoopOnAppenders(event);
    }

    private void stamp(ILoggingEvent event, SpanIds ids) {
        if (!(event instanceof LoggingEvent)) {
            reportOnce("events of type " + event.getClass().getName() + " cannot be given trace IDs; put ["
                    + getName() + "] before any appender that wraps events");
            return;
        }
        LoggingEvent loggingEvent = (LoggingEvent) event;
        Map<String, String> threadMdc = threadMdc();
        if (threadMdc != null) {
            if (threadMdc.containsKey(keys.traceId())) {
                return;
            }
            try {
                // The event's MDC map is created lazily from the thread's MDC; set it first, with the IDs added.
                loggingEvent.setMDCPropertyMap(withIds(threadMdc, ids));
                return;
            } catch (IllegalStateException alreadySet) {
                // An appender before this one read the MDC already: fall through.
            }
        }
        Map<String, String> eventMdc = event.getMDCPropertyMap();
        if (eventMdc != null && eventMdc.containsKey(keys.traceId())) {
            return;
        }
        if (MDC_MAP == null) {
            reportOnce("an appender before [" + getName() + "] read the MDC of the event; put [" + getName()
                    + "] first so that its IDs reach the MDC");
            return;
        }
        try {
            MDC_MAP.set(loggingEvent, withIds(eventMdc, ids));
        } catch (IllegalAccessException | RuntimeException e) {
            reportOnce("cannot add trace IDs to the MDC of an event: " + e);
        }
    }

    /** The thread's MDC as Logback would copy it into the event; null when the context has no MDC adapter. */
    private Map<String, String> threadMdc() {
        if (!(getContext() instanceof LoggerContext)) {
            return null;
        }
        MDCAdapter adapter = ((LoggerContext) getContext()).getMDCAdapter();
        if (adapter == null) {
            return null;
        }
        Map<String, String> map = adapter instanceof LogbackMDCAdapter
                ? ((LogbackMDCAdapter) adapter).getPropertyMap() : adapter.getCopyOfContextMap();
        return map == null ? Collections.emptyMap() : map;
    }

    private Map<String, String> withIds(Map<String, String> mdc, SpanIds ids) {
        Stamp stamp = last;
        if (stamp != null && stamp.mdc == mdc && stamp.ids.equals(ids)) {
            return stamp.withIds;
        }
        Map<String, String> withIds = MdcWithIds.of(mdc, ids, keys);
        last = new Stamp(ids, mdc, withIds);
        return withIds;
    }

    /** The IDs and the thread MDC an event's map was made of, and the map. */
    private record Stamp(SpanIds ids, Map<String, String> mdc, Map<String, String> withIds) {
    }

    private void reportOnce(String message) {
        if (cannotStampReported.compareAndSet(false, true)) {
            addWarn(message + " (further cases are not reported)");
        }
    }

    private static Field mdcMapField() {
        try {
            Field field = LoggingEvent.class.getDeclaredField("mdcPropertyMap");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A newer Logback, or logback-classic on the module path: events are stamped only when this
            // appender comes first, which the warning above says.
            return null;
        }
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
