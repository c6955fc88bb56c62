package io.aitrace.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.core.SpanIds;
import io.aitrace.core.TracerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes each event as one format-v1 {@code log} record followed by a newline, byte for byte what
 * {@link TraceAppender} writes for the same event, so a plain Logback file can be read by
 * {@code aitrace inspect}, {@code io.aitrace.core.read.TraceReader} and the collector.
 *
 * <pre>{@code
 * <appender name="JSON" class="ch.qos.logback.core.FileAppender">
 *   <file>logs/app.jsonl</file>
 *   <encoder class="io.aitrace.logback.TraceJsonEncoder"/>
 * </appender>
 * }</pre>
 *
 * <p>Every event is written, also those outside spans (with null IDs). The IDs are those of the span current
 * on the encoding thread, else those {@link TraceContextAppender} put in the event's MDC: behind an
 * {@code AsyncAppender}, wrap the {@code AsyncAppender} in a {@link TraceContextAppender}. Values are masked
 * and cut with the settings of {@link TracerRuntime#global()}.
 */
public class TraceJsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MdcKeys keys = new MdcKeys();

    /** The MDC key the trace ID is read from; as in {@link TraceContextAppender}. */
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
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        SpanIds ids = keys.of(event);
        // Encoders may be called by several threads at once (OutputStreamAppender encodes outside its lock).
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.getFactory().createGenerator(line)) {
            EventRecords.of(event, ids, keys, TracerRuntime.global().converter()).writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        line.write('\n');
        return line.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
