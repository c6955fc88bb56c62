package io.aitrace.server;

/**
 * A request the server refuses: the HTTP status and a message naming the problem, sent as {@code {"error":...}},
 * with a {@code Retry-After} header when trying again later will help.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private int retryAfterSeconds;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** Sends {@code Retry-After: seconds} with the refusal. */
    ApiException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Seconds to wait before trying again, or 0 when no {@code Retry-After} goes out. */
    int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
