package io.aitrace.core.read;

import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.read.Evaluation;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.read.Annotation;
import io.aitrace.read.Edge;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed records in the read model, without JSON: what {@link TraceReader} would read from the record's line,
 * made from the record itself (times kept to the microsecond, as written; values as plain maps, lists, strings,
 * numbers and booleans). For processors that show or collect spans in the process.
 *
 * <pre>{@code Node node = RecordNodes.node(spanRecord);}</pre>
 */
public final class RecordNodes {
    private RecordNodes() {
    }

    /** The span as {@link TraceReader} reads its record: status {@code running} until it ends (or fails). */
    public static Node node(SpanRecord span) {
        Instant end = span.ended() ? instant(span.endEpochNanos()) : null;
        String status = span.status() == null ? null : span.status().toLowerCase(Locale.ROOT);
        if (end == null && !"error".equals(status)) {
            status = "running";
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        span.attributes().forEach((key, value) -> attributes.put(key, value(value)));
        List<Annotation> annotations = new ArrayList<>(span.annotations().size());
        for (SpanRecord.Note note : span.annotations()) {
            annotations.add(new Annotation(instant(note.epochNanos()), note.text()));
        }
        List<Edge> edges = new ArrayList<>(span.edges().size());
        for (SpanRecord.Link link : span.edges()) {
            edges.add(new Edge(EdgeType.fromWireName(link.type()), link.type(), span.spanId(),
                    link.traceId() == null ? span.traceId() : link.traceId(), link.spanId()));
        }
        return new Node(span.traceId(), span.spanId(), span.parentSpanId(), span.name(), NodeType.of(span.nodeType()),
                span.spanKind(), instant(span.startEpochNanos()), end, status, map(span.error()), attributes,
                value(span.input()), value(span.output()), annotations, edges, new LinkedHashMap<>(span.resource()),
                span.thread(), false, evaluations(span));
    }

    private static List<Evaluation> evaluations(SpanRecord span) {
        List<Evaluation> evaluations = new ArrayList<>(span.evaluations().size());
        for (EvaluationRecord e : span.evaluations()) {
            evaluations.add(evaluation(e));
        }
        return evaluations;
    }

    /** An evaluation as the reader reads it. */
    public static Evaluation evaluation(EvaluationRecord e) {
        return new Evaluation(instant(e.epochNanos()), e.name(), e.score(), e.label(), e.explanation());
    }

    /** The log line as {@link TraceReader} reads its record. */
    public static LogEntry log(LogRecord log) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        if (log.attrs() != null) {
            log.attrs().forEach((key, value) -> attrs.put(key, value(value)));
        }
        return new LogEntry(instant(log.epochNanos()), log.level() == null ? null : log.level().toLowerCase(Locale.ROOT),
                log.logger(), log.event(), log.traceId(), log.spanId(), log.thread(),
                Collections.unmodifiableMap(attrs), map(log.exception()));
    }

    /** What {@link TraceReader#readRecord} gives for the record's line. */
    public static TraceReader.ParsedRecord parsed(SpanRecord span) {
        return new TraceReader.ParsedRecord(node(span), null, null, 0, null, null);
    }

    /** What {@link TraceReader#readRecord} gives for the record's line. */
    public static TraceReader.ParsedRecord parsed(LogRecord log) {
        return new TraceReader.ParsedRecord(null, log(log), log.parentSpanId(), 0, null, null);
    }

    /** What {@link TraceReader#readRecord} gives for the record's line: an evaluation sent after its span. */
    public static TraceReader.ParsedRecord parsed(EvaluationRecord evaluation) {
        return new TraceReader.ParsedRecord(null, null, null, 0, null,
                new TraceReader.SpanEvaluation(evaluation.traceId(), evaluation.spanId(), evaluation(evaluation)));
    }

    /** Epoch nanoseconds cut to the microsecond, as the record format writes them. */
    static Instant instant(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        return Instant.ofEpochSecond(seconds, nanos - nanos % 1_000);
    }

    private static Map<String, Object> map(JsonNode value) {
        Object converted = value(value);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = converted instanceof Map ? (Map<String, Object>) converted : null;
        return map;
    }

    /** A JSON tree as the plain Java values a JSON reader makes of its text. */
    static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), value(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                list.add(value(item));
            }
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            return big.bitLength() < 32 ? (Object) big.intValue() : big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
