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

    /** The {@code <YYYYMMDD_HHMMSS>} placeholder's value for an instant, in local time as the seed did. */
    public static String fileStamp(Instant instant) {
        return FILE_STAMP.format(instant);
    }
}
