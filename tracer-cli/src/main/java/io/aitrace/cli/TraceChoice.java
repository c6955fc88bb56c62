package io.aitrace.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which trace to read, for the commands that read one: a path or trace ID, {@code --trace}, {@code --server}. */
final class TraceChoice {
    @Parameters(arity = "0..1", paramLabel = "PATH|TRACE_ID",
            description = "A JSON-lines file, a directory of them, or a trace ID. Default: ~/.config/aitrace/traces.")
    String source;

    @Option(names = {"-t", "--trace"}, paramLabel = "ID",
            description = "The trace to read (a unique prefix is enough). Default: the newest.")
    String traceId;

    @Option(names = "--server", paramLabel = "URL",
            description = "Read the trace from a running collector (GET URL/api/trace/TRACE_ID).")
    String server;

    /** The trace chosen, read from {@code sources}. */
    TraceSource.Loaded load(TraceSource sources) {
        return sources.load(source, traceId, server);
    }
}
