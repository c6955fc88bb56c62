package io.aitrace.core.cost;

import io.aitrace.genai.GenAi;
import io.aitrace.read.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A span's tokens and cost as a tree column shows them: {@code 1.2k→340 tok $0.0036} for a span's own call, and
 * {@code Σ 14k→2.8k tok $0.0177} (its whole subtree) for a span with children below it that used tokens.
 */
public final class Usage {
    private Usage() {
    }

    /** The column text of a span, or an empty string when neither it nor anything below it used tokens. */
    public static String column(Node node, PriceTable prices) {
        return text(node.inputTokens(), node.outputTokens(), node, prices.cost(node), prices.subtreeCost(node));
    }

    /**
     * The column text of every span below {@code roots} that has one, worked out bottom-up in one pass (linear in
     * the number of spans, whatever the depth): what {@link #column} gives for each, without walking each subtree.
     */
    public static Map<Node, String> columns(List<Node> roots, PriceTable prices) {
        List<Node> order = new ArrayList<>(); // parents before children
        List<Node> pending = new ArrayList<>(roots);
        while (!pending.isEmpty()) {
            Node node = pending.remove(pending.size() - 1);
            order.add(node);
            pending.addAll(node.children());
        }
        Map<Node, long[]> tokens = new IdentityHashMap<>();
        Map<Node, Cost> costs = new IdentityHashMap<>();
        Map<Node, String> columns = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) { // children before parents
            Node node = order.get(i);
            Cost own = prices.cost(node);
            long in = node.count(GenAi.USAGE_INPUT_TOKENS);
            long out = node.count(GenAi.USAGE_OUTPUT_TOKENS);
            Cost subtree = own;
            for (Node child : node.children()) {
                long[] below = tokens.remove(child);
                in += below[0];
                out += below[1];
                subtree = subtree.plus(costs.remove(child));
            }
            tokens.put(node, new long[] {in, out});
            costs.put(node, subtree);
            String text = text(in, out, node, own, subtree);
            if (!text.isEmpty()) {
                columns.put(node, text);
            }
        }
        return columns;
    }

    private static String text(long in, long out, Node node, Cost own, Cost subtree) {
        if (in + out == 0) {
            return "";
        }
        boolean isOwn = in == node.count(GenAi.USAGE_INPUT_TOKENS) && out == node.count(GenAi.USAGE_OUTPUT_TOKENS);
        Cost cost = isOwn ? own : subtree;
        String text = (isOwn ? "" : "Σ ") + tokens(in) + "→" + tokens(out) + " tok";
        String money = cost.format();
        return money.isEmpty() ? text : text + " " + money;
    }

    /** A token count in at most five characters: {@code 950}, {@code 1.2k}, {@code 13.5k}, {@code 140k}, {@code 3.1M}. */
    public static String tokens(long count) {
        if (count < 1000) {
            return Long.toString(count);
        }
        if (count < 100_000) {
            return trim(String.format(Locale.ROOT, "%.1f", count / 1000.0)) + "k";
        }
        if (count < 1_000_000) {
            return Math.round(count / 1000.0) + "k";
        }
        return trim(String.format(Locale.ROOT, "%.1f", count / 1_000_000.0)) + "M";
    }

    private static String trim(String number) {
        return number.endsWith(".0") ? number.substring(0, number.length() - 2) : number;
    }
}
