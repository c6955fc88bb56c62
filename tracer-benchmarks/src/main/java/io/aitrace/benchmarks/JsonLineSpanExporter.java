package io.aitrace.benchmarks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline a developer would write with the OpenTelemetry SDK alone: each span as one JSON line through
 * Jackson to a 64 KB buffered file, with the fields aitrace's span records carry (IDs, name, kind, ISO times,
 * duration, status, attributes, resource, thread-free).
 */
public final class JsonLineSpanExporter implements SpanExporter {
    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final AtomicLong spans = new AtomicLong();

    public JsonLineSpanExporter(Path file) {
        try {
            this.out = new BufferedOutputStream(new FileOutputStream(file.toFile()), 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> batch) {
        try {
            for (SpanData span : batch) {
                JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8);
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                write(span, json);
                json.close();
                out.write('\n');
            }
            spans.addAndGet(batch.size());
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }

    private static void write(SpanData span, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("trace_id", span.getTraceId());
        json.writeStringField("span_id", span.getSpanId());
        json.writeStringField("parent_span_id", span.getParentSpanContext().isValid()
                ? span.getParentSpanId() : null);
        json.writeStringField("name", span.getName());
        json.writeStringField("span_kind", span.getKind().name());
        json.writeStringField("start", instant(span.getStartEpochNanos()));
        json.writeStringField("end", instant(span.getEndEpochNanos()));
        json.writeNumberField("duration_ms", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6);
        json.writeStringField("status", span.getStatus().getStatusCode().name().toLowerCase(java.util.Locale.ROOT));
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<AttributeKey<?>, Object> e : span.getAttributes().asMap().entrySet()) {
            json.writeFieldName(e.getKey().getKey());
            Object value = e.getValue();
            if (value instanceof String) {
                json.writeString((String) value);
            } else if (value instanceof Long) {
                json.writeNumber((Long) value);
            } else if (value instanceof Double) {
                json.writeNumber((Double) value);
            } else if (value instanceof Boolean) {
                json.writeBoolean((Boolean) value);
            } else {
                json.writeString(String.valueOf(value));
            }
        }
        json.writeEndObject();
        json.writeObjectFieldStart("resource");
        json.writeStringField("service.name", span.getResource().getAttribute(AttributeKey.stringKey("service.name")));
        json.writeEndObject();
        json.writeEndObject();
    }

    private static String instant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos).toString();
    }

    @Override
    public synchronized CompletableResultCode flush() {
        try {
            out.flush();
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }

    @Override
    public synchronized CompletableResultCode shutdown() {
        try {
            out.close();
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }

    /** Spans written so far. */
    public long spans() {
        return spans.get();
    }
}
