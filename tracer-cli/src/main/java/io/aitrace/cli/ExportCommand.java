package io.aitrace.cli;

import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.read.TraceReader;
import io.aitrace.viewer.HtmlExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code aitrace export PATH --html}: one trace as a self-contained HTML page. */
@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Write a trace as one self-contained HTML file.",
                "The records are embedded in the page; opening it needs no network. PATH and TRACE_ID work as for "
                        + "inspect."})
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    AitraceCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "0..1", paramLabel = "PATH|TRACE_ID",
            description = "A JSON-lines file, a directory of them, or a trace ID. Default: ~/.config/aitrace/traces.")
    String source;

    @Option(names = "--html", required = true, description = "Export as HTML (the only format so far).")
    boolean html;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write; - for stdout. Default: trace-<first 8 characters of the ID>.html.")
    String out;

    @Option(names = {"-t", "--trace"}, paramLabel = "ID",
            description = "The trace to export (a unique prefix is enough). Default: the newest.")
    String traceId;

    @Option(names = "--server", paramLabel = "URL", description = "Read the trace from a running collector.")
    String server;

    @Override
    public Integer call() throws IOException {
        TraceSource sources = parent.traceSource();
        TraceSource.Loaded loaded = sources.load(source, traceId, server);
        List<String> lines = sources.recordLines(loaded);
        String name = loaded.trace().roots().isEmpty() ? "" : loaded.trace().roots().get(0).name() + " · ";
        String title = name + "trace " + loaded.traceId();
        PrintWriter stdout = spec.commandLine().getOut();
        String prices = PriceTable.load().toJson(); // the page shows the costs inspect shows
        if ("-".equals(out)) {
            stdout.print(HtmlExport.render(lines, TraceReader.readLines(lines), title, prices));
            stdout.flush();
            return 0;
        }
        Path file = Path.of(out != null ? out : "trace-" + TreeRenderer.shortId(loaded.traceId()) + ".html");
        HtmlExport.write(file, lines, TraceReader.readLines(lines), title, prices);
        TraceSummary summary = new TraceSummary(loaded.trace());
        stdout.println("Wrote " + file + ": " + title + ", " + InspectCommand.plural(summary.spans().size(), "span")
                + ", " + InspectCommand.plural(loaded.trace().logs().size(), "log line"));
        if (loaded.graph().skippedLines() > 0) {
            stdout.println(InspectCommand.plural(loaded.graph().skippedLines(), "malformed line") + " skipped in "
                    + loaded.source() + " (" + loaded.graph().problems().get(0) + ")");
        }
        if (loaded.traceIds().size() > 1 && !loaded.picked()) {
            stdout.println(loaded.source() + " holds " + loaded.traceIds().size()
                    + " traces; this is the newest (choose another with --trace ID)");
        }
        stdout.flush();
        return 0;
    }
}
