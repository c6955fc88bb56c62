package io.aitrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation records in an OTLP logs request: each {@code gen_ai.evaluation.result} event of the GenAI
 * conventions (a log record with that event name, or with it in {@code event.name} as older SDKs write it) that
 * names its span and carries {@code gen_ai.evaluation.name}. This is how an evaluation made after its span was
 * sent arrives (aitrace's OTLP export sends it so); other log records are counted, not stored.
 */
final class OtlpLogs {
    static final String EVALUATION_RESULT = "gen_ai.evaluation.result";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The evaluation records found, and how many log records were something else. */
    record Evaluations(List<ObjectNode> records, int otherLogRecords) {
    }

    private OtlpLogs() {
    }

    static Evaluations evaluations(ExportLogsServiceRequest request) {
        List<ObjectNode> records = new ArrayList<>();
        int others = 0;
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord log : scopeLogs.getLogRecordsList()) {
                    ObjectNode attributes = OtlpSpans.attributes(log.getAttributesList());
                    String event = log.getEventName().isEmpty() ? attributes.path("event.name").asText("")
                            : log.getEventName();
                    if (!event.equals(EVALUATION_RESULT) || !attributes.has("gen_ai.evaluation.name")) {
                        others++;
                        continue;
                    }
                    long nanos = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
                    ObjectNode record = NODES.objectNode();
                    record.put("v", 1).put("type", "evaluation")
                            .put("trace_id", OtlpSpans.hex(log.getTraceId()))
                            .put("span_id", OtlpSpans.hex(log.getSpanId()))
                            .put("ts", OtlpSpans.time(nanos));
                    record.set("name", attributes.get("gen_ai.evaluation.name"));
                    copy(attributes, "gen_ai.evaluation.score.value", record, "score");
                    copy(attributes, "gen_ai.evaluation.score.label", record, "label");
                    copy(attributes, "gen_ai.evaluation.explanation", record, "explanation");
                    records.add(record);
                }
            }
        }
        return new Evaluations(records, others);
    }

    private static void copy(ObjectNode from, String key, ObjectNode to, String name) {
        JsonNode value = from.get(key);
        if (value != null && !value.isNull()) {
            to.set(name, value);
        }
    }
}
