package io.aitrace.core.cost;

import java.util.Locale;

/**
 * What one model costs, in US dollars per million tokens, and the model names it applies to.
 *
 * @param pattern model names it matches, case-insensitive; {@code *} stands for any text (e.g. {@code gpt-4o-mini*})
 * @param input a million input tokens not read from or written to a cache
 * @param output a million output tokens (reasoning tokens included unless {@code reasoning} is set)
 * @param cachedInput a million input tokens read from the provider's cache; null: the input price
 * @param cacheWrite a million input tokens written to the provider's cache; null: the input price
 * @param reasoning a million reasoning output tokens; null: the output price
 */
public record ModelPrice(String pattern, double input, double output, Double cachedInput, Double cacheWrite,
        Double reasoning) {

    /** Whether this price is for {@code model} (already lower-cased and without a {@code provider/} prefix). */
    boolean matches(String model) {
        return glob(pattern.toLowerCase(Locale.ROOT), 0, model, 0);
    }

    /** How specific the pattern is: its characters other than {@code *}; the most specific match wins. */
    int specificity() {
        return pattern.replace("*", "").length();
    }

    private static boolean glob(String pattern, int p, String text, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int from = t; from <= text.length(); from++) {
                    if (glob(pattern, p + 1, text, from)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || text.charAt(t) != c) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }
}
