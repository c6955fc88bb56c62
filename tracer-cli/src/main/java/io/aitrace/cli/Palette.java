package io.aitrace.cli;

import io.aitrace.core.text.TreePrinter;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.Style;

/**
 * The colours of the command's output: ANSI escape codes around a piece of text when colour is on, the text alone
 * when it is off. Colour is on only when the output is the terminal (picocli's detection, which honours
 * {@code NO_COLOR}, {@code CLICOLOR_FORCE} and {@code -Dpicocli.ansi}) and {@code --no-color} was not given.
 */
final class Palette implements TreePrinter.Style {
    static final Palette PLAIN = new Palette(false);
    private static final Palette COLOURED = new Palette(true);

    private final boolean enabled;

    private Palette(boolean enabled) {
        this.enabled = enabled;
    }

    /** The palette for output to the terminal, unless {@code noColor}; plain for output to a file. */
    static Palette forOutput(boolean toTerminal, boolean noColor) {
        return toTerminal && !noColor && Ansi.AUTO.enabled() ? COLOURED : PLAIN;
    }

    boolean enabled() {
        return enabled;
    }

    @Override
    public String ok(String text) {
        return style(text, Style.fg_green);
    }

    @Override
    public String error(String text) {
        return style(text, Style.fg_red);
    }

    @Override
    public String warn(String text) {
        return style(text, Style.fg_yellow);
    }

    @Override
    public String type(String text) {
        return style(text, Style.fg_cyan);
    }

    @Override
    public String edge(String text) {
        return style(text, Style.fg_magenta);
    }

    @Override
    public String name(String text) {
        return style(text, Style.bold);
    }

    @Override
    public String dim(String text) {
        return style(text, Style.faint);
    }

    private String style(String text, Style style) {
        return enabled && !text.isEmpty() ? style.on() + text + style.off() : text;
    }
}
