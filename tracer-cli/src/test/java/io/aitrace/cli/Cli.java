package io.aitrace.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the aitrace command in this JVM with captured stdout and stderr. */
final class Cli {
    /** What a run left: its exit code and what it printed. */
    record Result(int exitCode, String out, String err) {
    }

    /** Output captured while a command runs on another thread (for {@code tail}). */
    static final class Running {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine;

        Running(Path tracesDir) {
            commandLine = AitraceCommand.commandLine(tracesDir, new PrintWriter(out, true), new PrintWriter(err, true));
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }
    }

    private Cli() {
    }

    /** Runs {@code aitrace ARGS}; bare trace IDs are looked up in {@code tracesDir}. */
    static Result run(Path tracesDir, String... args) {
        Running running = new Running(tracesDir);
        int exitCode = running.commandLine.execute(args);
        return new Result(exitCode, running.out(), running.err());
    }
}
