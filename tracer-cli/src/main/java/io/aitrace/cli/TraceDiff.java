package io.aitrace.cli;

import io.aitrace.core.read.TraceAlignment;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.text.Durations;
import io.aitrace.core.cost.PriceTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What changed from one trace to another, step by step: spans only in A or only in B, status changes, duration
 * changes beyond a threshold, token and cost changes, model changes, changed inputs and outputs (GenAI messages
 * included, as a text diff), evaluation changes; and which changes are the biggest. Built on
 * {@link TraceAlignment}; prints nothing.
 */
final class TraceDiff {
    private static final int VALUE_CHANGES_SHOWN = 8;

    /** A kind of difference, with the words the verdict uses for it. */
    enum Kind {
        ONLY_IN_A("only in A", "only in A"),
        ONLY_IN_B("only in B", "only in B"),
        STATUS("status change", "status changes"),
        DURATION("duration change", "duration changes"),
        TOKENS("token change", "token changes"),
        MODEL("model change", "model changes"),
        INPUT("input change", "input changes"),
        OUTPUT("output change", "output changes"),
        EVALUATION("evaluation change", "evaluation changes");

        private final String one;
        private final String many;

        Kind(String one, String many) {
            this.one = one;
            this.many = many;
        }

        String words(long count) {
            return count + " " + (count == 1 ? one : many);
        }

        /** The name options and JSON use: {@code only_in_a}, {@code duration}, … */
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One difference at one step.
     *
     * @param detail e.g. {@code ok → error (java.io.IOException: timeout)} or {@code 333 ms → 512 ms (+54%)}
     * @param valueChanges for inputs and outputs, one line per changed field or changed line of text
     * @param brief a few words for the summary of the biggest changes
     * @param weight how big the change is, to rank changes: larger first
     * @param folded a duration-only change below the fold limit: counted, but not listed one by one
     */
    record Change(Kind kind, TraceAlignment.Pair pair, String detail, List<String> valueChanges, String brief,
            double weight, boolean folded) {
    }

    /**
     * A duration change counts when it is beyond a relative threshold (and at least 1 ms: sub-millisecond
     * jitter is not a change) or beyond an absolute one.
     *
     * @param relative e.g. 0.2 for 20%, or NaN when the threshold is absolute
     * @param absoluteMs the absolute threshold in milliseconds, or NaN when it is relative
     */
    record Threshold(double relative, double absoluteMs) {
        static final double MIN_CHANGE_MS = 1.0;
        static final Threshold DEFAULT = new Threshold(0.2, Double.NaN);

        /** {@code 20%}, {@code 250ms}, {@code 1.5s} or a plain number of milliseconds. */
        static Threshold parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.endsWith("%")) {
                    return positive(new Threshold(Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100,
                            Double.NaN));
                }
                if (t.endsWith("ms")) {
                    return positive(new Threshold(Double.NaN, Double.parseDouble(t.substring(0, t.length() - 2).trim())));
                }
                if (t.endsWith("s")) {
                    return positive(new Threshold(Double.NaN,
                            Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
                }
                return positive(new Threshold(Double.NaN, Double.parseDouble(t)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a percentage like 20% or a duration like 250ms or 1.5s",
                        e);
            }
        }

        private static Threshold positive(Threshold threshold) {
            double value = Double.isNaN(threshold.relative) ? threshold.absoluteMs : threshold.relative;
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("a threshold must be zero or more");
            }
            return threshold;
        }

        boolean exceeded(double aMs, double bMs) {
            double change = Math.abs(bMs - aMs);
            if (!Double.isNaN(absoluteMs)) {
                return change > absoluteMs;
            }
            return change >= MIN_CHANGE_MS && (aMs <= 0 || change / aMs > relative);
        }

        @Override
        public String toString() {
            return Double.isNaN(absoluteMs) ? trim(relative * 100) + "%" : Durations.format(absoluteMs);
        }

        private static String trim(double value) {
            return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
        }
    }

    private final List<TraceAlignment.Pair> rows;
    private final List<Change> changes = new ArrayList<>();
    private final Threshold threshold;
    private final Set<Kind> ignored;
    private final PriceTable prices;
    private final double foldUnderMs;

