package io.aitrace.server;

/** A request the server refuses: the HTTP status and a message naming the problem, sent as {@code {"error":...}}. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
