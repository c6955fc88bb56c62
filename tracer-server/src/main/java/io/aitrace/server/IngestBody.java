package io.aitrace.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An ingest body read into records: a JSON array of records, JSON lines, or one JSON object. Every record is read
 * on its own ({@link RecordParser}), so the good ones are kept when others are bad; a bad one is reported by its
 * line (JSON lines) or its position in the array, counted from 1.
 */
final class IngestBody {
    static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/jsonlines", "application/x-jsonlines", "text/plain");

    /** A record that was not taken: where it was and why. */
    record Rejection(int line, String error) {
    }

    private final List<RecordRow> records = new ArrayList<>();
    private final List<Rejection> rejected = new ArrayList<>();
    private final boolean evaluationsOnly;
    private long dropped;

    private IngestBody(boolean evaluationsOnly) {
        this.evaluationsOnly = evaluationsOnly;
    }

    List<RecordRow> records() {
        return records;
    }

    List<Rejection> rejected() {
        return rejected;
    }

    /** Records the sender reported it had to drop (its {@code "type":"dropped"} records). */
    long dropped() {
        return dropped;
    }

    /** Reads a body of UTF-8 JSON. */
    static IngestBody parse(byte[] body) {
        return parse(body, false);
    }

    /**
     * Reads a body of {@code POST /api/evaluations}: evaluation records, in which {@code v} and {@code type} may
     * be left out and {@code ts} defaults to now; any other record is rejected.
     */
    static IngestBody parseEvaluations(byte[] body) {
        return parse(body, true);
    }

    private static IngestBody parse(byte[] body, boolean evaluationsOnly) {
        String text = new String(body, StandardCharsets.UTF_8);
        IngestBody result = new IngestBody(evaluationsOnly);
        String trimmed = text.strip();
        if (trimmed.startsWith("\uFEFF")) {
            trimmed = trimmed.substring(1).strip();
        }
        if (trimmed.startsWith("[")) {
            JsonNode array;
            try {
                array = RecordJson.MAPPER.readTree(trimmed);
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "malformed JSON array: " + e.getOriginalMessage()
                        + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            }
            int index = 0;
            for (JsonNode item : array) {
                result.add(++index, item.toString());
            }
            return result;
        }
        if (trimmed.startsWith("{") && trimmed.indexOf('\n') > 0 && isOneObject(trimmed)) {
            result.add(1, trimmed); // one pretty-printed record
            return result;
        }
        int line = 0;
        for (String each : text.split("\n", -1)) {
            line++;
            String record = each.endsWith("\r") ? each.substring(0, each.length() - 1) : each;
            if (!record.isBlank()) {
                result.add(line, record);
            }
        }
        return result;
    }

    /** An evaluation object as a record of format v1: {@code v}, {@code type} and {@code ts} filled in when absent. */
    private static String asEvaluationRecord(String text) {
        try {
            JsonNode item = RecordJson.MAPPER.readTree(text);
            if (item instanceof ObjectNode && !item.has("type")) {
                ObjectNode record = (ObjectNode) item;
                record.put("v", 1);
                record.put("type", "evaluation");
                if (!record.has("ts")) {
                    record.put("ts", io.aitrace.core.record.Timestamps.format(java.time.Instant.now()));
                }
                return record.toString();
            }
        } catch (JsonProcessingException e) {
            // left to the parser, which names the problem
        }
        return text;
    }

    private static boolean isOneObject(String text) {
        try {
            return RecordJson.MAPPER.readTree(text).isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Adds records converted elsewhere (OTLP), each checked like an ingested line. */
    static IngestBody of(List<ObjectNode> converted) {
        IngestBody result = new IngestBody(false);
        int index = 0;
        for (ObjectNode record : converted) {
            result.add(++index, record.toString());
        }
        return result;
    }

    private void add(int line, String text) {
        RecordParser.Parsed parsed = RecordParser.parse(evaluationsOnly ? asEvaluationRecord(text) : text);
        if (evaluationsOnly && parsed.error() == null && !(parsed.row() instanceof RecordRow.Evaluation)) {
            rejected.add(new Rejection(line, "not an evaluation (expected trace_id, span_id, name and a score or label)"));
        } else if (parsed.error() != null) {
            rejected.add(new Rejection(line, parsed.error()));
        } else if (parsed.row() != null) {
            records.add(parsed.row());
        } else {
            dropped += parsed.dropped();
        }
    }
}
