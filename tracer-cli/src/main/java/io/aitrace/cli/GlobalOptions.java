package io.aitrace.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class GlobalOptions {
    @Option(names = "--no-color", description = "Never colour the output (colour is used only on a terminal).")
    boolean noColor;

    @Option(names = "--debug", description = "Print the stack trace of a failure.")
    boolean debug;
}
