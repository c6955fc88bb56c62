package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.LogEntry;
import io.aitrace.Node;
import io.aitrace.TraceGraph;
import io.aitrace.core.TraceReader;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads one ingested record (a JSON-lines line or an element of a JSON array) by tracer-core's reading rules
 * ({@link TraceReader.Accumulator}: format v1 and the Python client's flat logs), then checks its IDs, which a
 * store must be stricter about than a reader of local files.
 */
final class RecordParser {
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

    /** One record read: a span or log in format v1, a count of records the writer dropped, or what is wrong. */
    record Parsed(ObjectNode record, long dropped, String error) {
        boolean isSpan() {
            return record != null && "span".equals(record.path("type").asText());
        }
    }

    private RecordParser() {
    }

    static Parsed parse(String text) {
        TraceReader.Accumulator reader = new TraceReader.Accumulator();
        reader.accept(text);
        TraceGraph graph = reader.graph();
        if (!graph.problems().isEmpty()) {
            return failure(graph.problems().get(0).replaceFirst("^line \\d+: ", ""));
        }
        if (graph.droppedRecords() > 0) {
            return new Parsed(null, graph.droppedRecords(), null);
        }
        if (!graph.logs().isEmpty()) {
            LogEntry log = graph.logs().get(0);
            Node implicit = log.spanId() == null ? null : graph.node(log.spanId()).orElse(null);
            String parent = implicit == null ? null : implicit.parentSpanId();
            String problem = checkIds(log.traceId(), log.spanId(), parent, true);
            if (problem != null) {
                return failure(problem);
            }
            ObjectNode json = RecordJson.log(log, lower(parent));
            json.put("trace_id", lower(log.traceId()));
            json.put("span_id", lower(log.spanId()));
            return new Parsed(json, 0, null);
        }
        for (Node node : graph.nodes()) {
            String problem = checkIds(node.traceId(), node.spanId(), node.parentSpanId(), false);
            return problem != null ? failure(problem) : new Parsed(RecordJson.span(lowered(node)), 0, null);
        }
        return failure(text.isBlank() ? "empty record" : "unknown record type (expected span or log)");
    }

    private static Parsed failure(String error) {
        return new Parsed(null, 0, error);
    }

    /** What is wrong with a record's IDs, or null. A log outside any span may have none. */
    private static String checkIds(String traceId, String spanId, String parentSpanId, boolean log) {
        if (log && traceId == null && spanId == null) {
            return null;
        }
        if (traceId == null) {
            return "missing trace_id";
        }
        if (!TRACE_ID.matcher(lower(traceId)).matches()) {
            return "trace_id must be 32 hex digits, not '" + shorten(traceId) + "'";
        }
        if (spanId != null && !SPAN_ID.matcher(lower(spanId)).matches()) {
            return "span_id must be 16 hex digits, not '" + shorten(spanId) + "'";
        }
        if (parentSpanId != null && !SPAN_ID.matcher(lower(parentSpanId)).matches()) {
            return "parent_span_id must be 16 hex digits, not '" + shorten(parentSpanId) + "'";
        }
        return null;
    }

    /** The node with lowercase IDs: hex is case-insensitive, the store's keys are not. */
    private static Node lowered(Node n) {
        return new Node(lower(n.traceId()), lower(n.spanId()), lower(n.parentSpanId()), n.name(), n.type(),
                n.spanKind(), n.start(), n.end(), n.status(), n.error(), n.attributes(), n.input(), n.output(),
                n.annotations(), n.edges(), n.resource(), n.thread(), false);
    }

    static String lower(String id) {
        return id == null ? null : id.toLowerCase(Locale.ROOT);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }
}
