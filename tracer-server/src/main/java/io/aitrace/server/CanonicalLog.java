package io.aitrace.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.aitrace.core.record.Timestamps;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Locale;

/**
 * The fast path of ingest for a log line that is already in its stored form: a line of format v1 exactly as
 * {@link RecordJson#log} would write it (aitrace's own writers write logs this way), with nothing to mask. Such a
 * line is read once with Jackson's streaming parser for the fields its row needs, and stored as it came: no map
 * is built, nothing is encoded again, and the row (text, columns and digest) is the one the full path would make.
 *
 * <p>"Already in its stored form" is checked, not assumed: every token is written again, as the full path would
 * write it, into a writer that only compares with the line; the fields must be the twelve of a v1 log in their
 * order, the time stamp in its canonical form, the level and the IDs in lowercase, no key repeated, and no key of
 * the attributes one {@link IngestMasking} would mask. Any difference, and any line this reader cannot take,
 * sends the line down the full path ({@link RecordParser}), which also gives every error message.
 */
final class CanonicalLog {
    private static final JsonFactory FACTORY = RecordJson.MAPPER.getFactory();
    private static final String[] FIELDS = {"v", "type", "timestamp", "level", "logger", "event", "trace_id",
        "span_id", "parent_span_id", "thread", "attrs", "exception"};
    /** The latest time a record may have (as tracer-core's reader: OTLP's nanoseconds in a {@code long}). */
    private static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);
    /** Nesting left to the full path in an exception (whose depth the full path bounds, not this one). */
    private static final int MAX_EXCEPTION_DEPTH = 64;

    private CanonicalLog() {
    }

    /** The row of a log line already in its stored form, or null: then the full path reads the line. */
    static RecordRow.Log read(String text) {
        if (text.length() < 2 || text.charAt(0) != '{') {
            return null;
        }
        try {
            return tryRead(text);
        } catch (IOException | RuntimeException e) {
            return null; // the full path reads it and names what is wrong, if anything is
        }
    }

    private static RecordRow.Log tryRead(String text) throws IOException {
        Matching same = new Matching(text);
        String timestamp = null;
        String level = null;
        String traceId = null;
        String spanId = null;
        String parent = null;
        try (JsonParser p = FACTORY.createParser(text); JsonGenerator g = FACTORY.createGenerator(same)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            g.writeStartObject();
            for (String field : FIELDS) {
                if (p.nextToken() != JsonToken.FIELD_NAME || !field.equals(p.currentName())) {
                    return null;
                }
                g.writeFieldName(field);
                JsonToken value = p.nextToken();
                switch (field) {
                    case "v" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                                || p.getIntValue() != 1) {
                            return null;
                        }
                        g.writeNumber(1);
                    }
                    case "attrs" -> {
                        if (value != JsonToken.START_OBJECT || !copy(p, g, 0, true)) {
                            return null;
                        }
                    }
                    case "exception" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            g.writeNull();
                        } else if (value != JsonToken.START_OBJECT || !copy(p, g, 0, false)) {
                            return null;
                        }
                    }
                    default -> {
                        String s;
                        if (value == JsonToken.VALUE_NULL) {
                            s = null;
                        } else if (value == JsonToken.VALUE_STRING) {
                            s = p.getText();
                        } else {
                            return null; // the full path turns other values into text
                        }
                        g.writeString(s);
                        switch (field) {
                            case "type" -> {
                                if (!"log".equals(s)) {
                                    return null;
                                }
                            }
                            case "timestamp" -> timestamp = s;
                            case "level" -> level = s;
                            case "trace_id" -> traceId = s;
                            case "span_id" -> spanId = s;
                            case "parent_span_id" -> parent = s;
                            default -> {
                            }
                        }
                    }
                }
            }
            if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            g.writeEndObject();
        }
        if (!same.isSame() || level != null && !level.equals(level.toLowerCase(Locale.ROOT))
                || !idsAsStored(traceId, spanId, parent)) {
            return null;
        }
        Instant time = null;
        if (timestamp != null) {
            time = Timestamps.parse(timestamp);
            if (time == null || time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)
                    || !Timestamps.format(time).equals(timestamp)) {
                return null;
            }
        }
        return new RecordRow.Log(traceId, spanId, RecordJson.micros(time), level, RecordJson.logDigest(text), text);
    }

    /**
     * Whether the IDs are valid and as stored: lowercase hex, none all zeros, and a parent only beside a trace and a
     * span (the full path drops it otherwise). A log outside any trace has none.
     */
    private static boolean idsAsStored(String traceId, String spanId, String parent) {
        if (traceId == null) {
            return spanId == null && parent == null;
        }
        if (!isLowerHex(traceId, 32)) {
            return false;
        }
        if (spanId == null) {
            return parent == null;
        }
        return isLowerHex(spanId, 16) && (parent == null || isLowerHex(parent, 16) || isZeroParent(parent));
    }

    /** {@code digits} lowercase hex digits, not all zeros. */
    private static boolean isLowerHex(String id, int digits) {
        if (id.length() != digits) {
            return false;
        }
        boolean zero = true;
        for (int i = 0; i < digits; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
            zero &= c == '0';
        }
        return !zero;
    }

    /** A parent of 16 zeros, which the full path keeps as it is (it checks only a parent's form). */
    private static boolean isZeroParent(String id) {
        return "0000000000000000".equals(id);
    }

    /**
     * Writes the object or array the parser is at, as the full path would write it, checking on the way what the
     * full path would change: in the attributes, a key that looks secret or bounds past which masking converts
     * (as {@link IngestMasking}); anywhere, a number whose text is not the one written back.
     */
    private static boolean copy(JsonParser p, JsonGenerator g, int depth, boolean attrs) throws IOException {
        if (depth >= (attrs ? IngestMasking.PLAIN_DEPTH : MAX_EXCEPTION_DEPTH)) {
            return false;
        }
        int items = 0;
        if (p.currentToken() == JsonToken.START_OBJECT) {
            g.writeStartObject();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String key = p.currentName();
                if (attrs && (++items > IngestMasking.PLAIN_ITEMS || IngestMasking.isSecretKey(key))) {
                    return false;
                }
                g.writeFieldName(key);
                if (!value(p, g, p.nextToken(), depth, attrs)) {
                    return false;
                }
            }
            g.writeEndObject();
        } else {
            g.writeStartArray();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (attrs && ++items > IngestMasking.PLAIN_ITEMS || !value(p, g, t, depth, attrs)) {
                    return false;
                }
            }
            g.writeEndArray();
        }
        return true;
    }

    private static boolean value(JsonParser p, JsonGenerator g, JsonToken t, int depth, boolean attrs)
            throws IOException {
        switch (t) {
            case START_OBJECT, START_ARRAY -> {
                return copy(p, g, depth + 1, attrs);
            }
            case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT -> {
                switch (p.getNumberType()) {
                    case INT -> g.writeNumber(p.getIntValue());
                    case LONG -> g.writeNumber(p.getLongValue());
                    default -> g.writeNumber(p.getBigIntegerValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                if (p.getNumberType() != JsonParser.NumberType.DOUBLE) {
                    return false;
                }
                g.writeNumber(p.getDoubleValue());
            }
            case VALUE_TRUE -> g.writeBoolean(true);
            case VALUE_FALSE -> g.writeBoolean(false);
            case VALUE_NULL -> g.writeNull();
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A writer that stores nothing: it compares what is written with the line, to the end. */
    private static final class Matching extends Writer {
        private final String expected;
        private int at;
        private boolean differs;

        Matching(String expected) {
            this.expected = expected;
        }

        boolean isSame() {
            return !differs && at == expected.length();
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            if (differs || at + length > expected.length()) {
                differs = true;
                return;
            }
            for (int i = 0; i < length; i++) {
                if (expected.charAt(at + i) != chars[offset + i]) {
                    differs = true;
                    return;
                }
            }
            at += length;
        }

        @Override
        public void write(String text, int offset, int length) {
            if (differs || at + length > expected.length()
                    || !expected.regionMatches(at, text, offset, length)) {
                differs = true;
                return;
            }
            at += length;
        }

        @Override
        public void write(int c) {
            write(new char[] {(char) c}, 0, 1);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
