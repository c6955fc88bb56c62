package io.aitrace.cli;

import io.aitrace.core.read.TraceAlignment;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.text.Durations;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What changed from one trace to another, step by step: spans only in A or only in B, status changes, duration
 * changes beyond a threshold, changed inputs and outputs. Built on {@link TraceAlignment}; prints nothing.
 */
final class TraceDiff {
    private static final int VALUE_CHANGES_SHOWN = 8;

    /** A kind of difference, with the words the verdict uses for it. */
    enum Kind {
        ONLY_IN_A("only in A", "only in A"),
        ONLY_IN_B("only in B", "only in B"),
        STATUS("status change", "status changes"),
        DURATION("duration change", "duration changes"),
        INPUT("input change", "input changes"),
        OUTPUT("output change", "output changes");

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
     * @param valueChanges for inputs and outputs, one line per changed field
     */
    record Change(Kind kind, TraceAlignment.Pair pair, String detail, List<String> valueChanges) {
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

    private TraceDiff(List<TraceAlignment.Pair> rows, Threshold threshold, Set<Kind> ignored) {
        this.rows = rows;
        this.threshold = threshold;
        this.ignored = ignored.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(ignored);
    }

    /** Compares two traces (each one trace of a graph); {@code ignored} kinds are not looked at. */
    static TraceDiff compare(TraceGraph a, TraceGraph b, Threshold threshold, Set<Kind> ignored) {
        TraceDiff diff = new TraceDiff(TraceAlignment.align(a, b), threshold, ignored);
        diff.findChanges();
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
                add(pair.onlyInA() ? Kind.ONLY_IN_A : Kind.ONLY_IN_B, pair, detail, List.of());
                i += below; // a missing subtree is one difference, reported at its top
                continue;
            }
            Node a = pair.a();
            Node b = pair.b();
            if (!a.status().equals(b.status())) {
                Node failed = b.isError() ? b : a.isError() ? a : null;
                String why = failed == null || failed.error() == null ? ""
                        : " (" + TreeRenderer.errorText(failed.error(), false) + ")";
                add(Kind.STATUS, pair, a.status() + " → " + b.status() + why, List.of());
            }
            if (a.durationMs() != null && b.durationMs() != null
                    && threshold.exceeded(a.durationMs(), b.durationMs())) {
                add(Kind.DURATION, pair, durationChange(a.durationMs(), b.durationMs()), List.of());
            }
            if (!ValueDiff.same(a.input(), b.input())) {
                add(Kind.INPUT, pair, "", ValueDiff.changes(a.input(), b.input(), VALUE_CHANGES_SHOWN));
            }
            if (!ValueDiff.same(a.output(), b.output())) {
                add(Kind.OUTPUT, pair, "", ValueDiff.changes(a.output(), b.output(), VALUE_CHANGES_SHOWN));
            }
        }
    }

    private void add(Kind kind, TraceAlignment.Pair pair, String detail, List<String> values) {
        if (!ignored.contains(kind)) {
            changes.add(new Change(kind, pair, detail, values));
        }
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
            list.add(item);
        }
        json.put("changes", list);
        return json;
    }
}
