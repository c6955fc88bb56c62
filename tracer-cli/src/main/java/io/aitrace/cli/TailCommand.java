package io.aitrace.cli;

import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aitrace tail}: follow a growing trace file, or a collector's live stream, and print spans as they start and end. */
@Command(name = "tail", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Follow a growing trace file, or a collector's live stream, and print spans as they start and end.",
                "PATH is a JSON-lines file or a directory, whose *.jsonl files are all followed (new ones too), or the "
                        + "URL of a collector (aitrace serve), whose /api/stream is followed. Spans are indented by "
                        + "depth, log lines under their span. Stops on Ctrl-C."})
final class TailCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Mixin
    DisplayOptions display;

    @Parameters(arity = "0..1", paramLabel = "PATH",
            description = "A JSON-lines file, a directory of them, or a collector URL (http://127.0.0.1:8000). "
                    + "Default: ~/.config/aitrace/traces.")
    String target;

    @Option(names = {"-t", "--trace"}, paramLabel = "ID",
            description = "With a collector URL: only this trace's spans and log lines.")
    String traceId;

    @Option(names = "--from-start", description = "Print what the file already holds first.")
    boolean fromStart;

    @Option(names = "--wait", description = "Wait for the file to appear instead of failing when it is missing.")
    boolean waitForFile;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "200",
            description = "How often to look for new lines, in milliseconds. Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = global.out();
        PrintWriter err = global.err();
        int columns = display.columns();
        TailPrinter printer = new TailPrinter(display.verbosity, global.palette(), columns,
                ZoneId.systemDefault());
        if (target != null && target.toLowerCase(Locale.ROOT).matches("https?://.*")) {
            return followCollector(printer, out, err);
        }
        if (traceId != null) {
            throw new CliError("--trace works with a collector URL; to follow one trace of a file, use inspect");
        }
        Path path = target == null ? global.root().tracesDir() : Path.of(target);
        if (!Files.exists(path)) {
            if (!waitForFile) {
                throw new CliError("no such file or directory: " + path + " (--wait waits for it to appear)");
            }
            err.println("aitrace: waiting for " + path + " to appear");
        }
        if (intervalMs <= 0) {
            throw new CliError("--interval must be more than 0 ms");
        }
        FileFollower follower = new FileFollower(path);
        TraceReader.Accumulator records = new TraceReader.Accumulator();
        follower.start(fromStart).forEach(records::accept);
        TraceGraph graph = records.graph();
        if (fromStart) {
            printer.print(graph, out);
        } else {
            printer.skip(graph);
        }
        int skipped = graph.skippedLines();
        err.println("aitrace: following " + path + " (Ctrl-C to stop)");
        err.flush();
        out.flush();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            List<String> lines = follower.poll();
            if (lines.isEmpty()) {
                continue;
            }
            lines.forEach(records::accept);
            graph = records.graph();
            printer.print(graph, out);
            out.flush();
            if (graph.skippedLines() > skipped) {
                List<String> problems = graph.problems();
                err.println("aitrace: skipped " + InspectCommand.plural(graph.skippedLines() - skipped,
                        "malformed line") + (problems.isEmpty() ? "" : " (" + problems.get(problems.size() - 1) + ")"));
                err.flush();
                skipped = graph.skippedLines();
            }
        }
        return 0;
    }

    /** Prints what the collector's event stream delivers until the collector closes it. */
    private int followCollector(TailPrinter printer, PrintWriter out, PrintWriter err) {
        if (fromStart) {
            throw new CliError("--from-start works with files; a collector's stream starts now (use inspect --server "
                    + "for what it already holds)");
        }
        EventStreamReader stream = new EventStreamReader(target, traceId);
        TraceReader.Accumulator records = new TraceReader.Accumulator();
        stream.read(() -> {
            err.println("aitrace: following " + stream.uri() + " (Ctrl-C to stop)");
            err.flush();
        }, records::accept, () -> {
            printer.print(records.graph(), out);
            out.flush();
        });
        return 0;
    }
}
