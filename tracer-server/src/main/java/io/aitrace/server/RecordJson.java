package io.aitrace.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.Annotation;
import io.aitrace.Edge;
import io.aitrace.LogEntry;
import io.aitrace.Node;
import io.aitrace.core.Timestamps;
import java.time.Instant;

/**
 * Writes what tracer-core's reader made of a record back as a record of format v1, so every record the server
 * stores and returns has the one shape DESIGN.md describes, whichever shape it arrived in.
 */
final class RecordJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RecordJson() {
    }

    static ObjectNode span(Node node) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("v", 1);
        json.put("type", "span");
        json.put("trace_id", node.traceId());
        json.put("span_id", node.spanId());
        json.put("parent_span_id", node.parentSpanId());
        json.put("name", node.name());
        json.put("node_type", node.type().name());
        json.put("span_kind", node.spanKind());
        json.put("start", time(node.start()));
        json.put("end", time(node.end()));
        if (node.durationMs() == null) {
            json.putNull("duration_ms");
        } else {
            json.put("duration_ms", Math.round(node.durationMs() * 1000.0) / 1000.0);
        }
        json.put("status", node.status());
        json.set("error", MAPPER.valueToTree(node.error()));
        json.set("attributes", MAPPER.valueToTree(node.attributes()));
        json.set("input", MAPPER.valueToTree(node.input()));
        json.set("output", MAPPER.valueToTree(node.output()));
        ArrayNode annotations = json.putArray("annotations");
        for (Annotation a : node.annotations()) {
            annotations.addObject().put("ts", time(a.timestamp())).put("text", a.text());
        }
        ArrayNode edges = json.putArray("edges");
        for (Edge e : node.edges()) {
            edges.addObject().put("type", e.typeName()).put("trace_id", e.toTraceId()).put("span_id", e.toSpanId());
        }
        json.set("resource", MAPPER.valueToTree(node.resource()));
        json.put("thread", node.thread());
        return json;
    }

    static ObjectNode log(LogEntry log, String parentSpanId) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("v", 1);
        json.put("type", "log");
        json.put("timestamp", time(log.timestamp()));
        json.put("level", log.level());
        json.put("logger", log.logger());
        json.put("event", log.event());
        json.put("trace_id", log.traceId());
        json.put("span_id", log.spanId());
        json.put("parent_span_id", parentSpanId);
        json.put("thread", log.thread());
        json.set("attrs", MAPPER.valueToTree(log.attrs()));
        json.set("exception", MAPPER.valueToTree(log.error()));
        return json;
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
