package io.aitrace.cli;

import io.aitrace.core.text.TextFit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A compact difference of two values of a trace (maps, lists, strings, numbers), one line per change:
 * {@code intent: "weather" → "news"}, {@code + units: "metric"}, {@code - lang: "en"}, {@code items[2]: 3 → 4}.
 */
final class ValueDiff {
    private static final int VALUE_WIDTH = 60;

    private ValueDiff() {
    }

    /** True when the values are the same (numbers compared by value: 1 equals 1.0). */
    static boolean same(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            try {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            } catch (NumberFormatException e) { // NaN, Infinity
                return a.toString().equals(b.toString());
            }
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> ma = (Map<?, ?>) a;
            Map<?, ?> mb = (Map<?, ?>) b;
            return ma.size() == mb.size() && ma.keySet().stream()
                    .allMatch(key -> mb.containsKey(key) && same(ma.get(key), mb.get(key)));
        }
        if (a instanceof List && b instanceof List) {
            List<?> la = (List<?>) a;
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** The changes from {@code a} to {@code b}, at most {@code max} lines (the last one then counts the rest). */
    static List<String> changes(Object a, Object b, int max) {
        List<String> all = new ArrayList<>();
        walk("", a, b, all);
        if (all.size() <= max) {
            return all;
        }
        List<String> shown = new ArrayList<>(all.subList(0, max - 1));
        shown.add("… and " + (all.size() - max + 1) + " more changes");
        return shown;
    }

    private static void walk(String at, Object a, Object b, List<String> out) {
        if (same(a, b)) {
            return;
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> ma = (Map<?, ?>) a;
            Map<?, ?> mb = (Map<?, ?>) b;
            Set<Object> keys = new LinkedHashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object key : keys) {
                String where = at.isEmpty() ? String.valueOf(key) : at + "." + key;
                if (!mb.containsKey(key)) {
                    out.add("- " + where + ": " + show(ma.get(key)));
                } else if (!ma.containsKey(key)) {
                    out.add("+ " + where + ": " + show(mb.get(key)));
                } else {
                    walk(where, ma.get(key), mb.get(key), out);
                }
            }
        } else if (a instanceof List && b instanceof List) {
            List<?> la = (List<?>) a;
            List<?> lb = (List<?>) b;
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                String where = at + "[" + i + "]";
                if (i >= lb.size()) {
                    out.add("- " + where + ": " + show(la.get(i)));
                } else if (i >= la.size()) {
                    out.add("+ " + where + ": " + show(lb.get(i)));
                } else {
                    walk(where, la.get(i), lb.get(i), out);
                }
            }
        } else {
            out.add((at.isEmpty() ? "" : at + ": ") + show(a) + " → " + show(b));
        }
    }

    private static String show(Object value) {
        return TextFit.cut(JsonText.compact(value), VALUE_WIDTH);
    }
}
