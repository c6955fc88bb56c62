package io.aitrace.cli;

import io.aitrace.core.read.TraceAlignment;
import io.aitrace.core.text.Durations;
import io.aitrace.core.cost.PriceTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aitrace diff A B}: what changed between two traces; exit code 0 when the same, 1 when different. */
@Command(name = "diff", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Compare two traces step by step.",
                "Spans are paired by their path of names and types "
                + "(repeated siblings by order); the report lists spans only in A or only in B, status changes, "
                + "duration changes beyond the threshold, token and cost changes (beyond 10%), model changes, "
                + "changed inputs and outputs (text and GenAI messages as a line diff) and evaluation changes, "
                + "then the biggest changes and a verdict.",
                "A and B are files or directories (their newest trace), or trace IDs: looked up in --in PATH, "
                        + "on the collector with --server, else in ~/.config/aitrace/traces.",
                "Exit code: 0 when the traces are the same under the options, 1 when they differ, 2 on error."})
final class DiffCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "A", description = "The first trace: a path or a trace ID.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The second trace: a path or a trace ID.")
    String b;

    @Option(names = "--in", paramLabel = "PATH",
            description = "The file or directory holding both trace IDs (e.g. two runs in one file).")
    Path in;

    @Option(names = "--server", paramLabel = "URL", description = "Read both trace IDs from a running collector.")
    String server;

    @Option(names = "--threshold", paramLabel = "LIMIT", defaultValue = "20%", converter = ThresholdConverter.class,
            description = "Report a duration change beyond this: a percentage (and at least 1 ms) or a duration "
                    + "like 250ms or 1.5s. Default: ${DEFAULT-VALUE}.")
    TraceDiff.Threshold threshold;

    @Option(names = "--fold-under", paramLabel = "DURATION", defaultValue = "50ms",
            converter = ThresholdConverter.class,
            description = "Fold duration changes smaller than this at steps with no other change into one line "
                    + "(they still count); 0 lists them all. Default: ${DEFAULT-VALUE}.")
    TraceDiff.Threshold foldUnder;

    @Option(names = "--ignore", paramLabel = "KIND", split = ",",
            description = "Differences not to look at: duration, status, tokens, model, input, output, evaluation, "
                    + "only_in_a, only_in_b (comma-separated or repeated).")
    Set<TraceDiff.Kind> ignore = EnumSet.noneOf(TraceDiff.Kind.class);

    @Option(names = "--json", description = "Print the differences as JSON.")
    boolean json;

    @Override
    public Integer call() {
        TraceSource sources = global.root().traceSource();
        TraceSource.Loaded left = sources.loadSide(a, in, server);
        TraceSource.Loaded right = sources.loadSide(b, in, server);
        if (Double.isNaN(foldUnder.absoluteMs())) {
            throw new CliError("--fold-under takes a duration like 50ms or 0, not a percentage");
        }
        TraceDiff diff = TraceDiff.compare(left.trace(), right.trace(), threshold, ignore, PriceTable.load(),
                foldUnder.absoluteMs());
        PrintWriter out = global.out();
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("a", side(left));
            report.put("b", side(right));
            report.putAll(diff.toJson());
            out.println(JsonText.pretty(report));
        } else {
            printReport(left, right, diff, out, global.palette());
        }
        out.flush();
        return diff.equal() ? 0 : 1;
    }

    private static void printReport(TraceSource.Loaded left, TraceSource.Loaded right, TraceDiff diff,
            PrintWriter out, Palette palette) {
        out.println("A: " + headline(left, palette));
        out.println("B: " + headline(right, palette));
        out.println();
        for (TraceDiff.Change change : diff.changes()) {
            if (change.folded()) {
                continue;
            }
            TraceAlignment.Pair pair = change.pair();
            String where = pair.path() + " " + palette.type("[" + pair.either().type().name() + "]");
            String detail = change.detail().isEmpty() ? "" : (change.valueChanges().isEmpty() && isOnly(change)
                    ? " " : ": ") + change.detail();
            out.println(label(change.kind(), palette) + where + detail);
            for (String value : change.valueChanges()) {
                out.println("               " + value);
            }
        }
        if (diff.folded() > 0) {
            out.println(label(TraceDiff.Kind.DURATION, palette) + palette.dim(InspectCommand.plural(diff.folded(),
                    "duration-only change") + " under " + Durations.format(diff.foldUnderMs())
                    + " folded (--fold-under 0 lists them)"));
        }
        if (!diff.changes().isEmpty()) {
            out.println();
        }
        String biggest = diff.biggest(3);
        if (biggest != null) {
            out.println(palette.name(biggest));
        }
        out.println(diff.equal() ? palette.ok(diff.verdict()) : palette.warn(diff.verdict()));
        skipped("A", left, out, palette);
        skipped("B", right, out, palette);
    }

    private static boolean isOnly(TraceDiff.Change change) {
        return change.kind() == TraceDiff.Kind.ONLY_IN_A || change.kind() == TraceDiff.Kind.ONLY_IN_B;
    }

    private static String label(TraceDiff.Kind kind, Palette palette) {
        return switch (kind) {
            case ONLY_IN_A -> palette.error("- only in A  ");
            case ONLY_IN_B -> palette.ok("+ only in B  ");
            case STATUS -> palette.warn("! status     ");
            case DURATION -> palette.type("~ duration   ");
            case TOKENS -> palette.warn("$ tokens     ");
            case MODEL -> palette.warn("≠ model      ");
            case INPUT -> palette.edge("≠ input      ");
            case OUTPUT -> palette.edge("≠ output     ");
            case EVALUATION -> palette.edge("≈ evaluation ");
        };
    }

    private static String headline(TraceSource.Loaded side, Palette palette) {
        TraceSummary summary = new TraceSummary(side.trace());
        String name = side.trace().roots().isEmpty() ? "" : side.trace().roots().get(0).name();
        String mark = "error".equals(summary.status()) ? palette.error("✗")
                : "running".equals(summary.status()) ? palette.warn("…") : palette.ok("✓");
        return side.source() + " · trace " + side.traceId() + " · " + palette.name(name) + " · "
                + InspectCommand.plural(summary.spans().size(), "span") + " · "
                + Durations.format(summary.durationMs()) + " " + mark;
    }

    private static void skipped(String which, TraceSource.Loaded side, PrintWriter out, Palette palette) {
        int skipped = side.graph().skippedLines();
        if (skipped > 0) {
            out.println(palette.warn(which + ": " + InspectCommand.plural(skipped, "malformed line")
                    + " skipped in " + side.source() + " (" + side.graph().problems().get(0) + ")"));
        }
    }

    private static Map<String, Object> side(TraceSource.Loaded side) {
        Map<String, Object> json = new LinkedHashMap<>();
        TraceSummary summary = new TraceSummary(side.trace());
        json.put("source", side.source());
        json.put("trace_id", side.traceId());
        json.put("name", side.trace().roots().isEmpty() ? null : side.trace().roots().get(0).name());
        json.put("status", summary.status());
        json.put("spans", summary.spans().size());
        json.put("duration_ms", Durations.round(summary.durationMs()));
        json.put("skipped_lines", side.graph().skippedLines());
        return json;
    }

    /** {@code 20%}, {@code 250ms}, {@code 1.5s} to a threshold, with a message picocli shows for bad values. */
    static final class ThresholdConverter implements CommandLine.ITypeConverter<TraceDiff.Threshold> {
        @Override
        public TraceDiff.Threshold convert(String value) {
            try {
                return TraceDiff.Threshold.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }
}
