package io.aitrace.core.text;

import java.util.Locale;

/** Durations as people read them: {@code 0.4 ms}, {@code 333 ms}, {@code 1.20 s}, {@code 2 min 05 s}. */
public final class Durations {
    private Durations() {
    }

    /** The duration in milliseconds as text; {@code running} for null (a span that has not ended). */
    public static String format(Double ms) {
        if (ms == null) {
            return "running";
        }
        double abs = Math.abs(ms);
        if (abs < 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (abs < 1000) {
            return Math.round(ms) + " ms";
        }
        if (abs < 60_000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        }
        long seconds = Math.round(ms / 1000);
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, Math.abs(seconds % 60));
    }

    /** Milliseconds rounded to the microsecond, for JSON output. */
    public static Double round(Double ms) {
        return ms == null ? null : Math.round(ms * 1000) / 1000.0;
    }
}
