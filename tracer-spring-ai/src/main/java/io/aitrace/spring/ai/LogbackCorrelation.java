package io.aitrace.spring.ai;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.aitrace.core.SpanIds;
import io.aitrace.logback.TraceAppender;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Logback without a {@code logback.xml} of the application's: the IDs of the span current on the logging
 * thread go into the MDC as {@code traceId} and {@code spanId} (the keys of Spring Boot's correlation pattern,
 * shown in its default console lines), and every line logged inside a span becomes a {@code log} record under
 * that span ({@link TraceAppender} on the root logger). Removed again when the application context closes.
 */
final class LogbackCorrelation implements InitializingBean, DisposableBean {
    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";

    private final LoggerContext loggerContext;
    private final boolean recordLogs;
    private final IdsFilter filter = new IdsFilter();
    private TraceAppender appender;

    LogbackCorrelation(LoggerContext loggerContext, boolean recordLogs) {
        this.loggerContext = loggerContext;
        this.recordLogs = recordLogs;
    }

    @Override
    public void afterPropertiesSet() {
        if (loggerContext == null) {
            return; // SLF4J is bound to another logging backend
        }
        filter.setName("aitrace-ids");
        filter.setContext(loggerContext);
        filter.start();
        loggerContext.addTurboFilter(filter);
        if (recordLogs) {
            appender = new TraceAppender();
            appender.setName("aitrace");
            appender.setContext(loggerContext);
            // The IDs are the record's own fields: under these keys they are not repeated among its attrs.
            appender.setTraceIdKey(TRACE_ID);
            appender.setSpanIdKey(SPAN_ID);
            appender.start();
            loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        }
    }

    @Override
    public void destroy() {
        if (loggerContext == null) {
            return;
        }
        loggerContext.getTurboFilterList().remove(filter);
        filter.stop();
        if (appender != null) {
            loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            appender.stop();
        }
    }

    /**
     * Runs on the logging thread before the event is made, so the MDC copy the event takes holds the IDs.
     * The IDs are those of any current OpenTelemetry span, so they agree with what Spring's tracing puts under
     * the same keys.
     */
    static final class IdsFilter extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                Throwable t) {
            try {
                SpanIds ids = SpanIds.current();
                if (ids != null) {
                    MDC.put(TRACE_ID, ids.traceId());
                    MDC.put(SPAN_ID, ids.spanId());
                } else if (MDC.get(TRACE_ID) != null) {
                    MDC.remove(TRACE_ID); // left from a span that ended: a line outside spans shows no IDs
                    MDC.remove(SPAN_ID);
                }
            } catch (RuntimeException | LinkageError e) {
                // Never break a log call.
            }
            return FilterReply.NEUTRAL;
        }
    }
}
