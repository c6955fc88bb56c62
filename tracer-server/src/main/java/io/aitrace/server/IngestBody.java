package io.aitrace.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.text.TextFit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An ingest body read into records: a JSON array of records, JSON lines, or one JSON object. Every record is read
 * on its own ({@link RecordParser}), so the good ones are kept when others are bad; a bad one is reported by its
 * line (JSON lines) or its position in the array, counted from 1. The body is never copied whole: each record's
 * text is cut out of the bytes as it is reached, so a request costs its bytes plus the rows made of them.
 */
final class IngestBody {
    static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/jsonlines", "application/x-jsonlines");
    /** Rejections listed in an answer; beyond them only the count grows. */
    static final int MAX_LISTED = 100;

    /** A record that was not taken: where it was and why. */
    record Rejection(int line, String error) {
    }

    private final List<RecordRow> records = new ArrayList<>();
    private final List<Rejection> rejected = new ArrayList<>();
    private int rejectedCount;
    private long dropped;
    private boolean evaluationsOnly;

    private IngestBody() {
    }

    List<RecordRow> records() {
        return records;
    }

    /** The first {@value #MAX_LISTED} records refused, in order. */
    List<Rejection> rejected() {
        return rejected;
    }

    /** How many records were refused in all. */
    int rejectedCount() {
        return rejectedCount;
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
        IngestBody result = new IngestBody();
        result.evaluationsOnly = evaluationsOnly;
        int start = skipSpace(body, 0);
        if (start < body.length && body[start] == '[') {
            result.addArray(body);
        } else if (start < body.length && body[start] == '{' && isOnePrettyObject(body, start)) {
            result.add(1, new String(body, start, body.length - start, StandardCharsets.UTF_8).strip());
        } else {
            result.addLines(body, 0, body.length, 1);
        }
        return result;
    }

    /** Reads JSON lines from {@code bytes[from, to)}, the first being line {@code firstLine}. */
    static IngestBody lines(byte[] bytes, int from, int to, int firstLine) {
        IngestBody result = new IngestBody();
        result.addLines(bytes, from, to, firstLine);
        return result;
    }

    /** Adds records converted elsewhere (OTLP), each checked like an ingested line. */
    static IngestBody of(List<ObjectNode> converted) {
        IngestBody result = new IngestBody();
        int index = 0;
        for (ObjectNode record : converted) {
            result.add(++index, record.toString());
        }
        return result;
    }

    private void addLines(byte[] bytes, int from, int to, int firstLine) {
        int line = firstLine;
        for (int at = from; at < to; line++) {
            int end = at;
            while (end < to && bytes[end] != '\n') {
                end++;
            }
            int last = end > at && bytes[end - 1] == '\r' ? end - 1 : end;
            if (!isBlank(bytes, at, last)) {
                add(line, new String(bytes, at, last - at, StandardCharsets.UTF_8));
            }
            at = end + 1;
        }
    }

    /** The elements of a JSON array, each cut out of the bytes by the parser's offsets. */
    private void addArray(byte[] body) {
        try (JsonParser parser = RecordJson.MAPPER.getFactory().createParser(body)) {
            parser.nextToken();
            int index = 0;
            for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; ) {
                if (token == null) {
                    throw new ApiException(400, "malformed JSON array: it has no closing ]");
                }
                index++;
                if (token != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    reject(index, "not a JSON object");
                    continue;
                }
                int from = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int to = (int) parser.currentLocation().getByteOffset();
                add(index, new String(body, from, to - from, StandardCharsets.UTF_8));
            }
            if (parser.nextToken() != null) {
                throw new ApiException(400, "malformed JSON array: more data after its closing ]");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ApiException(400, "malformed JSON array: "
                    + TextFit.cut(String.valueOf(e.getOriginalMessage()), RecordParser.MAX_ERROR_LENGTH) + where);
        } catch (IOException e) {
            throw new ApiException(400, "unreadable JSON array: " + e.getMessage());
        }
    }

    /** One record pretty-printed over several lines (a body of one line is read as JSON lines). */
    private static boolean isOnePrettyObject(byte[] body, int start) {
        int newline = start;
        while (newline < body.length && body[newline] != '\n') {
            newline++;
        }
        if (isBlank(body, newline, body.length)) {
            return false;
        }
        try {
            return RecordJson.MAPPER.readTree(body, start, body.length - start).isObject();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int skipSpace(byte[] body, int at) {
        if (body.length >= at + 3 && body[at] == (byte) 0xEF && body[at + 1] == (byte) 0xBB
                && body[at + 2] == (byte) 0xBF) {
            at += 3; // a byte order mark
        }
        while (at < body.length && isSpace(body[at])) {
            at++;
        }
        return at;
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isSpace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private void add(int line, String text) {
        RecordParser.Parsed parsed = RecordParser.parse(evaluationsOnly ? asEvaluationRecord(text) : text);
        if (evaluationsOnly && parsed.error() == null && !(parsed.row() instanceof RecordRow.Evaluation)) {
            reject(line, "not an evaluation (expected trace_id, span_id, name and a score or label)");
        } else if (parsed.error() != null) {
            reject(line, parsed.error());
        } else if (parsed.row() != null) {
            records.add(parsed.row());
        } else {
            dropped += parsed.dropped();
        }
    }

    /** An evaluation object as a record of format v1: {@code v}, {@code type} and {@code ts} filled in when absent. */
    private static String asEvaluationRecord(String text) {
        try {
            com.fasterxml.jackson.databind.JsonNode item = RecordJson.MAPPER.readTree(text);
            if (item instanceof ObjectNode && !item.has("type")) {
                ObjectNode record = (ObjectNode) item;
                record.put("v", 1);
                record.put("type", "evaluation");
                if (!record.has("ts")) {
                    record.put("ts", io.aitrace.core.record.Timestamps.format(java.time.Instant.now()));
                }
                return record.toString();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // left to the parser, which names the problem
        }
        return text;
    }

    private void reject(int line, String error) {
        rejectedCount++;
        if (rejected.size() < MAX_LISTED) {
            rejected.add(new Rejection(line, TextFit.cut(error, RecordParser.MAX_ERROR_LENGTH)));
        }
    }
}
