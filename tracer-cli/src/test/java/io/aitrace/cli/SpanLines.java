package io.aitrace.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Record lines of one generated trace, for the tests of big and deep inputs (written to a temporary folder). */
final class SpanLines {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");
    /** The root span's end, after every other span's. */
    static final long LAST = 10_000_000;

    private SpanLines() {
    }

    /** An ended span from {@code start} to {@code end} microseconds after 18:00. */
    static String span(String spanId, String parentId, String name, long start, long end) {
        return span(spanId, parentId, name, start, end, "ok");
    }

    static String span(String spanId, String parentId, String name, long start, long end, String status) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + spanId
                + "\",\"parent_span_id\":" + (parentId == null ? "null" : "\"" + parentId + "\"") + ",\"name\":\""
                + name + "\",\"node_type\":\"tool\",\"start\":\"" + T0.plus(start, ChronoUnit.MICROS)
                + "\",\"end\":\"" + T0.plus(end, ChronoUnit.MICROS) + "\",\"status\":\"" + status + "\"}\n";
    }

    /** The span ID numbered {@code n}. */
    static String id(long n) {
        return String.format("%016x", n);
    }

    /** The root span {@code agent}, the first line of every generated file. */
    static String root() {
        return span(id(1), null, "agent", 0, LAST);
    }

    /**
     * A file of the root and a chain {@code depth} spans below it: each {@code step} the child of the one before,
     * the deepest ended with {@code lastStatus}.
     */
    static Path chain(Path file, int depth, String lastStatus) throws IOException {
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            out.write(root());
            for (int i = 2; i <= depth + 1; i++) {
                out.write(span(id(i), id(i - 1), "step", i, LAST - i, i == depth + 1 ? lastStatus : "ok"));
            }
        }
        return file;
    }
}
