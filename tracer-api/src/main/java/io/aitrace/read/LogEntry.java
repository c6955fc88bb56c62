package io.aitrace.read;

import java.time.Instant;
import java.util.Map;

/**
 * A log line read back from a trace, hanging under the span that wrote it.
 *
 * @param timestamp when it was logged (null if the record had none)
 * @param level lowercase level, e.g. {@code "info"}
 * @param logger the logger name, or null
 * @param event the message
 * @param traceId the trace, or null for a line logged outside any span
 * @param spanId the span that was current, or null
 * @param thread the thread name, or null
 * @param attrs MDC entries, key-value pairs and any other fields
 * @param error the exception as {@code type}, {@code message}, {@code stack}, or null
 */
public record LogEntry(Instant timestamp, String level, String logger, String event, String traceId, String spanId,
        String thread, Map<String, Object> attrs, Map<String, Object> error) {
}
