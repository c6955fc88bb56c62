package io.aitrace.core.target;

import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.read.TraceGraph;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Prints each trace as a tree for people when its root span ends ({@code aitrace.target=console}): the tree
 * {@code aitrace inspect} shows at full verbosity (type tag, name, duration, ✓/✗, edges, errors, annotations,
 * log lines, attributes, inputs and outputs). Colours only when the output is a terminal and {@code NO_COLOR} is
 * not set.
 *
 * <pre>{@code
 * TracerRuntime.install(TracerConfig.builder().target("console,run.jsonl").build());
 * }</pre>
 *
 * A {@link RecordProcessor}: it builds the tree from the typed records, without JSON. The tree is printed by the
 * writer thread, never the application's. A root is a span whose parent is not among
 * the spans this target saw, so the top aitrace span under a request from another service prints too. Traces
 * whose root never ends are forgotten once {@value #MAX_OPEN_TRACES} newer ones are open.
 */
public final class ConsoleTarget implements RecordProcessor {
    /** The target setting that prints trees to standard output. */
    public static final String SPEC = "console";
    static final int MAX_OPEN_TRACES = 1000;
    private static final int WIDTH = 120;

    private final PrintStream stream;
    private final PrintWriter out;
    private final TreePrinter printer;
    private final TraceRecords records = new TraceRecords(MAX_OPEN_TRACES);

    /** Prints to standard output, coloured when it is a terminal. */
    public ConsoleTarget() {
        this(System.out, colourTerminal() ? TreePrinter.Style.ANSI : TreePrinter.Style.PLAIN, WIDTH);
    }

    /**
     * Prints to this stream in this style.
     *
     * @param width the widest line; 0 for no limit
     */
    public ConsoleTarget(PrintStream stream, TreePrinter.Style style, int width) {
        this.stream = stream;
        this.out = new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), false);
        this.printer = new TreePrinter(TreePrinter.Detail.FULL, style, width);
    }

    @Override
    public void onStart(SpanRecord span) {
        records.add(span);
    }

    @Override
    public void onSnapshot(SpanRecord span) {
        records.add(span);
    }

    @Override
    public void onEnd(SpanRecord span) {
        records.add(span);
        if (records.endsLocalRoot(span)) {
            TraceGraph trace = records.graph(span.traceId());
            records.remove(span.traceId());
            if (trace != null) {
                printer.print(trace, out);
                out.flush();
            }
        }
    }

    @Override
    public void onLog(LogRecord log) {
        records.add(log);
    }

    @Override
    public void flush() {
        out.flush();
        stream.flush();
    }

    /** Flushes; the stream is not closed (it is usually standard output). */
    @Override
    public void close() {
        flush();
    }

    @Override
    public String describe() {
        return "console";
    }

    /**
     * True when standard output is a terminal and {@code NO_COLOR} is not set. {@code System.console()} is
     * non-null for a terminal; from Java 22 it may be non-null for a pipe too, and {@code Console.isTerminal()}
     * tells them apart.
     */
    static boolean colourTerminal() {
        String noColor = System.getenv("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // before Java 22 a console exists only for a terminal
        }
    }
}
