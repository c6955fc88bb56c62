package io.aitrace.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code aitrace} command: inspect, diff, tail and export traces in the terminal.
 *
 * <pre>{@code java -jar aitrace.jar inspect run.jsonl --verbosity full}</pre>
 */
@Command(name = "aitrace", mixinStandardHelpOptions = true, versionProvider = AitraceCommand.Version.class,
        description = "Inspect, compare, follow and export aitrace traces (JSON-lines records).",
        subcommands = {ServeCommand.class, InspectCommand.class, DiffCommand.class, TailCommand.class,
                ExportCommand.class, DemoCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success; for diff, the traces are the same",
                "1:diff only: the traces differ",
                "2:bad input: a missing file, no traces, an unknown trace ID, an unreachable server, a bad option"})
public final class AitraceCommand implements Callable<Integer> {
    static final int DEFAULT_WIDTH = 120;

    @Spec
    CommandSpec spec;

    private final Path tracesDir;

    AitraceCommand(Path tracesDir) {
        this.tracesDir = tracesDir;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = commandLine(defaultTracesDir(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /**
     * The command, writing to {@code out} and {@code err}, looking up bare trace IDs in {@code tracesDir}.
     * Output is UTF-8 whatever the platform's default, so the tree's ✓, ✗ and │ survive.
     */
    static CommandLine commandLine(Path tracesDir, PrintWriter out, PrintWriter err) {
        ErrorReporter errors = new ErrorReporter();
        return new CommandLine(new AitraceCommand(tracesDir))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /** Where traces go when nothing else is configured: {@code ~/.config/aitrace/traces}. */
    static Path defaultTracesDir() {
        return Path.of(System.getProperty("user.home"), ".config", "aitrace", "traces");
    }

    /** {@code $COLUMNS} when the shell exports it, else 120. */
    static int defaultWidth() {
        String columns = System.getenv("COLUMNS");
        try {
            return columns == null ? DEFAULT_WIDTH : Math.max(0, Integer.parseInt(columns.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    TraceSource traceSource() {
        return new TraceSource(tracesDir);
    }

    Path tracesDir() {
        return tracesDir;
    }

    /** Without a subcommand: the usage on stderr, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AitraceCommand.class.getPackage().getImplementationVersion();
            return new String[] {"aitrace " + (version == null ? "(development build)" : version),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
