package io.aitrace.cli;

import io.aitrace.core.text.TextFit;
import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts (prompts, answers): the changed lines as {@code - old} and {@code + new}, with one line
 * of context around each change, like {@code diff -U1}. Lines are compared whole, by the longest common
 * subsequence; texts of more than {@link #MAX_LINES} lines are compared by their first ones only.
 */
final class TextDiff {
    static final int MAX_LINES = 400;
    private static final int LINE_WIDTH = 100;

    private TextDiff() {
    }

    /** The diff's lines, at most {@code max} (the last one then counts the rest); empty when the texts are equal. */
    static List<String> lines(String a, String b, int max) {
        List<String> as = split(a);
        List<String> bs = split(b);
        int[][] common = new int[as.size() + 1][bs.size() + 1];
        for (int i = as.size() - 1; i >= 0; i--) {
            for (int j = bs.size() - 1; j >= 0; j--) {
                common[i][j] = as.get(i).equals(bs.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> all = new ArrayList<>();
        List<Boolean> changed = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < as.size() || j < bs.size()) {
            if (i < as.size() && j < bs.size() && as.get(i).equals(bs.get(j))) {
                all.add("  " + as.get(i++));
                j++;
                changed.add(false);
            } else if (i < as.size() && (j == bs.size() || common[i + 1][j] >= common[i][j + 1])) {
                all.add("- " + as.get(i++));
                changed.add(true);
            } else {
                all.add("+ " + bs.get(j++));
                changed.add(true);
            }
        }
        List<String> shown = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            boolean near = changed.get(k) || k > 0 && changed.get(k - 1) || k + 1 < all.size() && changed.get(k + 1);
            if (near) {
                shown.add(TextFit.cut(all.get(k), LINE_WIDTH));
            } else if (!shown.isEmpty() && !shown.get(shown.size() - 1).equals("  …")) {
                shown.add("  …");
            }
        }
        if (!shown.isEmpty() && shown.get(shown.size() - 1).equals("  …")) {
            shown.remove(shown.size() - 1);
        }
        if (shown.size() <= max) {
            return shown;
        }
        List<String> cut = new ArrayList<>(shown.subList(0, max - 1));
        cut.add("… and " + (shown.size() - max + 1) + " more lines");
        return cut;
    }

    private static List<String> split(String text) {
        List<String> lines = new ArrayList<>(List.of((text == null ? "" : text).replace("\r\n", "\n").split("\n", -1)));
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines.size() > MAX_LINES ? lines.subList(0, MAX_LINES) : lines;
    }
}
