package io.aitrace;

/** aitrace's own diagnostics: one line on stderr with a fixed prefix, never through a logger. */
final class Reporter {
    static final String PREFIX = "aitrace: ";

    private Reporter() {
    }

    static void warn(String message) {
        System.err.println(PREFIX + message);
    }
}
