package io.aitrace.test;

import io.aitrace.core.read.TraceReader;
import io.aitrace.read.TraceGraph;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Traces written as records with fixed IDs and times, so failure messages (durations too) are exact. */
final class Fixtures {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Instant BASE = Instant.parse("2026-11-21T18:00:00Z");

    private final List<String> lines = new ArrayList<>();

    /** A span from {@code startMs} to {@code endMs} after a fixed instant; {@code extra} is more JSON fields. */
    Fixtures span(String id, String parent, String name, String type, long startMs, long endMs, String extra) {
        lines.add("{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + id + "\","
                + "\"parent_span_id\":" + (parent == null ? "null" : "\"" + parent + "\"") + ",\"name\":\"" + name
                + "\",\"node_type\":\"" + type + "\",\"start\":\"" + BASE.plusMillis(startMs) + "\",\"end\":\""
                + BASE.plusMillis(endMs) + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}");
        return this;
    }

    /** A span that started and never ended (its start record only). */
    Fixtures running(String id, String parent, String name, String type, long startMs) {
        lines.add("{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + id + "\","
                + "\"parent_span_id\":" + (parent == null ? "null" : "\"" + parent + "\"") + ",\"name\":\"" + name
                + "\",\"node_type\":\"" + type + "\",\"start\":\"" + BASE.plusMillis(startMs) + "\",\"end\":null,"
                + "\"status\":\"running\"}");
        return this;
    }

    TraceGraph graph() {
        return TraceReader.readLines(lines).trace(TRACE);
    }

    /**
     * <pre>
     * Trace: [agent] booking (1.20 s) ✓
     * ├── [llm] plan (100 ms) ✓
     * ├── [tool] flight_search (300 ms) ✗
     * │   └── error: java.io.IOException: flights API timed out
     * ├── [tool] train_search (200 ms) ✓  ⤷ fallback of flight_search
     * └── [llm] answer (600 ms) ✓
     * </pre>
     */
    static TraceGraph booking() {
        return bookingFixture().graph();
    }

    /** The records of {@link #booking()}, one per line. */
    static String bookingLines() {
        return String.join("\n", bookingFixture().lines);
    }

    private static Fixtures bookingFixture() {
        return new Fixtures()
                .span("a000000000000001", null, "booking", "agent", 0, 1200,
                        "\"status\":\"ok\",\"input\":{\"city\":\"Lisbon\"},\"output\":{\"booked\":\"train\"}")
                .span("a000000000000002", "a000000000000001", "plan", "llm", 0, 100,
                        "\"status\":\"ok\",\"attributes\":{\"gen_ai.request.model\":\"gpt-4o\","
                                + "\"gen_ai.usage.input_tokens\":300,\"gen_ai.usage.output_tokens\":50}")
                .span("a000000000000003", "a000000000000001", "flight_search", "tool", 100, 400,
                        "\"status\":\"error\",\"error\":{\"type\":\"java.io.IOException\","
                                + "\"message\":\"flights API timed out\"}")
                .span("a000000000000004", "a000000000000001", "train_search", "tool", 400, 600,
                        "\"status\":\"ok\",\"input\":{\"city\":\"Lisbon\"},\"output\":{\"trains\":2},"
                                + "\"annotations\":[{\"ts\":\"2026-11-21T18:00:00.450Z\",\"text\":\"flights down:"
                                + " trying trains\"}],\"edges\":[{\"type\":\"fallback_of\",\"trace_id\":\"" + TRACE
                                + "\",\"span_id\":\"a000000000000003\"}]")
                .span("a000000000000005", "a000000000000001", "answer", "llm", 600, 1200,
                        "\"status\":\"ok\",\"attributes\":{\"gen_ai.request.model\":\"gpt-4o\","
                                + "\"gen_ai.usage.input_tokens\":900,\"gen_ai.usage.output_tokens\":150},"
                                + "\"output\":\"Booked the 9:05 train to Lisbon.\"");
    }

    static final String BOOKING_TREE = String.join("\n",
            "Trace: [agent] booking (1.20 s) ✓",
            "├── [llm] plan (100 ms) ✓",
            "├── [tool] flight_search (300 ms) ✗",
            "│   └── error: java.io.IOException: flights API timed out",
            "├── [tool] train_search (200 ms) ✓  ⤷ fallback of flight_search",
            "│   └── annotation: \"flights down: trying trains\"",
            "└── [llm] answer (600 ms) ✓");

    /** The booking tree with the line of {@code spanLine} marked. */
    static String bookingTreeMarking(String... spanLines) {
        String tree = BOOKING_TREE;
        for (String line : spanLines) {
            tree = tree.replace(line + "\n", line + TreeText.MARK + "\n");
            if (tree.endsWith(line)) {
                tree = tree + TreeText.MARK;
            }
        }
        return tree;
    }
}
