package io.aitrace.cli;

/** How much of each span the tree and {@code tail} show. */
enum Verbosity {
    /** One line per span: type, name, duration, status, edges. */
    MINIMAL,
    /** Also errors, annotations and log lines. */
    STANDARD,
    /** Also inputs, outputs, attributes and the details of logs and errors. */
    FULL;

    boolean atLeast(Verbosity other) {
        return compareTo(other) >= 0;
    }
}
