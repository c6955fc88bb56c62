package io.aitrace.cli;

/** Durations as people read them: {@code 0.4 ms}, {@code 333 ms}, {@code 1.20 s}, {@code 2 min 05 s}. */
final class Durations {
    private Durations() {
    }

    /** The duration in milliseconds as text; {@code running} for null (a span that has not ended). */
    static String format(Double ms) {
        return io.aitrace.core.Durations.format(ms);
    }

    /** Milliseconds rounded to the microsecond, for JSON output. */
    static Double round(Double ms) {
        return io.aitrace.core.Durations.round(ms);
    }
}
