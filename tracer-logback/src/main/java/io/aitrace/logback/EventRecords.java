package io.aitrace.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.SpanIds;
import io.aitrace.core.record.ValueConverter;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/** Makes the format-v1 {@code log} record of a Logback event; {@link TraceAppender} and {@link TraceJsonEncoder} share it. */
final class EventRecords {
    private EventRecords() {
    }

    /**
     * The record of {@code event}, in span {@code ids} (null for a trace-less line). MDC entries, then SLF4J 2
     * key-value pairs (which win on a clash), become {@code attrs}; the ID keys are left out of them because
     * they are the record's own fields.
     */
    static LogRecord of(ILoggingEvent event, SpanIds ids, MdcKeys keys, ValueConverter converter) {
        Map<String, JsonNode> attrs = new LinkedHashMap<>();
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                if (e.getKey() != null && !keys.isIdKey(e.getKey())) {
                    attrs.put(e.getKey(), converter.toJson(e.getKey(), e.getValue()));
                }
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                String key = String.valueOf(pair.key);
                attrs.put(key, converter.toJson(key, pair.value));
            }
        }
        return new LogRecord(epochNanos(event), level(event.getLevel()), event.getLoggerName(),
                converter.cut(event.getFormattedMessage()), ids == null ? null : ids.traceId(),
                ids == null ? null : ids.spanId(), ids == null ? null : ids.parentSpanId(), event.getThreadName(),
                Collections.unmodifiableMap(attrs), errorObject(event.getThrowableProxy(), converter));
    }

    private static long epochNanos(ILoggingEvent event) {
        Instant at = event.getInstant();
        if (at == null) {
            return event.getTimeStamp() * 1_000_000L;
        }
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static String level(Level level) {
        return level == null ? null : level.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The error object ({@code type}, {@code message}, {@code stack}) of a logged exception. Logback hands
     * appenders a proxy, not the Throwable, so this mirrors {@link ValueConverter#errorObject(Throwable)}
     * with Logback's own rendering of the stack (causes and suppressed exceptions included).
     */
    static ObjectNode errorObject(IThrowableProxy error, ValueConverter converter) {
        if (error == null) {
            return null;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", error.getClassName());
        node.put("message", converter.cut(error.getMessage()));
        String stack;
        try {
            stack = ThrowableProxyUtil.asString(error);
        } catch (RuntimeException e) {
            stack = error.getClassName();
        }
        node.put("stack", converter.cut(stack));
        return node;
    }
}