    private TraceDiff(List<TraceAlignment.Pair> rows, Threshold threshold, Set<Kind> ignored, PriceTable prices,
            double foldUnderMs) {
        this.rows = rows;
        this.threshold = threshold;
        this.ignored = ignored.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(ignored);
        this.prices = prices;
        this.foldUnderMs = foldUnderMs;
    }

    /**
     * Compares two traces (each one trace of a graph); {@code ignored} kinds are not looked at; a duration change
     * smaller than {@code foldUnderMs} of a step that has no other change is folded.
     */
    static TraceDiff compare(TraceGraph a, TraceGraph b, Threshold threshold, Set<Kind> ignored, PriceTable prices,
            double foldUnderMs) {
        TraceDiff diff = new TraceDiff(TraceAlignment.align(a, b), threshold, ignored, prices, foldUnderMs);
        diff.findChanges();
        diff.fold();
        return diff;
    }

    private void findChanges() {
        for (int i = 0; i < rows.size(); i++) {
            TraceAlignment.Pair pair = rows.get(i);
            if (!pair.matched()) {
                int below = 0;
                while (i + below + 1 < rows.size() && rows.get(i + below + 1).depth() > pair.depth()) {
                    below++;
                }
                String detail = below == 0 ? "" : "(and " + below + (below == 1 ? " span" : " spans") + " below)";
                add(pair.onlyInA() ? Kind.ONLY_IN_A : Kind.ONLY_IN_B, pair, detail, List.of(),
                        pair.onlyInA() ? "only in A" : "only in B", 3);
                i += below; // a missing subtree is one difference, reported at its top
                continue;
            }
            Node a = pair.a();
            Node b = pair.b();
            if (!a.status().equals(b.status())) {
                Node failed = b.isError() ? b : a.isError() ? a : null;
                String why = failed == null || failed.error() == null ? ""
                        : " (" + TreeRenderer.errorText(failed.error(), false) + ")";
                add(Kind.STATUS, pair, a.status() + " → " + b.status() + why, List.of(),
                        a.status() + " → " + b.status(), 4);
            }
            if (a.durationMs() != null && b.durationMs() != null
                    && threshold.exceeded(a.durationMs(), b.durationMs())) {
                double ratio = Math.max(a.durationMs(), b.durationMs()) / Math.max(0.001, Math.min(a.durationMs(),
                        b.durationMs()));
                add(Kind.DURATION, pair, durationChange(a.durationMs(), b.durationMs()), List.of(),
                        "duration " + durationChange(a.durationMs(), b.durationMs()), Math.log(ratio) / Math.log(2));
            }
            StepUsageDiff.TokenChange tokens = StepUsageDiff.tokens(a, b, prices);
            if (tokens != null) {
                add(Kind.TOKENS, pair, tokens.detail(), List.of(), tokens.brief(), tokens.weight());
            }
            String model = StepUsageDiff.model(a, b);
            if (model != null) {
                add(Kind.MODEL, pair, model, List.of(), "model " + model, 3);
            }
            valueChange(Kind.INPUT, pair, true);
            valueChange(Kind.OUTPUT, pair, false);
            List<String> evaluations = StepUsageDiff.evaluations(a, b);
            if (!evaluations.isEmpty()) {
                add(Kind.EVALUATION, pair, "", evaluations, "evaluation " + evaluations.get(0),
                        StepUsageDiff.evaluationWeight(a, b));
            }
        }
    }

    private void valueChange(Kind kind, TraceAlignment.Pair pair, boolean input) {
        List<String> lines = StepUsageDiff.textChange(pair.a(), pair.b(), input);
        if (lines == null) {
            Object a = input ? pair.a().input() : pair.a().output();
            Object b = input ? pair.b().input() : pair.b().output();
            lines = ValueDiff.changes(a, b, VALUE_CHANGES_SHOWN);
        }
        if (!lines.isEmpty()) {
            add(kind, pair, "", lines, (input ? "input" : "output") + " changed", 2);
        }
    }

    private void add(Kind kind, TraceAlignment.Pair pair, String detail, List<String> values, String brief,
            double weight) {
        if (!ignored.contains(kind)) {
            changes.add(new Change(kind, pair, detail, values, brief, weight, false));
        }
    }

