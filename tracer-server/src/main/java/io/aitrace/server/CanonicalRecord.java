package io.aitrace.server;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.aitrace.core.record.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fast path of ingest for a log or span line that is already in its stored form: a line of format v1 exactly
 * as {@link RecordJson#log} or {@link RecordJson#span} would write it (aitrace's own writers write them this way),
 * with nothing to mask. Such a line is read once, character by character, for the fields its row needs, and
 * stored as it came: no map is built, nothing is encoded again, and the row (text, columns and digest) is the one
 * the full path would make.
 *
 * <p>"Already in its stored form" is checked, not assumed. The line must be the fields of a v1 log or span in their
 * order (for a span, with no edges or evaluations), written as Jackson writes them: no space between tokens;
 * strings with only the escapes Jackson writes ({@code \" \\ \b \t \f \n \r}, and for the other control
 * characters a backslash, {@code u00} and two upper-case hex digits); numbers as Java prints an {@code int},
 * {@code long} or {@code double}; no key twice in an object. The time stamp must be in its canonical form, the
 * level and the IDs in lowercase, and no key of the attributes one {@link IngestMasking} would mask, within the
 * bounds past which it converts. A span's duration is the one thing written again: the full path computes it from
 * the start and end. Anything else, and any line that is not JSON, goes down the full path ({@link RecordParser}),
 * which also gives every error message.
 */
final class CanonicalRecord {
    private static final String HEAD = "{\"v\":1,\"type\":\"log\",\"timestamp\":";
    private static final String SPAN_HEAD = "{\"v\":1,\"type\":\"span\",\"trace_id\":";
    /** The keys of a span's attributes and resource its row reads. */
    private static final String[] SPAN_ATTRIBUTES = {"service.name", "gen_ai.usage.input_tokens",
        "gen_ai.usage.output_tokens"};
    private static final String[] SPAN_RESOURCE = {"service.name"};
    /** The latest time a record may have (as tracer-core's reader: OTLP's nanoseconds in a {@code long}). */
    private static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);
    /** Nesting left to the full path outside a log's attributes (it bounds records at 256 levels). */
    private static final int MAX_DEPTH = 64;
    /** Integer digits surely within a {@code long}; longer integers go down the full path. */
    private static final int MAX_INT_DIGITS = 18;
    /** Characters of a number that may be a {@code double} as Java prints it. */
    private static final int MAX_FLOAT_LENGTH = 32;
    private static final String NULL = "null";
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private final String s;
    private int at;
    /** Whether the last string read had an escape (its text is then not the characters between its quotes). */
    private boolean escaped;
    /** Whether the line was found not to be in its stored form. */
    private boolean failed;
    /** A span's duration as the full path writes it, where it differs from the line's, and where it stands. */
    private String durationText;
    private int durationFrom = -1;
    private int durationTo;

    private CanonicalRecord(String text) {
        this.s = text;
    }

    /** The row of a log or span line already in its stored form, or null: then the full path reads the line. */
    static RecordRow read(String text) {
        try {
            if (text.startsWith(HEAD)) {
                return new CanonicalRecord(text).log();
            }
            if (text.startsWith(SPAN_HEAD)) {
                return new CanonicalRecord(text).span();
            }
        } catch (RuntimeException e) {
            // the full path reads it and names what is wrong, if anything is
        }
        return null;
    }

    private RecordRow.Log log() {
        at = HEAD.length();
        String timestamp = text(null);
        String level = text(",\"level\":");
        any(",\"logger\":");
        any(",\"event\":");
        String traceId = text(",\"trace_id\":");
        String spanId = text(",\"span_id\":");
        String parent = text(",\"parent_span_id\":");
        any(",\"thread\":");
        if (failed || !skip(",\"attrs\":") || !is('{') || !container(0, true, null, null) || !skip(",\"exception\":")
                || !(skip(NULL) || is('{') && container(0, false, null, null)) || !skip("}") || at != s.length()) {
            return null;
        }
        if (level != null && hasUpperCase(level) || !idsAsStored(traceId, spanId, parent)) {
            return null;
        }
        Instant time = time(timestamp);
        if (failed) {
            return null;
        }
        return new RecordRow.Log(traceId, spanId, RecordJson.micros(time), level, RecordJson.logDigest(s), s);
    }

    /**
     * A span as {@link RecordJson#span} writes it, with no edges or evaluations (those go down the full path): the
     * duration the one its start and end give, the status one the full path keeps, and the attributes' and
     * resource's values the row reads plain ones.
     */
    private RecordRow.Span span() {
        at = SPAN_HEAD.length();
        String traceId = text(null);
        String spanId = text(",\"span_id\":");
        String parent = text(",\"parent_span_id\":");
        String name = text(",\"name\":");
        String nodeType = text(",\"node_type\":");
        if (!failed && !(skip(",\"span_kind\":") && is('"') && string())) {
            failed = true; // the full path writes a span kind of null as INTERNAL
        }
        Instant start = time(text(",\"start\":"));
        Instant end = time(text(",\"end\":"));
        if (failed || name == null || nodeType == null || spanId == null || !isNodeTypeAsStored(nodeType)
                || !idsAsStored(traceId, spanId, parent) || !skip(",\"duration_ms\":") || !duration(start, end)) {
            return null;
        }
        String status = text(",\"status\":");
        if (failed || status == null || hasUpperCase(status)
                || end == null && !"running".equals(status) && !"error".equals(status)
                || !skip(",\"error\":") || !(skip(NULL) || is('{') && container(0, false, null, null))) {
            return null;
        }
        String[] attributes = new String[SPAN_ATTRIBUTES.length];
        String[] resource = new String[SPAN_RESOURCE.length];
        if (!skip(",\"attributes\":") || !is('{') || !container(0, false, SPAN_ATTRIBUTES, attributes)
                || !skip(",\"input\":") || !value(0, false) || !skip(",\"output\":") || !value(0, false)
                || !skip(",\"annotations\":[") || !annotations() || !skip(",\"edges\":[],\"resource\":")
                || !is('{') || !container(0, false, SPAN_RESOURCE, resource)) {
            return null;
        }
        any(",\"thread\":");
        if (failed || !skip("}") || at != s.length()) {
            return null;
        }
        String service = resource[0] != null && !NULL.equals(resource[0]) ? resource[0] : attributes[0];
        String json = durationFrom < 0 ? s : s.substring(0, durationFrom) + durationText + s.substring(durationTo);
        return new RecordRow.Span(traceId, spanId, parent, name, plain(service), status, RecordJson.micros(start),
                RecordJson.micros(end), integer(attributes[1]), integer(attributes[2]), json);
    }

    /** A node type as {@code NodeType.of} keeps it: lowercase, not blank, no space around it. */
    private static boolean isNodeTypeAsStored(String type) {
        return !type.isBlank() && type.strip().equals(type) && !hasUpperCase(type);
    }

    /**
     * The duration at the cursor, a JSON number or null. The full path writes the one the span's start and end give
     * (milliseconds rounded to the microsecond, null unless both); aitrace's writer computes it from nanoseconds, so
     * it may differ in the last digit. A different one is noted and replaced in the stored text, as the full path
     * would replace it.
     */
    private boolean duration(Instant start, Instant end) {
        String expected = start == null || end == null ? NULL
                : Double.toString(RecordJson.durationMs(Duration.between(start, end).toNanos() / 1_000_000.0));
        int from = at;
        if (skip(expected) && is(',')) {
            return true;
        }
        at = from;
        if (!skip(NULL)) {
            while (at < s.length() && "0123456789.eE+-".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
            if (!JSON_NUMBER.matcher(s.substring(from, at)).matches()) {
                return false;
            }
        }
        if (!is(',')) {
            return false;
        }
        durationFrom = from;
        durationTo = at;
        durationText = expected;
        return true;
    }

    /** The rest of an array of annotations, each {@code {"ts":…,"text":…}} as the full path writes it. */
    private boolean annotations() {
        if (skip("]")) {
            return true;
        }
        do {
            time(text("{\"ts\":"));
            any(",\"text\":");
            if (failed || !skip("}")) {
                return false;
            }
        } while (skip(","));
        return skip("]");
    }

    /**
     * A time stamp in its canonical form within the range of a record's times; null for none, and then
     * {@link #failed} tells whether it was as stored.
     */
    private Instant time(String text) {
        if (failed || text == null) {
            return null;
        }
        Instant time = Timestamps.parse(text);
        if (time == null || time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)
                || !Timestamps.format(time).equals(text)) {
            failed = true;
            return null;
        }
        return time;
    }

    /** A value read from an object's key, as the row takes it: a string without escapes, or null. */
    private String plain(String raw) {
        if (raw == null || NULL.equals(raw)) {
            return null;
        }
        if (raw.length() >= 2 && raw.charAt(0) == '"' && raw.indexOf('\\') < 0) {
            return raw.substring(1, raw.length() - 1);
        }
        throw new IllegalArgumentException("not a plain value"); // the full path reads it
    }

    /** A token count read from an attribute: an integer, or null. */
    private static Long integer(String raw) {
        if (raw == null || NULL.equals(raw)) {
            return null;
        }
        char first = raw.charAt(0);
        if (first == '-' || first >= '0' && first <= '9') {
            return Long.parseLong(raw); // anything but a plain integer throws, and the full path reads it
        }
        throw new IllegalArgumentException("not an integer"); // a string or another value: the full path reads it
    }

    /**
     * After {@code prefix} (null: none), a string without escapes, or null: the string's characters, or null for
     * JSON's null and when the line is not as stored ({@link #failed} then tells).
     */
    private String text(String prefix) {
        if (failed || prefix != null && !skip(prefix)) {
            failed = true;
            return null;
        }
        if (skip(NULL)) {
            return null;
        }
        int from = at;
        if (!is('"') || !string() || escaped) {
            failed = true;
            return null;
        }
        return s.substring(from + 1, at - 1);
    }

    /** After {@code prefix}, any string or null. */
    private void any(String prefix) {
        if (failed || !skip(prefix) || !skip(NULL) && !(is('"') && string())) {
            failed = true;
        }
    }

    private boolean skip(String expected) {
        if (s.startsWith(expected, at)) {
            at += expected.length();
            return true;
        }
        return false;
    }

    private boolean is(char c) {
        return at < s.length() && s.charAt(at) == c;
    }

    /** A string as Jackson writes it, from its opening quote; the cursor ends after its closing quote. */
    private boolean string() {
        escaped = false;
        int i = at + 1;
        for (int n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                at = i + 1;
                return true;
            }
            if (c < 0x20) {
                return false; // not JSON
            }
            if (c == '\\') {
                escaped = true;
                if (i + 1 >= n) {
                    return false;
                }
                char e = s.charAt(++i);
                if (e == 'u') {
                    if (i + 4 >= n || s.charAt(i + 1) != '0' || s.charAt(i + 2) != '0') {
                        return false;
                    }
                    int high = s.charAt(i + 3) - '0';
                    int low = upperHexDigit(s.charAt(i + 4));
                    if (high < 0 || high > 1 || low < 0) {
                        return false;
                    }
                    int code = high * 16 + low;
                    if (code == '\b' || code == '\t' || code == '\n' || code == '\f' || code == '\r') {
                        return false; // Jackson writes these short
                    }
                    i += 4;
                } else if (e != '"' && e != '\\' && e != 'b' && e != 't' && e != 'f' && e != 'n' && e != 'r') {
                    return false; // "\/" and others: valid JSON, but not as Jackson writes them
                }
            }
        }
        return false;
    }

    /**
     * The value of a hex digit as Jackson writes it in a Unicode escape (ASCII, upper case), or -1: not
     * {@link Character#digit}, which also takes other scripts' digits and full-width letters, none of them JSON.
     */
    private static int upperHexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * The object or array at the cursor, as the full path would write it again; in the attributes, also what
     * {@link IngestMasking} looks at: a key that looks secret, and the bounds past which it converts.
     */
    private boolean container(int depth, boolean attrs, String[] wanted, String[] found) {
        if (depth >= (attrs ? IngestMasking.PLAIN_DEPTH : MAX_DEPTH)) {
            return false;
        }
        boolean object = s.charAt(at) == '{';
        char close = object ? '}' : ']';
        at++;
        if (is(close)) {
            at++;
            return true;
        }
        List<String> keys = object ? new ArrayList<>(4) : null;
        Set<String> manyKeys = null;
        for (int items = 1; ; items++) {
            if (attrs && items > IngestMasking.PLAIN_ITEMS) {
                return false;
            }
            if (object) {
                int from = at;
                if (!is('"') || !string() || escaped || !is(':')) {
                    return false; // a key with an escape is rare enough to be left to the full path
                }
                if (at - 2 - from > StreamReadConstraints.DEFAULT_MAX_NAME_LEN) {
                    return false; // the full path refuses a name this long
                }
                String key = s.substring(from + 1, at - 1);
                if (attrs && IngestMasking.isSecretKey(key)) {
                    return false;
                }
                if (manyKeys != null) {
                    if (!manyKeys.add(key)) {
                        return false;
                    }
                } else if (keys.contains(key)) {
                    return false; // the full path keeps the last of two values
                } else if (keys.size() < 8) {
                    keys.add(key);
                } else {
                    manyKeys = new HashSet<>(keys);
                    manyKeys.add(key);
                }
                at++;
                int valueFrom = at;
                if (!value(depth, attrs)) {
                    return false;
                }
                if (wanted != null) {
                    for (int k = 0; k < wanted.length; k++) {
                        if (wanted[k].equals(key)) {
                            found[k] = s.substring(valueFrom, at);
                        }
                    }
                }
            } else if (!value(depth, attrs)) {
                return false;
            }
            if (is(',')) {
                at++;
            } else if (is(close)) {
                at++;
                return true;
            } else {
                return false;
            }
        }
    }

    private boolean value(int depth, boolean attrs) {
        if (at >= s.length()) {
            return false;
        }
        char c = s.charAt(at);
        switch (c) {
            case '"':
                return string();
            case '{':
            case '[':
                return container(depth + 1, attrs, null, null);
            case 't':
                return skip("true");
            case 'f':
                return skip("false");
            case 'n':
                return skip(NULL);
            default:
                return c == '-' || c >= '0' && c <= '9' ? number() : false;
        }
    }

    /** A number as Java prints the {@code int}, {@code long} or {@code double} the full path reads it into. */
    private boolean number() {
        int from = at;
        int i = at;
        int n = s.length();
        if (s.charAt(i) == '-') {
            i++;
        }
        int digitsFrom = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        int digits = i - digitsFrom;
        boolean fraction = i < n && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E');
        if (!fraction) {
            if (digits == 0 || digits > MAX_INT_DIGITS || digits > 1 && s.charAt(digitsFrom) == '0'
                    || s.charAt(digitsFrom) == '0' && digitsFrom > from) {
                return false; // no digit, a leading zero, -0, or longer than a long surely is
            }
            at = i;
            return true;
        }
        while (i < n && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        if (i - from > MAX_FLOAT_LENGTH) {
            return false;
        }
        String text = s.substring(from, i);
        if (!Double.toString(Double.parseDouble(text)).equals(text)) {
            return false;
        }
        at = i;
        return true;
    }

    private static boolean hasUpperCase(String level) {
        for (int i = 0; i < level.length(); i++) {
            if (Character.isUpperCase(level.charAt(i)) || level.charAt(i) > 0x7f) {
                return true; // non-ASCII: the full path's lowercasing by the root locale decides
            }
        }
        return false;
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

}
