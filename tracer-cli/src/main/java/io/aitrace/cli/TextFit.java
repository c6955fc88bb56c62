package io.aitrace.cli;

import java.util.List;

/** Fits text into a width: cut to one line, or wrapped onto a few. Widths count code points. */
final class TextFit {
    static final String ELLIPSIS = io.aitrace.core.TextFit.ELLIPSIS;

    private TextFit() {
    }

    static int width(String text) {
        return io.aitrace.core.TextFit.width(text);
    }

    /** The text on one line (line breaks shown as {@code ⏎}), cut with {@code …} when wider than {@code width}. */
    static String cut(String text, int width) {
        return io.aitrace.core.TextFit.cut(text, width);
    }

    /** The text in lines of at most {@code width} code points; see {@link io.aitrace.core.TextFit#wrap}. */
    static List<String> wrap(String text, int width, int maxLines) {
        return io.aitrace.core.TextFit.wrap(text, width, maxLines);
    }
}
