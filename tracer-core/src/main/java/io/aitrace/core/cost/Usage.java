package io.aitrace.core.cost;

import io.aitrace.read.Node;
import java.util.Locale;

/**
 * A span's tokens and cost as a tree column shows them: {@code 1.2k→340 tok $0.0036} for a span's own call, and
 * {@code Σ 14k→2.8k tok $0.0177} (its whole subtree) for a span with children below it that used tokens.
 */
public final class Usage {
    private Usage() {
    }

    /** The column text of a span, or an empty string when neither it nor anything below it used tokens. */
    public static String column(Node node, PriceTable prices) {
        long in = node.inputTokens();
        long out = node.outputTokens();
        if (in + out == 0) {
            return "";
        }
        boolean own = in == node.count(io.aitrace.genai.GenAi.USAGE_INPUT_TOKENS)
                && out == node.count(io.aitrace.genai.GenAi.USAGE_OUTPUT_TOKENS);
        Cost cost = own ? prices.cost(node) : prices.subtreeCost(node);
        String text = (own ? "" : "Σ ") + tokens(in) + "→" + tokens(out) + " tok";
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
