package io.aitrace.core.text;

import java.util.ArrayList;
import java.util.List;

/** Fits text into a width: cut to one line, or wrapped onto a few. Widths count code points. */
public final class TextFit {
    public static final String ELLIPSIS = "…";

    private TextFit() {
    }

    public static int width(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The text on one line (line breaks shown as {@code ⏎}), cut with {@code …} when wider than {@code width}. */
    public static String cut(String text, int width) {
        String line = oneLine(text);
        if (width <= 0 || width(line) <= width) {
            return line;
        }
        if (width <= 1) {
            return ELLIPSIS;
        }
        return line.substring(0, line.offsetByCodePoints(0, width - 1)) + ELLIPSIS;
    }

    /**
     * The text in lines of at most {@code width} code points, breaking at its own line breaks, else at a space
     * when one is near, else anywhere; at most {@code maxLines}, the last one then saying how much was left out.
     */
    public static List<String> wrap(String text, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.replace("\r\n", "\n").split("\n", -1)) {
            String rest = paragraph;
            do {
                String piece = width <= 0 || width(rest) <= width ? rest : breakAt(rest, width);
                lines.add(piece);
                rest = rest.substring(piece.length());
            } while (!rest.isEmpty());
        }
        if (lines.size() <= maxLines) {
            return lines;
        }
        int left = 0;
        for (String dropped : lines.subList(maxLines - 1, lines.size())) {
            left += width(dropped);
        }
        List<String> kept = new ArrayList<>(lines.subList(0, maxLines - 1));
        kept.add(ELLIPSIS + " (" + left + " more characters)");
        return kept;
    }

    /** Breaks after the last space or comma in the second half of the width, else at the width. */
    private static String breakAt(String text, int width) {
        int end = text.offsetByCodePoints(0, width);
        int at = Math.max(text.lastIndexOf(' ', end - 1), text.lastIndexOf(',', end - 1));
        return at >= end / 2 ? text.substring(0, at + 1) : text.substring(0, end);
    }

    private static String oneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text
                : text.replace("\r\n", " ⏎ ").replace('\r', ' ').replace("\n", " ⏎ ");
    }
}
