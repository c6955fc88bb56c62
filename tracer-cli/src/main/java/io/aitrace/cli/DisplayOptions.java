package io.aitrace.cli;

import picocli.CommandLine.Option;

/** How much of each span to print, and how wide: inspect, tail and demo print spans the same way. */
final class DisplayOptions {
    @Option(names = {"-v", "--verbosity"}, paramLabel = "LEVEL", defaultValue = "standard",
            description = "minimal (spans only), standard (+ errors, annotations, log lines) or full (+ inputs, "
                    + "outputs and, in a tree, attributes and stacks). Default: ${DEFAULT-VALUE}.")
    Verbosity verbosity;

    @Option(names = "--width", paramLabel = "COLUMNS",
            description = "Cut or wrap long values at this width; 0 never cuts. Default: $COLUMNS, else 120.")
    Integer width;

    /** {@code --width}, else {@code $COLUMNS}, else 120. */
    int columns() {
        return width != null ? width : AitraceCommand.defaultWidth();
    }
}
