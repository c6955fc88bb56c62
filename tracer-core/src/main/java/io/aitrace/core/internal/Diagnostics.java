package io.aitrace.core.internal;

/**
 * aitrace's own messages: one line on stderr with the prefix {@code aitrace: }, never through a logger
 * (a logger may be traced itself). Reads {@code System.err} at each call so redirected streams see them.
 */
public final class Diagnostics {
    public static final String PREFIX = "aitrace: ";

    private Diagnostics() {
    }

    public static void warn(String message) {
        System.err.println(PREFIX + message);
    }

    public static void warn(String message, Throwable cause) {
        System.err.println(PREFIX + message + (cause == null ? "" : ": " + describe(cause)));
    }

    /** {@code IOException: No space left on device} rather than a stack trace. */
    public static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
