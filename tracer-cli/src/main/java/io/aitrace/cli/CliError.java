package io.aitrace.cli;

/**
 * A failure the user can fix (a missing file, an unknown trace ID, an unreachable collector): reported as one
 * {@code aitrace: message} line on stderr, exit code 2, no stack trace unless {@code --debug}.
 */
final class CliError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliError(String message) {
        super(message);
    }

    CliError(String message, Throwable cause) {
        super(message, cause);
    }
}
