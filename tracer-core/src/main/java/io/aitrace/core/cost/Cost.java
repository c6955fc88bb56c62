package io.aitrace.core.cost;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cost of a span, a subtree or a trace, computed from token counts and a {@link PriceTable}. Spans with tokens
 * whose model has no price add nothing to {@link #usd()}: they are counted in {@link #unpricedSpans()}, so that a
 * total is never shown as complete when it is not.
 *
 * @param usd US dollars of the spans that have a price
 * @param pricedSpans spans with tokens and a price
 * @param unpricedSpans spans with tokens and no price (unknown model, or no model named)
 * @param unpricedModels the models without a price ({@code "(no model)"} for spans that name none)
 */
public record Cost(double usd, int pricedSpans, int unpricedSpans, Set<String> unpricedModels) {
    /** Nothing: no span with tokens. */
    public static final Cost NONE = new Cost(0, 0, 0, Set.of());

    public Cost {
        unpricedModels = Collections.unmodifiableSet(new TreeSet<>(unpricedModels));
    }

    static Cost priced(double usd) {
        return new Cost(usd, 1, 0, Set.of());
    }

    static Cost unpriced(String model) {
        return new Cost(0, 0, 1, Set.of(model == null ? "(no model)" : model));
    }

    /** This cost and another one together. */
    public Cost plus(Cost other) {
        if (other.pricedSpans == 0 && other.unpricedSpans == 0) {
            return this;
        }
        if (pricedSpans == 0 && unpricedSpans == 0) {
            return other;
        }
        Set<String> models = new TreeSet<>(unpricedModels);
        models.addAll(other.unpricedModels);
        return new Cost(usd + other.usd, pricedSpans + other.pricedSpans, unpricedSpans + other.unpricedSpans, models);
    }

    /** True when no span had tokens. */
    public boolean isEmpty() {
        return pricedSpans == 0 && unpricedSpans == 0;
    }

    /** True when every span with tokens had a price. */
    public boolean isComplete() {
        return unpricedSpans == 0;
    }

    /**
     * As a column shows it: {@code $0.0123}, {@code $1.50}; {@code no price} when nothing had one; a {@code +}
     * after the amount when some spans had none (the amount is then a lower bound); empty when nothing had tokens.
     */
    public String format() {
        if (isEmpty()) {
            return "";
        }
        if (pricedSpans == 0) {
            return "no price";
        }
        return dollars(usd) + (isComplete() ? "" : "+");
    }

    /** An amount of US dollars: four decimals below a dollar, cents from a dollar up. */
    public static String dollars(double usd) {
        double size = Math.abs(usd);
        if (size == 0) {
            return "$0";
        }
        if (size < 0.0001) {
            return (usd < 0 ? "-" : "") + "<$0.0001";
        }
        String sign = usd < 0 ? "-" : "";
        if (size < 1) {
            return sign + "$" + String.format(Locale.ROOT, "%.4f", size);
        }
        return sign + "$" + String.format(Locale.ROOT, "%,.2f", size);
    }
}
