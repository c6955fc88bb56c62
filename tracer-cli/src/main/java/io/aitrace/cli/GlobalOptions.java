package io.aitrace.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every subcommand takes, and what every subcommand reaches through them: the {@code aitrace} command it
 * runs under and its output. Each subcommand mixes it in with {@code @Mixin GlobalOptions global}.
 */
final class GlobalOptions {
    /** The subcommand this is mixed into. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--no-color", description = "Never colour the output (colour is used only on a terminal).")
    boolean noColor;

    @Option(names = "--debug", description = "Print the stack trace of a failure.")
    boolean debug;

    /** The {@code aitrace} command: where bare trace IDs are looked up. */
    AitraceCommand root() {
        return (AitraceCommand) command.parent().userObject();
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** Colours for the command's output: only on a terminal, never with {@code --no-color}. */
    Palette palette() {
        return Palette.forOutput(true, noColor);
    }
}
