package io.aitrace.server;

import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.text.TextFit;
import java.util.Locale;

/**
 * Reads one ingested record (a JSON-lines line or an element of a JSON array) by tracer-core's reading rules
 * ({@link TraceReader#readRecord}: format v1 and the Python client's flat logs), checks its IDs, which a store must
 * be stricter about than a reader of local files, and makes it a {@link RecordRow}.
 */
final class RecordParser {
    /** The longest reason given for a record refused. */
    static final int MAX_ERROR_LENGTH = 200;
    /** One record read: a span, log or evaluation row, a count of records the writer dropped, or what is wrong. */
    record Parsed(RecordRow row, long dropped, String error) {
    }

    private RecordParser() {
    }

    /**
     * The deepest nesting a record may have. Stored records gain a level (a flat log's fields move under
     * {@code attrs}), and Jackson refuses documents deeper than 1000, so a record near that limit would be stored
     * and then be unreadable.
     */
    static final int MAX_DEPTH = 256;

    /**
     * Reads one record; never throws for anything in the text. A log or span line already in its stored form takes the
     * fast path ({@link CanonicalRecord}); every other record is read into tracer-core's model and written again.
     */
    static Parsed parse(String text) {
        RecordRow asStored = CanonicalRecord.read(text);
        if (asStored != null) {
            return new Parsed(asStored, 0, null);
        }
        return parseFully(text);
    }

    /** Reads one record into tracer-core's model and writes it again in the stored form. */
    static Parsed parseFully(String text) {
        if (depth(text) > MAX_DEPTH) {
            return failure("record nested deeper than " + MAX_DEPTH + " levels");
        }
        try {
            return read(text);
        } catch (RuntimeException e) {
            return failure(TextFit.cut("unreadable record: " + Diagnostics.describe(e), MAX_ERROR_LENGTH));
        }
    }

    private static Parsed read(String text) {
        TraceReader.ParsedRecord read = TraceReader.readRecord(text);
        if (read.problem() != null) {
            return failure(read.problem());
        }
        if (read.dropped() > 0) {
            return new Parsed(null, read.dropped(), null);
        }
        LogEntry log = read.log() == null ? null : IngestMasking.mask(read.log());
        if (log != null) {
            // the parent a log line names counts only for a span it places in a trace
            String parent = log.spanId() == null || log.traceId() == null ? null : read.parentSpanId();
            String problem = checkIds(log.traceId(), log.spanId(), parent, true);
            if (problem != null) {
                return failure(problem);
            }
            return new Parsed(RecordJson.log(log, lower(log.traceId()), lower(log.spanId()), lower(parent)), 0, null);
        }
        Node node = read.span();
        if (node != null) {
            String problem = checkIds(node.traceId(), node.spanId(), node.parentSpanId(), false);
            return problem != null ? failure(problem) : new Parsed(RecordJson.span(lowered(node)), 0, null);
        }
        TraceReader.SpanEvaluation evaluation = read.evaluation();
        if (evaluation != null) {
            String problem = checkIds(evaluation.traceId(), evaluation.spanId(), null, false);
            return problem != null ? failure(problem) : new Parsed(RecordJson.evaluation(lower(evaluation.traceId()),
                    lower(evaluation.spanId()), evaluation.evaluation()), 0, null);
        }
        return failure(text.isBlank() ? "empty record" : "unknown record type (expected span, log or evaluation)");
    }

    /** How deep objects and arrays nest in JSON text (strings skipped); stops counting once past the limit. */
    static int depth(String text) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > deepest) {
                    deepest = depth;
                    if (deepest > MAX_DEPTH) {
                        return deepest;
                    }
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
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
        if (!isHex(traceId, 32)) {
            return "trace_id must be 32 hex digits, not '" + shorten(traceId) + "'";
        }
        if (isZero(traceId)) {
            return "trace_id must not be all zeros"; // W3C and OpenTelemetry: the invalid ID
        }
        if (spanId != null && !isHex(spanId, 16)) {
            return "span_id must be 16 hex digits, not '" + shorten(spanId) + "'";
        }
        if (spanId != null && isZero(spanId)) {
            return "span_id must not be all zeros";
        }
        if (parentSpanId != null && !isHex(parentSpanId, 16)) {
            return "parent_span_id must be 16 hex digits, not '" + shorten(parentSpanId) + "'";
        }
        return null;
    }

    /** Whether an ID is {@code digits} hex digits, either case (a loop: a regular expression showed in profiles). */
    private static boolean isHex(String id, int digits) {
        if (id.length() != digits) {
            return false;
        }
        for (int i = 0; i < digits; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** The node with lowercase IDs: hex is case-insensitive, the store's keys are not. */
    private static Node lowered(Node n) {
        return new Node(lower(n.traceId()), lower(n.spanId()), lower(n.parentSpanId()), n.name(), n.type(),
                n.spanKind(), n.start(), n.end(), n.status(), n.error(), n.attributes(), n.input(), n.output(),
                n.annotations(), n.edges(), n.resource(), n.thread(), false, n.evaluations());
    }

    static String lower(String id) {
        return id == null ? null : id.toLowerCase(Locale.ROOT);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }
}