    /** Folds duration changes under the limit at steps with no other change: jitter, not news. */
    private void fold() {
        if (!(foldUnderMs > 0)) {
            return;
        }
        Map<TraceAlignment.Pair, Integer> perStep = new IdentityHashMap<>();
        changes.forEach(change -> perStep.merge(change.pair(), 1, Integer::sum));
        changes.replaceAll(change -> {
            if (change.kind() != Kind.DURATION || perStep.get(change.pair()) > 1) {
                return change;
            }
            double delta = Math.abs(change.pair().b().durationMs() - change.pair().a().durationMs());
            return delta < foldUnderMs ? new Change(change.kind(), change.pair(), change.detail(),
                    change.valueChanges(), change.brief(), change.weight(), true) : change;
        });
    }

    /** The folded duration changes. */
    long folded() {
        return changes.stream().filter(Change::folded).count();
    }

    double foldUnderMs() {
        return foldUnderMs;
    }

    /**
     * {@code Biggest changes: agent/analyze [llm] tokens 1k→10k (+900%), cost $0.0003 → $0.0030; …}: the steps
     * whose largest change is largest, at most {@code max}, or null when nothing changed.
     */
    String biggest(int max) {
        Map<TraceAlignment.Pair, Change> heaviest = new IdentityHashMap<>();
        List<TraceAlignment.Pair> order = new ArrayList<>();
        for (Change change : changes) {
            if (change.folded()) {
                continue;
            }
            Change kept = heaviest.get(change.pair());
            if (kept == null) {
                order.add(change.pair());
            }
            if (kept == null || change.weight() > kept.weight()) {
                heaviest.put(change.pair(), change);
            }
        }
        if (order.isEmpty()) {
            return null;
        }
        order.sort(Comparator.comparingDouble((TraceAlignment.Pair pair) -> -heaviest.get(pair).weight()));
        List<String> parts = new ArrayList<>();
        for (TraceAlignment.Pair pair : order.subList(0, Math.min(max, order.size()))) {
            parts.add(pair.path() + " [" + pair.either().type().name() + "] " + heaviest.get(pair).brief());
        }
        return "Biggest changes: " + String.join("; ", parts);
    }

    static String durationChange(double aMs, double bMs) {
        String text = Durations.format(aMs) + " → " + Durations.format(bMs);
        if (aMs > 0) {
            long percent = Math.round((bMs - aMs) / aMs * 100);
            text += " (" + (percent >= 0 ? "+" : "") + percent + "%)";
        }
        return text;
    }

    List<Change> changes() {
        return changes;
    }

    List<TraceAlignment.Pair> rows() {
        return rows;
    }

    boolean equal() {
        return changes.isEmpty();
    }

    long matchedSpans() {
        return rows.stream().filter(TraceAlignment.Pair::matched).count();
    }

    Map<Kind, Long> counts() {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        changes.forEach(change -> counts.merge(change.kind(), 1L, Long::sum));
        return counts;
    }

    /** {@code Same: 7 spans aligned, …} or {@code Different: 1 only in B, 2 duration changes.} */
    String verdict() {
        if (equal()) {
            String durations = ignored.contains(Kind.DURATION) ? "durations not compared"
                    : "durations within " + threshold;
            return "Same: " + matchedSpans() + " spans aligned, no differences (" + durations + ").";
        }
        List<String> parts = new ArrayList<>();
        counts().forEach((kind, count) -> parts.add(kind.words(count)));
        return "Different: " + String.join(", ", parts) + ".";
    }

    /** The differences as JSON-ready maps. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("equal", equal());
        json.put("verdict", verdict());
        json.put("aligned_spans", matchedSpans());
        json.put("threshold", ignored.contains(Kind.DURATION) ? null : threshold.toString());
        Map<String, Long> counts = new LinkedHashMap<>();
        counts().forEach((kind, count) -> counts.put(kind.key(), count));
        json.put("counts", counts);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Change change : changes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", change.kind().key());
            item.put("path", change.pair().path().toString());
            item.put("type", change.pair().either().type().name());
            item.put("a_span_id", change.pair().a() == null ? null : change.pair().a().spanId());
            item.put("b_span_id", change.pair().b() == null ? null : change.pair().b().spanId());
            item.put("detail", change.detail());
            item.put("values", change.valueChanges());
            item.put("folded", change.folded());
            list.add(item);
        }
        json.put("changes", list);
        json.put("biggest", biggest(3));
        return json;
    }
}
