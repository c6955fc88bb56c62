package io.aitrace.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** The record format's times: ISO-8601 UTC with exactly six fraction digits, e.g. {@code 2026-11-21T18:00:00.123456Z}. */
public final class Timestamps {
    private static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            // A literal point and a zero-padded number: appendFraction goes through BigDecimal, several times slower.
            .appendLiteral('.')
            .appendValue(ChronoField.MICRO_OF_SECOND, 6)
            .appendLiteral('Z')
            .toFormatter();
    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.systemDefault());

    private Timestamps() {
    }

    public static String format(Instant instant) {
        // Formatted as a UTC LocalDateTime: a formatter with a zone builds a ZonedDateTime and zone rules each time.
        return MICROS.format(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC));
    }

    public static String formatEpochNanos(long epochNanos) {
        return format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)));
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
