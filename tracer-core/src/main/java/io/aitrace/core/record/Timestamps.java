package io.aitrace.core.record;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The record format's times: ISO-8601 UTC with exactly six fraction digits, e.g. {@code 2026-11-21T18:00:00.123456Z}. */
public final class Timestamps {
    /** Up to the seconds; the fraction is appended by hand (appendFraction goes through BigDecimal). */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.systemDefault());

    /** The last second formatted, as {@code uuuu-MM-dd'T'HH:mm:ss}: records made close together share it. */
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return format(instant.getEpochSecond(), instant.getNano());
    }

    public static String formatEpochNanos(long epochNanos) {
        return format(Math.floorDiv(epochNanos, 1_000_000_000L), (int) Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private static String format(long epochSecond, int nanos) {
        Second second = lastSecond;
        if (second.epochSecond() != epochSecond) {
            // Formatted as a UTC LocalDateTime: a formatter with a zone builds a ZonedDateTime and zone rules each time.
            second = new Second(epochSecond, SECONDS.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC)));
            lastSecond = second;
        }
        String prefix = second.text();
        int length = prefix.length();
        char[] out = new char[length + 8];
        prefix.getChars(0, length, out, 0);
        out[length] = '.';
        int micros = nanos / 1_000;
        for (int i = length + 6; i > length; i--) {
            out[i] = (char) ('0' + micros % 10);
            micros /= 10;
        }
        out[length + 7] = 'Z';
        return new String(out);
    }

    /** A second since the epoch and its text. */
    private record Second(long epochSecond, String text) {
    }

    /** Parses any ISO-8601 instant or offset date-time; null when the text is not one. */
    public static Instant parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Instant canonical = parseCanonical(text);
        if (canonical != null) {
            return canonical;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (RuntimeException e2) {
                try {
                    return java.time.LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                } catch (RuntimeException e3) {
                    return null;
                }
            }
        }
    }

    /**
     * The shape every aitrace writer uses, {@code 2026-11-21T18:00:00.123456Z} (0 to 9 fraction digits), read
     * without {@code DateTimeFormatter} (a fifth of the collector's request thread went to {@code Instant.parse});
     * null for anything else, which {@link Instant#parse} then reads as before.
     */
    static Instant parseCanonical(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
                || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (t.charAt(19) != '.' || fraction < 1) {
                return null;
            }
            nanos = digits(t, 20, fraction);
            for (int i = fraction; i < 9 && nanos >= 0; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || nanos < 0 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null; // a leap second, 24:00 or a bad date: Instant.parse decides
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code count} digits at {@code from}; -1 unless they are all ASCII digits. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The {@code <YYYYMMDD_HHMMSS>} placeholder's value for an instant, in local time as the seed did. */
    public static String fileStamp(Instant instant) {
        return FILE_STAMP.format(instant);
    }
}
