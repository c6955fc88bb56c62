package io.aitrace.cli;

import io.aitrace.core.cost.Cost;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.cost.Usage;
import io.aitrace.core.genai.Messages;
import io.aitrace.genai.GenAi;
import io.aitrace.read.Evaluation;
import io.aitrace.read.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code diff} compares of one aligned step besides its status and duration: its own tokens and cost, its
 * model, its evaluations, and its input and output as text (the GenAI messages included).
 */
final class StepUsageDiff {
    /** Token changes smaller than this share of the step's tokens are run-to-run noise, not a change. */
    static final double TOKEN_NOISE = 0.10;
    private static final int TEXT_LINES_SHOWN = 12;
    private static final int LONG_TEXT = 60;

    private StepUsageDiff() {
    }

    /**
     * A token change of a step: {@code in 1k→10k (+900%), out 200 · cost $0.0003 → $0.0027 (+800%)}.
     *
     * @param weight how big it is: 1 + log2 of the ratio of the steps' token totals
     */
    record TokenChange(String detail, String brief, double weight) {
    }

    static TokenChange tokens(Node a, Node b, PriceTable prices) {
        long aIn = a.count(GenAi.USAGE_INPUT_TOKENS);
        long aOut = a.count(GenAi.USAGE_OUTPUT_TOKENS);
        long bIn = b.count(GenAi.USAGE_INPUT_TOKENS);
        long bOut = b.count(GenAi.USAGE_OUTPUT_TOKENS);
        long aTotal = aIn + aOut;
        long bTotal = bIn + bOut;
        if (aTotal == bTotal || Math.abs(bTotal - aTotal) <= TOKEN_NOISE * Math.max(aTotal, bTotal)) {
            return null;
        }
        String detail = "in " + count(aIn, bIn) + ", out " + count(aOut, bOut);
        String brief = "tokens " + Usage.tokens(aTotal) + "→" + Usage.tokens(bTotal) + percent(aTotal, bTotal);
        Cost aCost = prices.cost(a);
        Cost bCost = prices.cost(b);
        if (aCost.pricedSpans() > 0 && bCost.pricedSpans() > 0) {
            String money = Cost.dollars(aCost.usd()) + " → " + Cost.dollars(bCost.usd());
            detail += " · cost " + money + percent(aCost.usd(), bCost.usd());
            brief += ", cost " + money;
        } else if (!aCost.isEmpty() || !bCost.isEmpty()) {
            detail += " · cost " + or(aCost.format()) + " → " + or(bCost.format());
        }
        double ratio = (double) Math.max(aTotal, bTotal) / Math.max(1, Math.min(aTotal, bTotal));
        return new TokenChange(detail, brief, 1 + Math.log(ratio) / Math.log(2));
    }

    /** {@code gpt-4o → gpt-4o-mini}, or null when the model is the same. */
    static String model(Node a, Node b) {
        String am = PriceTable.modelOf(a);
        String bm = PriceTable.modelOf(b);
        return Objects.equals(am, bm) ? null : or(am) + " → " + or(bm);
    }

    /** Per evaluation name: {@code faithfulness 0.9 → 0.4}, {@code + toxicity 0}, {@code - relevance relevant}. */
    static List<String> evaluations(Node a, Node b) {
        Map<String, Evaluation> as = latest(a);
        Map<String, Evaluation> bs = latest(b);
        List<String> lines = new ArrayList<>();
        as.forEach((name, ea) -> {
            Evaluation eb = bs.get(name);
            if (eb == null) {
                lines.add("- " + name + " " + result(ea));
            } else if (!result(ea).equals(result(eb))) {
                String delta = ea.score() != null && eb.score() != null
                        ? String.format(Locale.ROOT, " (%+.2f)", eb.score() - ea.score()) : "";
                lines.add(name + " " + result(ea) + " → " + result(eb) + delta);
            }
        });
        bs.forEach((name, eb) -> {
            if (!as.containsKey(name)) {
                lines.add("+ " + name + " " + result(eb));
            }
        });
        return lines;
    }

    /** The largest score change among the evaluations, 1 for a verdict or an evaluation only one side has. */
    static double evaluationWeight(Node a, Node b) {
        Map<String, Evaluation> as = latest(a);
        Map<String, Evaluation> bs = latest(b);
        double weight = 0;
        for (Map.Entry<String, Evaluation> e : as.entrySet()) {
            Evaluation eb = bs.get(e.getKey());
            if (eb != null && e.getValue().score() != null && eb.score() != null) {
                weight = Math.max(weight, Math.abs(eb.score() - e.getValue().score()) * 4);
            } else {
                weight = Math.max(weight, 1);
            }
        }
        return weight;
    }

    /**
     * A text diff of a step's input (or output) when it is text or the GenAI messages changed: lines of
     * {@code - old} / {@code + new}; null when neither is text-like and the caller should diff the values instead.
     */
    static List<String> textChange(Node a, Node b, boolean input) {
        String messages = input ? GenAi.INPUT_MESSAGES : GenAi.OUTPUT_MESSAGES;
        String am = Messages.transcript(a.attribute(messages));
        String bm = Messages.transcript(b.attribute(messages));
        List<String> lines = new ArrayList<>();
        if (am != null || bm != null) {
            lines.addAll(TextDiff.lines(am, bm, TEXT_LINES_SHOWN));
        }
        Object av = input ? a.input() : a.output();
        Object bv = input ? b.input() : b.output();
        if (!ValueDiff.same(av, bv)) {
            if (!isText(av) || !isText(bv) || !isLong(av) && !isLong(bv)) {
                return lines.isEmpty() ? null : withValues(lines, av, bv);
            }
            lines.addAll(TextDiff.lines(Messages.valueText(av), Messages.valueText(bv), TEXT_LINES_SHOWN));
        }
        return lines;
    }

    private static List<String> withValues(List<String> lines, Object a, Object b) {
        List<String> all = new ArrayList<>(ValueDiff.changes(a, b, 8));
        all.addAll(lines);
        return all;
    }

    /** Text worth a line diff: several lines, or longer than a value diff shows. */
    private static boolean isLong(Object value) {
        String text = value == null ? "" : Messages.valueText(value);
        return text.indexOf('\n') >= 0 || text.length() > LONG_TEXT;
    }

    /** A string, or an object holding one string: what a prompt or an answer usually is. */
    private static boolean isText(Object value) {
        return value == null || value instanceof String
                || value instanceof Map && ((Map<?, ?>) value).size() == 1
                && ((Map<?, ?>) value).values().iterator().next() instanceof String;
    }

    private static Map<String, Evaluation> latest(Node node) {
        Map<String, Evaluation> byName = new LinkedHashMap<>();
        node.evaluations().forEach(e -> byName.put(e.name(), e));
        return byName;
    }

    private static String result(Evaluation e) {
        String score = e.score() == null ? "" : io.aitrace.core.text.TreePrinter.evaluationText(
                new Evaluation(null, "", e.score(), null, null)).trim();
        return (score + (e.label() == null ? "" : " " + e.label())).trim();
    }

    private static String count(long a, long b) {
        return a == b ? Usage.tokens(a) : Usage.tokens(a) + "→" + Usage.tokens(b) + percent(a, b);
    }

    static String percent(double a, double b) {
        if (a <= 0) {
            return "";
        }
        long change = Math.round((b - a) / a * 100);
        return " (" + (change >= 0 ? "+" : "") + change + "%)";
    }

    private static String or(String text) {
        return text == null || text.isEmpty() ? "none" : text;
    }
}
