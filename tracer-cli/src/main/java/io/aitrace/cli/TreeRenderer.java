package io.aitrace.cli;

import io.aitrace.read.Edge;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.core.cost.PriceTable;
import java.io.PrintWriter;
import java.util.Map;

/**
 * One trace as a tree of text for {@code inspect}: tracer-core's {@link TreePrinter} (the same tree the console
 * target prints) at the command's verbosity, in the command's colours, with a tokens-and-cost column and the
 * critical path marked {@code ◆}.
 */
final class TreeRenderer {
    private final TreePrinter printer;

    /** @param width the widest line; 0 for no limit */
    TreeRenderer(Verbosity verbosity, Palette palette, int width, PriceTable prices) {
        this.printer = new TreePrinter(TreePrinter.Detail.valueOf(verbosity.name()), palette, width).withUsage(prices);
    }

    /** Prints the trace (one trace of a graph: see {@link TraceGraph#trace(String)}). */
    void render(TraceGraph trace, PrintWriter out) {
        printer.markCriticalPath(new TraceSummary(trace).criticalPath()).print(trace, out);
    }

    /** {@code ↻ retry of}, {@code ⤷ fallback of}, … for an edge's type. */
    static String edgePhrase(Edge edge) {
        return TreePrinter.edgePhrase(edge);
    }

    /** {@code java.io.IOException: timeout}, and with {@code withStack} the stack below it. */
    static String errorText(Map<String, Object> error, boolean withStack) {
        return TreePrinter.errorText(error, withStack);
    }

    static String shortId(String id) {
        return TreePrinter.shortId(id);
    }
}
