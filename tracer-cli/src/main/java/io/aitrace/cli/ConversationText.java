package io.aitrace.cli;

import io.aitrace.core.text.Durations;
import io.aitrace.core.text.TextFit;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.core.cost.Cost;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.cost.Usage;
import io.aitrace.core.genai.Messages;
import io.aitrace.genai.GenAi;
import io.aitrace.read.Evaluation;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code aitrace inspect --conversation ID}: the traces that share a {@code gen_ai.conversation.id}, one turn
 * each in start order, with what was asked and answered, tokens, cost, errors and evaluations.
 */
final class ConversationText {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Palette palette;
    private final int width;
    private final PriceTable prices;

    ConversationText(Palette palette, int width, PriceTable prices) {
        this.palette = palette;
        this.width = width;
        this.prices = prices;
    }

    /** The conversation's traces, oldest first. */
    static List<TraceGraph> turns(TraceGraph graph, String conversationId) {
        List<TraceGraph> turns = new ArrayList<>();
        for (String traceId : graph.traceIds()) {
            TraceGraph trace = graph.trace(traceId);
            boolean inConversation = trace.nodes().stream()
                    .anyMatch(node -> Objects.equals(conversationId, asText(node.attribute(GenAi.CONVERSATION_ID))));
            if (inConversation && !trace.roots().isEmpty()) {
                turns.add(trace);
            }
        }
        turns.sort(Comparator.comparing(t -> t.roots().get(0).start(), Comparator.nullsLast(Comparator.naturalOrder())));
        return turns;
    }

    void print(String conversationId, List<TraceGraph> turns, PrintWriter out) {
        long in = 0;
        long outTokens = 0;
        Cost total = Cost.NONE;
        for (TraceGraph turn : turns) {
            in += turn.inputTokens();
            outTokens += turn.outputTokens();
            total = total.plus(prices.cost(turn));
        }
        out.println(palette.name("Conversation " + conversationId) + palette.dim(" · "
                + InspectCommand.plural(turns.size(), "turn") + " · tokens " + in + " in / " + outTokens + " out · cost "
                + InspectCommand.costText(total)));
        int number = 0;
        for (TraceGraph turn : turns) {
            number++;
            out.println();
            printTurn(number, turn, out);
        }
    }

    private void printTurn(int number, TraceGraph turn, PrintWriter out) {
        Node root = turn.roots().get(0);
        TraceSummary summary = new TraceSummary(turn);
        String mark = "error".equals(summary.status()) ? palette.error("✗")
                : "running".equals(summary.status()) ? palette.warn("…") : palette.ok("✓");
        List<String> parts = new ArrayList<>();
        parts.add(root.start() == null ? "?" : WHEN.format(root.start()));
        parts.add(root.name());
        parts.add(Durations.format(summary.durationMs()) + " " + mark);
        Cost cost = prices.cost(turn);
        if (turn.inputTokens() + turn.outputTokens() > 0) {
            parts.add(Usage.tokens(turn.inputTokens()) + "→" + Usage.tokens(turn.outputTokens()) + " tok "
                    + cost.format());
        }
        parts.add("trace " + TreePrinter.shortId(root.traceId()));
        out.println(palette.name("Turn " + number) + " · " + String.join(" · ", parts));
        line(out, "user: ", palette::name, Messages.inputSummary(root));
        line(out, "assistant: ", palette::ok, Messages.outputSummary(root));
        for (Node failed : summary.errors()) {
            line(out, "error: ", palette::error, failed.name() + ": "
                    + (failed.error() == null ? "failed" : TreePrinter.errorText(failed.error(), false)));
        }
        for (Node node : summary.spans()) {
            for (Evaluation evaluation : node.evaluations()) {
                line(out, "eval: ", palette::edge, node.name() + " " + TreePrinter.evaluationText(evaluation));
            }
        }
    }

    private void line(PrintWriter out, String label, java.util.function.UnaryOperator<String> style, String text) {
        if (text == null) {
            return;
        }
        int room = width <= 0 ? 0 : Math.max(20, width - 2 - label.length());
        List<String> lines = TextFit.wrap(text, room, 6);
        out.println("  " + style.apply(label) + lines.get(0));
        String hang = " ".repeat(2 + label.length());
        lines.subList(1, lines.size()).forEach(rest -> out.println(hang + rest));
    }

    private static String asText(Object value) {
        return value == null ? null : value.toString();
    }
}
