package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes records as JSON lines into one reused byte buffer, for one thread (the writer's). A span's fixed fields
 * (IDs, names, times, status, resource, thread) are written straight as bytes, with field names encoded once, the
 * second of a timestamp formatted once per second and the resource encoded once per map; only its values
 * (attributes, input, output, error) and the other record types go through a Jackson generator over the same buffer.
 * The bytes are the same as {@link SpanRecord#writeTo}'s.
 */
public final class JsonLineEncoder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** "00" to "99", two bytes each: a timestamp's fraction digits by pairs. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    /** Eight bytes of an array at once, the highest first: IDs written from their numbers. */
    private static final VarHandle EIGHT_BYTES =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private static final byte[] SPAN_HEAD = bytesOf("{\"v\":1,\"type\":\"span\",\"trace_id\":");
    private static final byte[] SPAN_ID = bytesOf(",\"span_id\":");
    private static final byte[] PARENT_SPAN_ID = bytesOf(",\"parent_span_id\":");
    private static final byte[] NAME = bytesOf(",\"name\":");
    private static final byte[] NODE_TYPE = bytesOf(",\"node_type\":");
    private static final byte[] SPAN_KIND = bytesOf(",\"span_kind\":");
    private static final byte[] START = bytesOf(",\"start\":");
    private static final byte[] END = bytesOf(",\"end\":");
    private static final byte[] DURATION_MS = bytesOf(",\"duration_ms\":");
    private static final byte[] RUNNING = bytesOf(",\"end\":null,\"duration_ms\":null");
    private static final byte[] STATUS = bytesOf(",\"status\":");
    private static final byte[] ERROR = bytesOf(",\"error\":");
    private static final byte[] ATTRIBUTES = bytesOf(",\"attributes\":{");
    private static final byte[] INPUT = bytesOf("},\"input\":");
    private static final byte[] OUTPUT = bytesOf(",\"output\":");
    private static final byte[] ANNOTATIONS = bytesOf(",\"annotations\":[");
    private static final byte[] NOTE_TS = bytesOf("{\"ts\":");
    private static final byte[] NOTE_TEXT = bytesOf(",\"text\":");
    private static final byte[] EDGES = bytesOf("],\"edges\":[");
    private static final byte[] EDGE_TYPE = bytesOf("{\"type\":");
    private static final byte[] TRACE_ID = bytesOf(",\"trace_id\":");
    private static final byte[] EVALUATIONS = bytesOf(",\"evaluations\":[");
    private static final byte[] RESOURCE = bytesOf(",\"resource\":");
    private static final byte[] THREAD = bytesOf(",\"thread\":");
    private static final byte[] NULL = bytesOf("null");
    private static final byte[] OK_NO_ERROR = bytesOf(",\"status\":\"ok\",\"error\":null,\"attributes\":{");
    private static final byte[] RUNNING_NO_ERROR =
            bytesOf(",\"status\":\"running\",\"error\":null,\"attributes\":{");
    private static final byte[] NO_VALUES =
            bytesOf("},\"input\":null,\"output\":null,\"annotations\":[],\"edges\":[]");
    private static final byte[] LOG_HEAD = bytesOf("{\"v\":1,\"type\":\"log\",\"timestamp\":");
    private static final byte[] LEVEL = bytesOf(",\"level\":");
    private static final byte[] LOGGER = bytesOf(",\"logger\":");
    private static final byte[] EVENT = bytesOf(",\"event\":");
    private static final byte[] ATTRS = bytesOf(",\"attrs\":{");
    private static final byte[] EXCEPTION = bytesOf("},\"exception\":");
    private static final byte[] EVALUATION_HEAD = bytesOf("{\"v\":1,\"type\":\"evaluation\",\"trace_id\":");
    private static final byte[] TS = bytesOf(",\"ts\":");
    private static final byte[] ENTRY_TS = bytesOf("{\"ts\":");
    private static final byte[] SCORE = bytesOf(",\"score\":");
    private static final byte[] LABEL = bytesOf(",\"label\":");
    private static final byte[] EXPLANATION = bytesOf(",\"explanation\":");
    private static final byte[] DROPPED_HEAD = bytesOf("{\"v\":1,\"type\":\"dropped\",\"timestamp\":");
    private static final byte[] COUNT = bytesOf(",\"count\":");
    private static final byte[] TOTAL = bytesOf(",\"total\":");
    private static final byte[] QUEUE_CAPACITY = bytesOf(",\"queue_capacity\":");
    private static final int KNOWN_SLOTS = 256;
    private static final int KNOWN_MAX_LENGTH = 48;
    private static final int COMBINATION_SLOTS = 64;
    /** How deep objects and arrays are written here before the rest of a value goes through Jackson. */
    private static final int DIRECT_DEPTH = 64;

    private final Buffer out = new Buffer();
    /** Writes values and non-span records into {@link #out}; null until first used or after a failure. */
    private JsonGenerator json;
    /** The second last formatted, and its text as {@code "uuuu-MM-dd'T'HH:mm:ss} (opening quote included). */
    private long second = Long.MIN_VALUE;
    private byte[] secondText;
    /**
     * The resource map last encoded (by identity: a runtime hands the same map to all its spans) and its bytes, with
     * the resource and thread field names around them.
     */
    private Map<String, String> resource;
    private byte[] resourceBytes;
    private final Remembered lastThread = new Remembered();
    /** The start of the last ended span line with IDs from numbers, for the next span with the same names. */
    private final Head head = new Head();
    /** The end of the last span line with simple fields, for the next span with the same ones. */
    private final Tail tail = new Tail();
    private final Remembered lastTraceId = new Remembered();
    private final Remembered lastParentId = new Remembered();
    /** The encoded form of short strings that recur (names, types, attribute keys, short values), by hash. */
    private final String[] knownText = new String[KNOWN_SLOTS];
    private final byte[][] knownBytes = new byte[KNOWN_SLOTS][];
    /** The text of recent finite double values (model parameters recur), by their bits. */
    private final long[] doubleBits = new long[KNOWN_SLOTS];
    /** The span name, node type and kind fields last encoded for each slot (see {@link #nameTypeKind}). */
    private final NameTypeKind[] combinations = new NameTypeKind[COMBINATION_SLOTS];
    private final byte[][] doubleText = new byte[KNOWN_SLOTS][];

    /**
     * Encodes {@code record} followed by a newline; the line is {@link #bytes()} from 0 to {@link #size()} until
     * the next call. On an exception the buffer's content is undefined and the next call starts afresh.
     */
    public void encode(TraceRecord record) throws IOException {
        if (record instanceof SpanRecord span) {
            encodeSpan(span);
            return;
        }
        out.size = 0;
        try {
            if (record instanceof LogRecord log) {
                log(log);
            } else if (record instanceof EvaluationRecord evaluation && finiteOrNull(evaluation.score())) {
                evaluation(evaluation);
            } else if (record instanceof DroppedRecord dropped) {
                dropped(dropped);
            } else {
                record.writeTo(generator());
                json.flush();
            }
        } catch (IOException | RuntimeException e) {
            json = null; // its state is unknown after a failure; the next record gets a new one
            throw e;
        }
        out.write('\n');
    }

    /**
     * {@link #encode} for a span record, with no test of the record's type: a writer that has only seen spans is
     * compiled for spans, and the first log or dropped line must not throw that code away (a JIT deoptimization
     * slows the writer for as long as recompiling takes, long enough to fill the queue of a tight loop).
     */
    public void encodeSpan(SpanRecord span) throws IOException {
        out.size = 0;
        try {
            span(span);
        } catch (IOException | RuntimeException e) {
            json = null;
            head.forget();
            tail.forget();
            throw e;
        }
        out.write('\n');
    }

    public byte[] bytes() {
        return out.buf;
    }

    public int size() {
        return out.size;
    }

    private JsonGenerator generator() throws IOException {
        if (json == null) {
            json = JSON.getFactory().createGenerator(out);
            json.setRootValueSeparator(null); // values follow one another in the line with nothing between
        }
        return json;
    }

    private void span(SpanRecord span) throws IOException {
        SpanRecord.IdNumbers numbers = span.idNumbers();
        if (numbers != null && span.ended() && head.matches(span, numbers)) {
            head.writeFor(span, numbers);
        } else {
            headFields(span, numbers);
        }
        if (tail.matches(span)) { // the same status, attributes, resource and thread as the last such span
            out.write(tail.bytes, 0, tail.length);
            return;
        }
        int tailAt = out.size;
        // The fields most spans share are copied as one piece each: a short copy costs about as much as a long one.
        if (span.error() == null && "ok".equals(span.status())) {
            out.write(OK_NO_ERROR);
        } else if (span.error() == null && "running".equals(span.status())) {
            out.write(RUNNING_NO_ERROR);
        } else {
            out.write(STATUS);
            known(span.status());
            out.write(ERROR);
            value(span.error());
            out.write(ATTRIBUTES);
        }
        members(span.attributes());
        if (span.input() == null && span.output() == null && span.annotations().isEmpty()
                && span.edges().isEmpty()) {
            out.write(NO_VALUES);
        } else {
            values(span);
        }
        if (!span.evaluations().isEmpty()) { // optional in v1
            out.write(EVALUATIONS);
            for (int i = 0; i < span.evaluations().size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                evaluationEntry(span.evaluations().get(i));
            }
            out.write(']');
        }
        resourceAndThreadField(span.resource());
        remembered(lastThread, span.thread());
        out.write('}');
        tail.keep(span, out.buf, tailAt, out.size - tailAt);
    }

    /**
     * From the line's start to the duration's value: the IDs, names, times; kept as {@link #head} when the span
     * ended and its IDs came as numbers.
     */
    private void headFields(SpanRecord span, SpanRecord.IdNumbers numbers) throws IOException {
        out.write(SPAN_HEAD);
        int traceAt = out.size;
        int spanAt;
        int parentAt = -1;
        if (numbers != null) { // aitrace's own IDs: the hex written from the numbers they are
            quotedHex(numbers.traceHigh(), numbers.traceLow());
            out.write(SPAN_ID);
            spanAt = out.size;
            quotedHex(numbers.span());
            out.write(PARENT_SPAN_ID);
            if (numbers.parent() == 0) {
                out.write(NULL);
            } else {
                parentAt = out.size;
                quotedHex(numbers.parent());
            }
        } else {
            remembered(lastTraceId, span.traceId()); // the spans of a trace share their trace ID's string
            out.write(SPAN_ID);
            spanAt = out.size;
            string(span.spanId());
            out.write(PARENT_SPAN_ID);
            remembered(lastParentId, span.parentSpanId()); // and siblings their parent's span ID
        }
        nameTypeKind(span.name(), span.nodeType(), span.spanKind());
        int startAt = out.size;
        timestamp(span.startEpochNanos());
        if (span.ended()) {
            out.write(END);
            int endAt = out.size;
            timestamp(span.endEpochNanos());
            out.write(DURATION_MS);
            if (numbers != null) {
                head.keep(span, numbers, out.buf, out.size, traceAt, spanAt, parentAt, startAt, endAt);
            }
            durationMs(Math.round((span.endEpochNanos() - span.startEpochNanos()) / 1_000.0));
        } else {
            out.write(RUNNING);
        }
    }

    /**
     * The start of the last ended span line whose IDs came as numbers, up to the duration's value, and where its
     * IDs and times are in it. A tight loop's spans differ there only in those: the next ended span with the same
     * name, node type, kind and parent or none copies these bytes in one piece and writes its own IDs and times
     * over them (the time's second only when it differs).
     */
    private final class Head {
        byte[] bytes = new byte[256];
        /** The bytes kept, or -1 when there are none. */
        int length = -1;
        private String name;
        private String nodeType;
        private String kind;
        private boolean parent;
        private int traceAt;
        private int spanAt;
        private int parentAt;
        private int startAt;
        private int endAt;
        private long startSecond;
        private long endSecond;

        boolean matches(SpanRecord span, SpanRecord.IdNumbers numbers) {
            return length >= 0 && parent == (numbers.parent() != 0) && fixedWidth(span.startEpochNanos())
                    && fixedWidth(span.endEpochNanos()) && Objects.equals(name, span.name())
                    && Objects.equals(nodeType, span.nodeType())
                    && Objects.equals(kind, span.spanKind());
        }

        void keep(SpanRecord span, SpanRecord.IdNumbers numbers, byte[] from, int length, int traceAt, int spanAt,
                int parentAt, int startAt, int endAt) {
            this.length = -1;
            if (!fixedWidth(span.startEpochNanos()) || !fixedWidth(span.endEpochNanos())) {
                return;
            }
            if (length > bytes.length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            System.arraycopy(from, 0, bytes, 0, length);
            name = span.name();
            nodeType = span.nodeType();
            kind = span.spanKind();
            parent = numbers.parent() != 0;
            this.traceAt = traceAt;
            this.spanAt = spanAt;
            this.parentAt = parentAt;
            this.startAt = startAt;
            this.endAt = endAt;
            startSecond = Math.floorDiv(span.startEpochNanos(), 1_000_000_000L);
            endSecond = Math.floorDiv(span.endEpochNanos(), 1_000_000_000L);
            this.length = length;
        }

        /** The kept bytes with {@code span}'s IDs and times, then its duration. */
        void writeFor(SpanRecord span, SpanRecord.IdNumbers numbers) {
            out.ensure(length);
            byte[] buf = out.buf;
            int at = out.size;
            System.arraycopy(bytes, 0, buf, at, length);
            hex(buf, at + traceAt + 1, numbers.traceHigh());
            hex(buf, at + traceAt + 17, numbers.traceLow());
            hex(buf, at + spanAt + 1, numbers.span());
            if (parent) {
                hex(buf, at + parentAt + 1, numbers.parent());
            }
            timestampOver(buf, at + startAt, span.startEpochNanos(), startSecond);
            timestampOver(buf, at + endAt, span.endEpochNanos(), endSecond);
            out.size = at + length;
            durationMs(Math.round((span.endEpochNanos() - span.startEpochNanos()) / 1_000.0));
        }

        void forget() {
            length = -1;
        }
    }

    /** Whether a time's text has the usual width: from 1970 (a long of nanoseconds ends in 2262, a four-digit year). */
    private static boolean fixedWidth(long epochNanos) {
        return epochNanos >= 0;
    }

    /**
     * Writes {@code epochNanos} as a time over a time of the same width at {@code at}, whose second is
     * {@code keptSecond}: only the fraction digits when the second is the same.
     */
    private void timestampOver(byte[] buf, int at, long epochNanos, long keptSecond) {
        long epochSecond = epochNanos / 1_000_000_000L; // not negative (fixedWidth)
        if (epochSecond != keptSecond) {
            System.arraycopy(secondText(epochSecond), 0, buf, at, 20);
        }
        fractionDigits(buf, at + 21, (int) (epochNanos - epochSecond * 1_000_000_000L) / 1_000);
    }

    /** From the end of the attributes to the end of the edges: input, output, annotations, edges. */
    private void values(SpanRecord span) throws IOException {
        out.write(INPUT);
        value(span.input());
        out.write(OUTPUT);
        value(span.output());
        out.write(ANNOTATIONS);
        boolean first = true;
        for (SpanRecord.Note note : span.annotations()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write(NOTE_TS);
            timestamp(note.epochNanos());
            out.write(NOTE_TEXT);
            string(note.text());
            out.write('}');
        }
        out.write(EDGES);
        first = true;
        for (SpanRecord.Link link : span.edges()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write(EDGE_TYPE);
            string(link.type());
            out.write(TRACE_ID);
            string(link.traceId());
            out.write(SPAN_ID);
            string(link.spanId());
            out.write('}');
        }
        out.write(']');
    }

    /**
     * {@code ,"name":…,"node_type":…,"span_kind":…,"start":} for a span: a few combinations recur in a trace, so
     * their bytes are kept (by hash) and copied in one go.
     */
    private void nameTypeKind(String name, String nodeType, String kind) {
        boolean keep = name != null && nodeType != null && kind != null && name.length() <= KNOWN_MAX_LENGTH;
        int slot = 0;
        if (keep) {
            slot = ((name.hashCode() * 31 + nodeType.hashCode()) * 31 + kind.hashCode()) & (COMBINATION_SLOTS - 1);
            NameTypeKind kept = combinations[slot];
            if (kept != null && kept.name.equals(name) && kept.nodeType.equals(nodeType) && kept.kind.equals(kind)) {
                out.write(kept.bytes);
                return;
            }
        }
        int at = out.size;
        out.write(NAME);
        known(name);
        out.write(NODE_TYPE);
        known(nodeType);
        out.write(SPAN_KIND);
        known(kind);
        out.write(START);
        if (keep) {
            combinations[slot] = new NameTypeKind(name, nodeType, kind, Arrays.copyOfRange(out.buf, at, out.size));
        }
    }

    /**
     * The end of the last span line whose fields after the times were all simple (no error, input, output,
     * annotations, edges or evaluations; attributes of strings, numbers and booleans): from {@code ,"status":} to
     * the closing brace. A tight loop's spans differ only in their IDs and times, so the next line with the same
     * status, attributes (equal values of the same node class, in the same order), resource map and thread copies
     * these bytes in one piece instead of encoding the same fields again. The keys and values are copied out, not
     * the map: a running span's attribute map may still change after its start record.
     */
    private static final class Tail {
        private static final int MAX_ATTRIBUTES = 16;

        byte[] bytes = new byte[512];
        /** The bytes kept, or -1 when there are none. */
        int length = -1;
        private String status;
        private Map<String, String> resource;
        private String thread;
        private int size;
        private final String[] keys = new String[MAX_ATTRIBUTES];
        private final JsonNode[] values = new JsonNode[MAX_ATTRIBUTES];

        boolean matches(SpanRecord span) {
            if (length < 0 || span.resource() != resource || !simple(span) || !status.equals(span.status())
                    || !Objects.equals(thread, span.thread())
                    || !(span.attributes() instanceof SpanAttributes attributes) || attributes.size() != size) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                if (!keys[i].equals(attributes.keyAt(i)) || !sameScalar(values[i], attributes.valueAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Keeps {@code length} bytes at {@code at} as the tail of {@code span}'s line, when its fields are simple. */
        void keep(SpanRecord span, byte[] from, int at, int length) {
            this.length = -1;
            if (!simple(span) || span.status() == null || !(span.attributes() instanceof SpanAttributes attributes)
                    || attributes.size() > MAX_ATTRIBUTES) {
                return;
            }
            int n = attributes.size();
            for (int i = 0; i < n; i++) {
                String key = attributes.keyAt(i);
                JsonNode value = attributes.valueAt(i);
                if (key == null || !scalar(value)) {
                    Arrays.fill(keys, 0, i, null);
                    Arrays.fill(values, 0, i, null);
                    return;
                }
                keys[i] = key;
                values[i] = value;
            }
            if (n < size) { // the last span's longer list let go
                Arrays.fill(keys, n, size, null);
                Arrays.fill(values, n, size, null);
            }
            size = n;
            if (length > bytes.length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            System.arraycopy(from, at, bytes, 0, length);
            status = span.status();
            resource = span.resource();
            thread = span.thread();
            this.length = length;
        }

        void forget() {
            length = -1;
        }

        private static boolean simple(SpanRecord span) {
            return span.error() == null && span.input() == null && span.output() == null
                    && span.annotations().isEmpty() && span.edges().isEmpty() && span.evaluations().isEmpty();
        }

        private static boolean scalar(JsonNode node) {
            return node instanceof TextNode || node instanceof LongNode || node instanceof IntNode
                    || node instanceof DoubleNode || node instanceof BooleanNode;
        }

        /** Whether two scalar nodes are written as the same bytes: the same class and the same value. */
        private static boolean sameScalar(JsonNode kept, JsonNode node) {
            if (kept == node) {
                return true;
            }
            if (node == null || kept.getClass() != node.getClass()) {
                return false;
            }
            if (node instanceof TextNode) {
                return kept.textValue().equals(node.textValue());
            }
            if (node instanceof DoubleNode) {
                return Double.doubleToRawLongBits(kept.doubleValue()) == Double.doubleToRawLongBits(node.doubleValue());
            }
            if (node instanceof BooleanNode) {
                return kept.booleanValue() == node.booleanValue();
            }
            return kept.longValue() == node.longValue(); // LongNode, IntNode
        }
    }

    /** The encoded name, node type and kind fields of a span (see {@link #nameTypeKind}). */
    private record NameTypeKind(String name, String nodeType, String kind, byte[] bytes) {
    }

    /** The members of an object of attributes, between braces the caller writes. */
    private void members(Map<String, JsonNode> map) throws IOException {
        if (map instanceof SpanAttributes attributes) { // a span's: walked without an iterator
            for (int i = 0, n = attributes.size(); i < n; i++) {
                if (i > 0) {
                    out.write(',');
                }
                known(attributes.keyAt(i));
                out.write(':');
                value(attributes.valueAt(i));
            }
            return;
        }
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : map.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            known(e.getKey());
            out.write(':');
            value(e.getValue());
        }
    }

    private void log(LogRecord log) throws IOException {
        out.write(LOG_HEAD);
        timestamp(log.epochNanos());
        out.write(LEVEL);
        known(log.level());
        out.write(LOGGER);
        known(log.logger());
        out.write(EVENT);
        string(log.event());
        out.write(TRACE_ID);
        remembered(lastTraceId, log.traceId());
        out.write(SPAN_ID);
        string(log.spanId());
        out.write(PARENT_SPAN_ID);
        remembered(lastParentId, log.parentSpanId());
        out.write(THREAD);
        remembered(lastThread, log.thread());
        out.write(ATTRS);
        if (log.attrs() != null) {
            members(log.attrs());
        }
        out.write(EXCEPTION);
        value(log.exception());
        out.write('}');
    }

    /** An evaluation record of its own; a score that is not finite goes through the generator, as before. */
    private void evaluation(EvaluationRecord evaluation) {
        out.write(EVALUATION_HEAD);
        string(evaluation.traceId());
        out.write(SPAN_ID);
        string(evaluation.spanId());
        out.write(TS);
        timestamp(evaluation.epochNanos());
        out.write(NAME);
        string(evaluation.name());
        out.write(SCORE);
        if (evaluation.score() == null) {
            out.write(NULL);
        } else {
            fraction(evaluation.score());
        }
        out.write(LABEL);
        string(evaluation.label());
        out.write(EXPLANATION);
        string(evaluation.explanation());
        out.write('}');
    }

    /** An entry of a span record's {@code evaluations}: absent fields left out. */
    private void evaluationEntry(EvaluationRecord evaluation) throws IOException {
        if (!finiteOrNull(evaluation.score())) {
            JsonGenerator generator = generator();
            evaluation.writeEntry(generator);
            generator.flush();
            return;
        }
        out.write(ENTRY_TS);
        timestamp(evaluation.epochNanos());
        out.write(NAME);
        string(evaluation.name());
        if (evaluation.score() != null) {
            out.write(SCORE);
            fraction(evaluation.score());
        }
        if (evaluation.label() != null) {
            out.write(LABEL);
            string(evaluation.label());
        }
        if (evaluation.explanation() != null) {
            out.write(EXPLANATION);
            string(evaluation.explanation());
        }
        out.write('}');
    }

    private static boolean finiteOrNull(Double score) {
        return score == null || Double.isFinite(score);
    }

    private void dropped(DroppedRecord dropped) {
        out.write(DROPPED_HEAD);
        timestamp(dropped.epochNanos());
        out.write(COUNT);
        wholeNumber(dropped.count());
        out.write(TOTAL);
        wholeNumber(dropped.total());
        out.write(QUEUE_CAPACITY);
        wholeNumber(dropped.queueCapacity());
        out.write('}');
    }

    /** {@code ,"resource":{…},"thread":}, the bytes kept for the map last seen. */
    private void resourceAndThreadField(Map<String, String> map) {
        if (map != resource || resourceBytes == null) {
            int at = out.size;
            out.write(RESOURCE);
            out.write('{');
            boolean first = true;
            for (Map.Entry<String, String> e : map.entrySet()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                string(e.getKey());
                out.write(':');
                string(e.getValue());
            }
            out.write('}');
            out.write(THREAD);
            resource = map;
            resourceBytes = Arrays.copyOfRange(out.buf, at, out.size);
        } else {
            out.write(resourceBytes);
        }
    }

    /**
     * A JSON value appended to the buffer; JSON null for a Java null. Strings, whole numbers, finite doubles,
     * booleans and the objects and arrays made of them (most attributes, inputs and outputs) are written here, the
     * same as Jackson writes them; the rest (big and float numbers, binary, POJOs, nesting deeper than
     * {@value #DIRECT_DEPTH}) goes through Jackson.
     */
    private void value(JsonNode node) throws IOException {
        value(node, 0);
    }

    private void value(JsonNode node, int depth) throws IOException {
        // The common node classes by a class test first: each isXxx() on a JsonNode is a call on many classes.
        if (node instanceof TextNode text) {
            known(text.textValue());
            return;
        }
        if (node instanceof LongNode || node instanceof IntNode) {
            wholeNumber(node.longValue());
            return;
        }
        if (node instanceof DoubleNode number && Double.isFinite(number.doubleValue())) {
            fraction(number.doubleValue());
            return;
        }
        if (node == null || node.isNull()) {
            out.write(NULL);
            return;
        }
        if (node.isTextual()) {
            known(node.textValue());
            return;
        }
        if (node.isInt() || node.isLong()) {
            wholeNumber(node.longValue());
            return;
        }
        if (node.isBoolean()) {
            ascii(node.booleanValue() ? "true" : "false");
            return;
        }
        if (node.isDouble() && Double.isFinite(node.doubleValue())) {
            fraction(node.doubleValue());
            return;
        }
        if (depth < DIRECT_DEPTH && node.isObject()) {
            out.write('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                known(e.getKey());
                out.write(':');
                value(e.getValue(), depth + 1);
            }
            out.write('}');
            return;
        }
        if (depth < DIRECT_DEPTH && node.isArray()) {
            out.write('[');
            for (int i = 0, n = node.size(); i < n; i++) {
                if (i > 0) {
                    out.write(',');
                }
                value(node.get(i), depth + 1);
            }
            out.write(']');
            return;
        }
        JsonGenerator generator = generator();
        JsonTreeEncoder.write(generator, node);
        generator.flush();
    }

    /**
     * A duration in milliseconds with up to three fraction digits, as {@code Double.toString(micros / 1000.0)}
     * writes it (the same digits for every value below 10^7 ms, checked on JDK 17 and 25) without its cost.
     */
    private void durationMs(long micros) {
        if (micros < 0 || micros >= 10_000_000_000L) {
            ascii(Double.toString(micros / 1_000.0));
            return;
        }
        wholeNumber(micros / 1_000);
        out.ensure(4);
        byte[] buf = out.buf;
        int at = out.size;
        int fraction = (int) (micros % 1_000);
        buf[at++] = '.';
        buf[at++] = (byte) ('0' + fraction / 100);
        if (fraction % 100 != 0) {
            buf[at++] = (byte) ('0' + fraction / 10 % 10);
            if (fraction % 10 != 0) {
                buf[at++] = (byte) ('0' + fraction % 10);
            }
        }
        out.size = at;
    }

    /** A whole number in decimal, as {@code Long.toString} writes it. */
    private void wholeNumber(long value) {
        if (value < 0) {
            ascii(Long.toString(value));
            return;
        }
        if (value < 100) { // durations in ms, counts: mostly small
            out.ensure(2);
            if (value < 10) {
                out.buf[out.size++] = (byte) ('0' + value);
            } else {
                out.buf[out.size++] = DIGIT_PAIRS[2 * (int) value];
                out.buf[out.size++] = DIGIT_PAIRS[2 * (int) value + 1];
            }
            return;
        }
        int digits = 1;
        for (long rest = value; rest >= 10; rest /= 10) {
            digits++;
        }
        out.ensure(digits);
        byte[] buf = out.buf;
        int at = out.size;
        for (int i = at + digits - 1; i >= at; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        out.size = at + digits;
    }

    /** A finite double as Jackson writes it ({@code Double.toString}), remembered by its bits. */
    private void fraction(double value) {
        long bits = Double.doubleToRawLongBits(value);
        int slot = (int) (bits ^ (bits >>> 32)) * 0x9E3779B9 >>> 24; // KNOWN_SLOTS = 2^8
        byte[] text = doubleText[slot];
        if (text == null || doubleBits[slot] != bits) {
            text = bytesOf(Double.toString(value));
            doubleText[slot] = text;
            doubleBits[slot] = bits;
        }
        out.write(text);
    }

    /**
     * A string that may well recur (a name, a type, an attribute key, a short value): its encoded form is kept by
     * hash and copied when the same text comes again.
     */
    private void known(String text) {
        if (text == null || text.length() > KNOWN_MAX_LENGTH) {
            string(text);
            return;
        }
        int slot = text.hashCode() & (KNOWN_SLOTS - 1);
        String kept = knownText[slot];
        if (kept != null && kept.equals(text)) {
            out.write(knownBytes[slot]);
            return;
        }
        int at = out.size;
        string(text);
        knownText[slot] = text;
        knownBytes[slot] = Arrays.copyOfRange(out.buf, at, out.size);
    }

    /** The string, copied from last time when it is the very same string object as then. */
    private void remembered(Remembered last, String text) {
        if (text != null && text == last.text) {
            out.write(last.bytes, 0, last.length);
            return;
        }
        int at = out.size;
        string(text);
        if (text != null) {
            last.keep(text, out.buf, at, out.size - at);
        }
    }

    /** {@code "…"} with the 16 lowercase hex digits of {@code value}. */
    private void quotedHex(long value) {
        out.ensure(18);
        byte[] buf = out.buf;
        int at = out.size;
        buf[at] = '"';
        hex(buf, at + 1, value);
        buf[at + 17] = '"';
        out.size = at + 18;
    }

    /** {@code "…"} with the 32 lowercase hex digits of {@code high} then {@code low}. */
    private void quotedHex(long high, long low) {
        out.ensure(34);
        byte[] buf = out.buf;
        int at = out.size;
        buf[at] = '"';
        hex(buf, at + 1, high);
        hex(buf, at + 17, low);
        buf[at + 33] = '"';
        out.size = at + 34;
    }

    /** The 16 lowercase hex digits of {@code value} at {@code at}, eight at a time. */
    private static void hex(byte[] buf, int at, long value) {
        EIGHT_BYTES.set(buf, at, hexDigits((int) (value >>> 32)));
        EIGHT_BYTES.set(buf, at + 8, hexDigits((int) value));
    }

    /**
     * The eight lowercase hex digits of {@code value} as the bytes of a long, the first digit in the highest byte:
     * each nibble spread into a byte of its own, then {@code '0'} added, and {@code 'a' - '0' - 10} more where the
     * nibble is 10 or more (a byte's nibble plus 6 carries into bit 4 exactly then).
     */
    private static long hexDigits(int value) {
        long x = value & 0xFFFFFFFFL;
        x = ((x & 0xFFFF0000L) << 16) | (x & 0xFFFFL);
        x = ((x & 0x0000FF000000FF00L) << 8) | (x & 0x000000FF000000FFL);
        x = ((x & 0x00F000F000F000F0L) << 4) | (x & 0x000F000F000F000FL);
        long letters = ((x + 0x0606060606060606L) >>> 4) & 0x0101010101010101L;
        return x + 0x3030303030303030L + letters * ('a' - '0' - 10);
    }

    /** {@code "…"} in the format's time form, with exactly six fraction digits. */
    private void timestamp(long epochNanos) {
        long epochSecond = Math.floorDiv(epochNanos, 1_000_000_000L);
        out.write(secondText(epochSecond));
        out.ensure(9);
        byte[] buf = out.buf;
        int at = out.size;
        buf[at] = '.';
        fractionDigits(buf, at + 1, (int) Math.floorMod(epochNanos, 1_000_000_000L) / 1_000);
        buf[at + 7] = 'Z';
        buf[at + 8] = '"';
        out.size = at + 9;
    }

    /** {@code "uuuu-MM-dd'T'HH:mm:ss} (opening quote included) for a second, formatted once per second. */
    private byte[] secondText(long epochSecond) {
        if (epochSecond != second || secondText == null) {
            secondText = bytesOf('"' + SECONDS.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC)));
            second = epochSecond;
        }
        return secondText;
    }

    /** The six digits of {@code micros} (below a million) at {@code at}, by pairs from a table. */
    private static void fractionDigits(byte[] buf, int at, int micros) {
        int high = micros / 10_000;
        int middle = micros / 100 - high * 100;
        int low = micros - (micros / 100) * 100;
        buf[at] = DIGIT_PAIRS[2 * high];
        buf[at + 1] = DIGIT_PAIRS[2 * high + 1];
        buf[at + 2] = DIGIT_PAIRS[2 * middle];
        buf[at + 3] = DIGIT_PAIRS[2 * middle + 1];
        buf[at + 4] = DIGIT_PAIRS[2 * low];
        buf[at + 5] = DIGIT_PAIRS[2 * low + 1];
    }

    private void ascii(String text) {
        int n = text.length();
        out.ensure(n);
        byte[] buf = out.buf;
        int at = out.size;
        for (int i = 0; i < n; i++) {
            buf[at + i] = (byte) text.charAt(i);
        }
        out.size = at + n;
    }

    /**
     * A JSON string (or {@code null}) as Jackson writes it: {@code "} and {@code \} escaped, control characters as
     * short escapes such as backslash-n or six-character backslash-u00XX escapes, surrogates as backslash-uXXXX each, everything else as UTF-8.
     */
    private void string(String text) {
        if (text == null) {
            out.write(NULL);
            return;
        }
        int n = text.length();
        out.ensure(n * 6 + 2); // the longest form of a char: u00XX (backslash-u), or three UTF-8 bytes
        byte[] buf = out.buf;
        int at = out.size;
        buf[at++] = '"';
        int i = 0;
        // Most text (IDs, names, keys, short values) is printable ASCII: a loop small enough for the JIT to keep
        // tight, then the general one from the first character that needs more.
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            buf[at++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[at++] = (byte) c;
                    continue;
                }
                buf[at++] = '\\';
                switch (c) {
                    case '"', '\\' -> buf[at++] = (byte) c;
                    case '\n' -> buf[at++] = 'n';
                    case '\r' -> buf[at++] = 'r';
                    case '\t' -> buf[at++] = 't';
                    case '\b' -> buf[at++] = 'b';
                    case '\f' -> buf[at++] = 'f';
                    default -> {
                        buf[at++] = 'u';
                        buf[at++] = '0';
                        buf[at++] = '0';
                        buf[at++] = HEX[c >> 4];
                        buf[at++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                buf[at++] = (byte) (0xC0 | (c >> 6));
                buf[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) { // escaped one by one, as Jackson does
                buf[at++] = '\\';
                buf[at++] = 'u';
                buf[at++] = HEX[c >> 12];
                buf[at++] = HEX[(c >> 8) & 0xF];
                buf[at++] = HEX[(c >> 4) & 0xF];
                buf[at++] = HEX[c & 0xF];
            } else {
                buf[at++] = (byte) (0xE0 | (c >> 12));
                buf[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        buf[at++] = '"';
        out.size = at;
    }

    private static byte[] bytesOf(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A string last encoded, and its bytes (in an array reused while they fit: a new trace ID allocates nothing). */
    private static final class Remembered {
        String text;
        byte[] bytes = new byte[64];
        int length;

        void keep(String text, byte[] from, int at, int length) {
            if (length > bytes.length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            System.arraycopy(from, at, bytes, 0, length);
            this.text = text;
            this.length = length;
        }
    }

    /** A growable byte array the generator writes into too. */
    private static final class Buffer extends OutputStream {
        byte[] buf = new byte[1024];
        int size;

        void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            ensure(len);
            System.arraycopy(bytes, off, buf, size, len);
            size += len;
        }
    }
}
