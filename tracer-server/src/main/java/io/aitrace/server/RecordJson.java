package io.aitrace.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.read.Annotation;
import io.aitrace.read.Edge;
import io.aitrace.read.Evaluation;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.core.record.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes what tracer-core's reader made of a record back as a record of format v1, so every record the server
 * stores and returns has the one shape DESIGN.md describes, whichever shape it arrived in; with it, the column
 * values the store needs ({@link RecordRow}). The JSON is written in one pass, field by field.
 */
final class RecordJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Bytes of a log's digest. */
    static final int LOG_DIGEST_BYTES = 16;

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private RecordJson() {
    }

    /** A span with lowercase IDs, as a row. */
    static RecordRow.Span span(Node node) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("v", 1);
            json.writeStringField("type", "span");
            json.writeStringField("trace_id", node.traceId());
            json.writeStringField("span_id", node.spanId());
            json.writeStringField("parent_span_id", node.parentSpanId());
            json.writeStringField("name", node.name());
            json.writeStringField("node_type", node.type().name());
            json.writeStringField("span_kind", node.spanKind());
            json.writeStringField("start", time(node.start()));
            json.writeStringField("end", time(node.end()));
            json.writeFieldName("duration_ms");
            if (node.durationMs() == null) {
                json.writeNull();
            } else {
                json.writeNumber(durationMs(node.durationMs()));
            }
            json.writeStringField("status", node.status());
            json.writeObjectField("error", node.error());
            json.writeObjectField("attributes", node.attributes());
            json.writeObjectField("input", node.input());
            json.writeObjectField("output", node.output());
            json.writeArrayFieldStart("annotations");
            for (Annotation a : node.annotations()) {
                json.writeStartObject();
                json.writeStringField("ts", time(a.timestamp()));
                json.writeStringField("text", a.text());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("edges");
            for (Edge e : node.edges()) {
                json.writeStartObject();
                json.writeStringField("type", e.typeName());
                json.writeStringField("trace_id", e.toTraceId());
                json.writeStringField("span_id", e.toSpanId());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (!node.evaluations().isEmpty()) {
                json.writeArrayFieldStart("evaluations");
                for (Evaluation e : node.evaluations()) {
                    writeEvaluation(json, e);
                }
                json.writeEndArray();
            }
            json.writeObjectField("resource", node.resource());
            json.writeStringField("thread", node.thread());
            json.writeEndObject();
            json.flush();
            Map<String, Object> attributes = node.attributes();
            return new RecordRow.Span(node.traceId(), node.spanId(), node.parentSpanId(), node.name(), service(node),
                    node.status(), micros(node.start()), micros(node.end()),
                    tokens(attributes, "gen_ai.usage.input_tokens"), tokens(attributes, "gen_ai.usage.output_tokens"),
                    text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
    }

    /** A log line as a row, with its trace, span and parent span IDs in lowercase. */
    static RecordRow.Log log(LogEntry log, String traceId, String spanId, String parentSpanId) {
        StringWriter text = new StringWriter(384);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("v", 1);
            json.writeStringField("type", "log");
            json.writeStringField("timestamp", time(log.timestamp()));
            json.writeStringField("level", log.level());
            json.writeStringField("logger", log.logger());
            json.writeStringField("event", log.event());
            json.writeStringField("trace_id", traceId);
            json.writeStringField("span_id", spanId);
            json.writeStringField("parent_span_id", parentSpanId);
            json.writeStringField("thread", log.thread());
            json.writeObjectField("attrs", log.attrs());
            json.writeObjectField("exception", log.error());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String record = text.toString();
        return new RecordRow.Log(traceId, spanId, micros(log.timestamp()), log.level(), logDigest(record), record);
    }

    /** An evaluation record with lowercase IDs, as a row. */
    static RecordRow.Evaluation evaluation(String traceId, String spanId, Evaluation evaluation) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("v", 1);
            json.writeStringField("type", "evaluation");
            json.writeStringField("trace_id", traceId);
            json.writeStringField("span_id", spanId);
            writeEvaluationFields(json, evaluation);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String record = text.toString();
        return new RecordRow.Evaluation(traceId, spanId, micros(evaluation.timestamp()), evaluation.name(),
                evaluation.score(), evaluation.label(), digest(record), record);
    }

    private static void writeEvaluation(JsonGenerator json, Evaluation evaluation) throws IOException {
        json.writeStartObject();
        writeEvaluationFields(json, evaluation);
        json.writeEndObject();
    }

    private static void writeEvaluationFields(JsonGenerator json, Evaluation evaluation) throws IOException {
        json.writeStringField("ts", time(evaluation.timestamp()));
        json.writeStringField("name", evaluation.name());
        if (evaluation.score() != null) {
            json.writeNumberField("score", evaluation.score());
        }
        json.writeStringField("label", evaluation.label());
        json.writeStringField("explanation", evaluation.explanation());
    }

    /** The service a span belongs to: its resource's {@code service.name}, else that attribute of its own. */
    private static String service(Node node) {
        Object name = node.resource() == null ? null : node.resource().get("service.name");
        if (name == null && node.attributes() != null) {
            name = node.attributes().get("service.name");
        }
        return name == null ? null : String.valueOf(name);
    }

    private static Long tokens(Map<String, Object> attributes, String key) {
        Object value = attributes == null ? null : attributes.get(key);
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        if (value instanceof String) {
            try {
                return Long.parseLong(((String) value).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Identical log records (a client resending after a lost answer) have the same digest. */
    private static String digest(String record) {
        return HexFormat.of().formatHex(sha256(record));
    }

    /**
     * A log's digest: the first 128 bits of its SHA-256, a quarter of the hex text's size in the unique index that
     * every log insert writes to (two different lines of one trace share it with a chance of about n²/2¹²⁹).
     */
    static byte[] logDigest(String record) {
        return Arrays.copyOf(sha256(record), LOG_DIGEST_BYTES);
    }

    private static byte[] sha256(String record) {
        return sha256(record.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of the bytes. */
    static byte[] sha256(byte[] bytes) {
        return SHA_256.get().digest(bytes);
    }

    /** A span's duration as a stored record gives it: milliseconds rounded to the microsecond. */
    static double durationMs(double milliseconds) {
        return Math.round(milliseconds * 1000.0) / 1000.0;
    }

    /** Microseconds since the epoch, or null. */
    static Long micros(Instant instant) {
        return instant == null ? null : instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
