package io.aitrace.cli;

import io.aitrace.read.TraceGraph;
import io.aitrace.core.text.Durations;
import io.aitrace.core.text.TextFit;
import io.aitrace.core.cost.Cost;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.read.Node;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aitrace inspect}: one trace as a tree, or its summary as JSON. */
@Command(name = "inspect", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Show a trace as a tree, or its summary as JSON.",
                "Each span shows its type, name, duration and status, its edges (↻ retry of, ⤷ fallback of), its "
                        + "errors, annotations and log lines; parallel siblings are marked ‖.",
                "PATH is a JSON-lines file or a directory of them; a file may hold many traces: they are listed, "
                        + "newest first, and the newest is shown unless --trace picks another. A bare TRACE_ID is "
                        + "looked up in ~/.config/aitrace/traces (or on the collector with --server)."})
final class InspectCommand implements Callable<Integer> {
    private static final int LISTED_TRACES = 20;
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Mixin
    GlobalOptions global;

    @Mixin
    TraceChoice choice;

    @Mixin
    DisplayOptions display;

    @Option(names = "--conversation", paramLabel = "ID",
            description = "Show the conversation ID (the traces sharing this gen_ai.conversation.id) turn by turn: "
                    + "what was asked and answered, tokens, cost, errors and evaluations.")
    String conversation;

    @Option(names = "--json", description = "Print a machine-readable summary instead of the tree.")
    boolean json;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (conversation != null && (choice.server != null || choice.traceId != null)) {
            throw new CliError("--conversation reads every trace of PATH: leave out --trace and --server");
        }
        TraceSource.Loaded loaded = choice.load(global.root().traceSource());
        if (output == null) {
            print(loaded, global.out(), global.palette());
            return 0;
        }
        Path parentDir = output.toAbsolutePath().getParent();
        if (parentDir != null) {
            Files.createDirectories(parentDir);
        }
        try (Writer file = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
                PrintWriter out = new PrintWriter(file)) {
            print(loaded, out, Palette.PLAIN);
        }
        return 0;
    }

    private void print(TraceSource.Loaded loaded, PrintWriter out, Palette palette) {
        TraceSummary summary = new TraceSummary(loaded.trace());
        PriceTable prices = PriceTable.load();
        int columns = display.columns();
        if (conversation != null) {
            List<TraceGraph> turns = ConversationText.turns(loaded.graph(), conversation);
            if (turns.isEmpty()) {
                throw new CliError("no trace of " + loaded.source() + " has gen_ai.conversation.id " + conversation);
            }
            new ConversationText(palette, columns, prices).print(conversation, turns, out);
            out.flush();
            return;
        }
        if (json) {
            out.println(JsonText.pretty(summary.toJson(loaded.source(), loaded.traceIds(), prices)));
            out.flush();
            return;
        }
        if (loaded.traceIds().size() > 1 && !loaded.picked()) {
            printTraceList(loaded, out, palette);
        }
        new TreeRenderer(display.verbosity, palette, columns, prices).render(loaded.trace(), out);
        printFooter(loaded, summary, out, palette, columns, prices);
        out.flush();
    }

    private static void printTraceList(TraceSource.Loaded loaded, PrintWriter out, Palette palette) {
        List<String> ids = loaded.traceIds();
        out.println(loaded.source() + " holds " + ids.size() + " traces, newest first; showing the first "
                + "(choose another with --trace ID):");
        for (String id : ids.subList(0, Math.min(LISTED_TRACES, ids.size()))) {
            TraceGraph trace = loaded.graph().trace(id);
            TraceSummary summary = new TraceSummary(trace);
            Instant start = trace.roots().isEmpty() ? null : trace.roots().get(0).start();
            String name = trace.roots().isEmpty() ? "" : trace.roots().get(0).name();
            String mark = "error".equals(summary.status()) ? palette.error("✗")
                    : "running".equals(summary.status()) ? palette.warn("…") : palette.ok("✓");
            int errors = summary.errors().size();
            out.println("  " + (id.equals(loaded.traceId()) ? "▸ " : "  ") + id + "  "
                    + (start == null ? "?" : WHEN.format(start)) + "  " + palette.name(name) + "  "
                    + plural(summary.spans().size(), "span") + "  " + Durations.format(summary.durationMs())
                    + "  " + mark + (errors == 0 ? "" : palette.error(" " + plural(errors, "error"))));
        }
        if (ids.size() > LISTED_TRACES) {
            out.println("    … and " + (ids.size() - LISTED_TRACES) + " older traces");
        }
        out.println();
    }

    private static void printFooter(TraceSource.Loaded loaded, TraceSummary summary, PrintWriter out,
            Palette palette, int columns, PriceTable prices) {
        out.println();
        List<String> parts = new ArrayList<>();
        parts.add("trace " + loaded.traceId());
        parts.add(plural(summary.spans().size(), "span"));
        if (!summary.errors().isEmpty()) {
            parts.add(palette.error(plural(summary.errors().size(), "error")));
        }
        if (summary.running() > 0) {
            parts.add(palette.warn(summary.running() + " running"));
        }
        parts.add(plural(loaded.trace().logs().size(), "log line"));
        if (summary.inputTokens() + summary.outputTokens() > 0) {
            parts.add("tokens " + summary.inputTokens() + " in / " + summary.outputTokens() + " out");
            parts.add("cost " + costText(prices.cost(loaded.trace())));
        }
        out.println(palette.dim(String.join(" · ", parts)));
        List<Node> critical = summary.criticalPath();
        if (critical.size() > 1) {
            List<String> names = new ArrayList<>();
            critical.subList(1, critical.size()).forEach(node -> names.add(summary.path(node).last().text()));
            out.println(palette.dim(TextFit.cut("◆ critical path: " + String.join(" → ", names), columns)));
        }
        TraceGraph graph = loaded.graph();
        if (graph.skippedLines() > 0) {
            List<String> problems = graph.problems();
            String last = problems.get(problems.size() - 1);
            boolean notRead = last.contains(" lines not read, the heap "); // the reader stopped before memory ran out
            out.println(palette.warn(plural(graph.skippedLines(), notRead ? "line" : "malformed line")
                    + " skipped in " + loaded.source()));
            int room = columns <= 0 ? 0 : Math.max(20, columns - 2);
            String first = (graph.skippedLines() > 1 ? "first: " : "") + problems.get(0);
            out.println(palette.warn("  " + TextFit.cut(first, room)));
            if (notRead && problems.size() > 1) {
                out.println(palette.warn("  last: " + TextFit.cut(last, room)));
            }
        }
        if (graph.droppedRecords() > 0) {
            out.println(palette.warn(plural(graph.droppedRecords(), "record") + " lost: the writer's queue was full"));
        }
    }

    /** {@code $0.0177}, {@code no price (model-x)}, {@code $0.0177 + no price for 1 span (model-x)}. */
    static String costText(Cost cost) {
        if (cost.isEmpty()) {
            return "none";
        }
        String models = " (" + String.join(", ", cost.unpricedModels()) + ")";
        if (cost.pricedSpans() == 0) {
            return "no price" + models;
        }
        return Cost.dollars(cost.usd()) + (cost.isComplete() ? ""
                : " + no price for " + plural(cost.unpricedSpans(), "span") + models);
    }

    static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
