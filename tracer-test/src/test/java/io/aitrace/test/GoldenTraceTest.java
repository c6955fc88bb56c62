package io.aitrace.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.core.read.TraceReader;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Golden traces: written on the first run, compared on the next ones, rewritten on request. */
class GoldenTraceTest {
    private static final Tracer tracer = TracerFactory.getTracer("booking");

    /** The tools the scenario's agent calls, in order; the outer tests change it between runs. */
    static volatile List<String> tools = List.of("flight_search", "train_search");

    @TempDir
    Path dir;

    @BeforeEach
    void goldenFilesInATemporaryDirectory() {
        System.setProperty(GoldenTrace.DIR_PROPERTY, dir.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(GoldenTrace.DIR_PROPERTY);
        System.clearProperty(GoldenTrace.UPDATE_PROPERTY);
        tools = List.of("flight_search", "train_search");
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class BookingAgentTest {
        @Test
        void books(CapturedTraces traces) {
            try (Span run = tracer.span("booking", NodeType.AGENT)) {
                Span previous = null;
                for (String tool : tools) {
                    try (Span call = tracer.span(tool, NodeType.TOOL)) {
                        call.attribute("tool.version", 3).input("city", "Lisbon");
                        if (previous != null) {
                            call.edge(EdgeType.FALLBACK_OF, previous);
                        }
                        previous = call;
                    }
                }
            }
            AitraceAssertions.assertThat(traces.last()).matchesGolden("traces/booking.jsonl");
        }
    }

    @Test
    void theFirstRunWritesTheGoldenFileAndFailsOnceSayingSo() throws IOException {
        String message = Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow();

        Path golden = dir.resolve("traces/booking.jsonl");
        assertThat(message).isEqualTo("Golden trace " + golden + " did not exist: wrote it from this run (3 spans)."
                + " Check it in; from the next run on, this trace is compared with it.");
        assertThat(Files.readAllLines(golden)).containsExactly(
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000001\","
                        + "\"span_id\":\"0000000000000001\",\"parent_span_id\":null,\"name\":\"booking\","
                        + "\"node_type\":\"agent\",\"span_kind\":\"INTERNAL\",\"start\":\"2000-01-01T00:00:00.000000Z\","
                        + "\"end\":\"2000-01-01T00:00:00.003000Z\",\"duration_ms\":3.0,\"status\":\"ok\",\"error\":null,"
                        + "\"attributes\":{},\"edges\":[]}",
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000001\","
                        + "\"span_id\":\"0000000000000002\",\"parent_span_id\":\"0000000000000001\","
                        + "\"name\":\"flight_search\",\"node_type\":\"tool\",\"span_kind\":\"INTERNAL\","
                        + "\"start\":\"2000-01-01T00:00:00.001000Z\",\"end\":\"2000-01-01T00:00:00.002000Z\","
                        + "\"duration_ms\":1.0,\"status\":\"ok\",\"error\":null,\"attributes\":{},\"edges\":[]}",
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000001\","
                        + "\"span_id\":\"0000000000000003\",\"parent_span_id\":\"0000000000000001\","
                        + "\"name\":\"train_search\",\"node_type\":\"tool\",\"span_kind\":\"INTERNAL\","
                        + "\"start\":\"2000-01-01T00:00:00.002000Z\",\"end\":\"2000-01-01T00:00:00.003000Z\","
                        + "\"duration_ms\":1.0,\"status\":\"ok\",\"error\":null,\"attributes\":{},"
                        + "\"edges\":[{\"type\":\"fallback_of\",\"trace_id\":\"00000000000000000000000000000001\","
                        + "\"span_id\":\"0000000000000002\"}]}");
        // A trace the CLI and the viewer read too.
        TraceGraph read = TraceReader.read(golden);
        assertThat(read.skippedLines()).isZero();
        assertThat(read.roots().get(0).children()).extracting(Node::name)
                .containsExactly("flight_search", "train_search");
    }

    @Test
    void theSecondRunPasses() {
        Kit.run(BookingAgentTest.class);

        assertThat(Kit.failures(Kit.run(BookingAgentTest.class))).isEmpty();
    }

    @Test
    void aChangedToolOrderFailsWithTheDiff() {
        Kit.run(BookingAgentTest.class);
        tools = List.of("train_search", "flight_search");

        String message = Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow();

        assertThat(message).isEqualTo("Trace differs from golden trace " + dir.resolve("traces/booking.jsonl")
                + " (A = golden, B = this run):\n"
                + "↕ order      booking [agent]: flight_search, train_search → train_search, flight_search\n"
                + "⇄ edges      booking/flight_search [tool]: (none) → fallback_of → booking/train_search\n"
                + "⇄ edges      booking/train_search [tool]: fallback_of → booking/flight_search → (none)\n"
                + "\n"
                + "Different: 1 order change, 2 edge changes.\n"
                + "If the change is intended, run with -Daitrace.golden.update=true to rewrite the golden file.");
    }

    @Test
    void aToolMoreOrLessIsOnlyInAOrB() {
        Kit.run(BookingAgentTest.class);
        tools = List.of("flight_search", "bus_search");

        String message = Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow();

        assertThat(message).contains(
                "- only in A  booking/train_search [tool]\n"
                + "+ only in B  booking/bus_search [tool]\n"
                + "\n"
                + "Different: 1 only in A, 1 only in B.");
    }

    @Test
    void updateRewritesTheGoldenFileAndPasses() throws IOException {
        Kit.run(BookingAgentTest.class);
        tools = List.of("train_search", "flight_search");
        System.setProperty(GoldenTrace.UPDATE_PROPERTY, "true");

        assertThat(Kit.failures(Kit.run(BookingAgentTest.class))).isEmpty();

        System.clearProperty(GoldenTrace.UPDATE_PROPERTY);
        TraceGraph rewritten = TraceReader.read(dir.resolve("traces/booking.jsonl"));
        assertThat(rewritten.roots().get(0).children()).extracting(Node::name)
                .containsExactly("train_search", "flight_search");
        assertThat(Kit.failures(Kit.run(BookingAgentTest.class))).isEmpty();
    }

    @Test
    void idsTimesDurationsInputsAndUnchosenAttributesAreNotCompared() {
        TraceGraph golden = new Fixtures().span("a000000000000001", null, "agent", "agent", 0, 100, "")
                .span("a000000000000002", "a000000000000001", "search", "tool", 0, 10,
                        "\"input\":{\"q\":\"a\"},\"attributes\":{\"x\":1}").graph();
        TraceGraph run = TraceReader.readLines(List.of(
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"11111111111111111111111111111111\",\"span_id\":\"b000000000000001\","
                        + "\"parent_span_id\":null,\"name\":\"agent\",\"node_type\":\"agent\","
                        + "\"start\":\"2030-01-01T00:00:00Z\",\"end\":\"2030-01-01T00:00:09Z\"}",
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"11111111111111111111111111111111\",\"span_id\":\"b000000000000002\","
                        + "\"parent_span_id\":\"b000000000000001\",\"name\":\"search\",\"node_type\":\"tool\","
                        + "\"start\":\"2030-01-01T00:00:01Z\",\"end\":\"2030-01-01T00:00:08Z\","
                        + "\"input\":{\"q\":\"b\"},\"attributes\":{\"x\":2}}"));

        assertThat(GoldenDiff.compare(golden, run, List.of()).equal()).isTrue();
        assertThat(GoldenDiff.compare(golden, run, List.of("x")).report())
                .isEqualTo("≠ attribute  agent/search [tool]: x: 1 → 2\n\nDifferent: 1 attribute change.");
    }

    @Test
    void aStatusChangeNamesTheError() {
        TraceGraph golden = new Fixtures().span("a000000000000001", null, "agent", "agent", 0, 100, "")
                .span("a000000000000002", "a000000000000001", "search", "tool", 0, 10, "")
                .span("a000000000000003", "a000000000000002", "http", "step", 1, 9, "").graph();
        TraceGraph run = new Fixtures().span("a000000000000001", null, "agent", "agent", 0, 100, "")
                .span("a000000000000002", "a000000000000001", "search", "tool", 0, 10,
                        "\"status\":\"error\",\"error\":{\"type\":\"java.io.IOException\",\"message\":\"timeout\"}")
                .graph();

        assertThat(GoldenDiff.compare(golden, run, List.of()).report()).isEqualTo(
                "! status     agent/search [tool]: ok → error (java.io.IOException: timeout)\n"
                        + "- only in A  agent/search/http [step]\n\nDifferent: 1 status change, 1 only in A.");
    }

    @Test
    void siblingsThatRanAtTheSameTimeMayComeInAnyOrder() {
        TraceGraph golden = new Fixtures().span("a000000000000001", null, "agent", "agent", 0, 100, "")
                .span("a000000000000002", "a000000000000001", "a", "tool", 0, 10, "")
                .span("a000000000000003", "a000000000000001", "b", "tool", 10, 20, "").graph();
        TraceGraph parallel = new Fixtures().span("a000000000000001", null, "agent", "agent", 0, 100, "")
                .span("a000000000000003", "a000000000000001", "b", "tool", 0, 10, "")
                .span("a000000000000002", "a000000000000001", "a", "tool", 5, 20, "").graph();

        assertThat(GoldenDiff.compare(golden, parallel, List.of()).equal()).isTrue();
    }

    @Test
    void aMalformedGoldenFileFailsNamingTheFileAndLine() throws IOException {
        Path golden = writeGolden("{\"v\":1,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000001\","
                + "\"span_id\":\"0000000000000001\",\"name\":\"booking\",\"node_type\":\"agent\"}\n{\"v\":1,\"ty");

        assertThat(Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow())
                .startsWith("Golden trace " + golden + " is malformed: line 2 is not JSON (");
    }

    @Test
    void aGoldenFileOfAnotherFormatVersionFails() throws IOException {
        Path golden = writeGolden("{\"v\":2,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000001\","
                + "\"span_id\":\"0000000000000001\",\"name\":\"booking\",\"node_type\":\"agent\"}\n");

        assertThat(Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow())
                .isEqualTo("Golden trace " + golden + " is not in record format v1: line 1 has \"v\":2 (this"
                        + " tracer-test reads v1; rewrite it with -Daitrace.golden.update=true)");
    }

    @Test
    void aGoldenFileOfAnotherTraceFails() throws IOException {
        Path golden = writeGolden("{\"v\":1,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000001\","
                + "\"span_id\":\"0000000000000001\",\"name\":\"support_agent\",\"node_type\":\"agent\","
                + "\"start\":\"2000-01-01T00:00:00Z\",\"end\":\"2000-01-01T00:00:01Z\"}\n");

        assertThat(Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow())
                .isEqualTo("Golden trace " + golden + " is a trace of \"support_agent\" but this trace's root span is"
                        + " \"booking\": compare with the golden file of this trace, or rewrite it with"
                        + " -Daitrace.golden.update=true.");
    }

    @Test
    void anEmptyGoldenFileOrOneWithTwoTracesFails() throws IOException {
        Path golden = writeGolden("\n");
        assertThat(Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow())
                .isEqualTo("Golden trace " + golden + " has no spans");

        writeGolden("{\"v\":1,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000001\","
                + "\"span_id\":\"0000000000000001\",\"name\":\"booking\",\"node_type\":\"agent\"}\n"
                + "{\"v\":1,\"type\":\"span\",\"trace_id\":\"00000000000000000000000000000002\","
                + "\"span_id\":\"0000000000000002\",\"name\":\"booking\",\"node_type\":\"agent\"}\n");
        assertThat(Kit.failure(Kit.run(BookingAgentTest.class)).orElseThrow())
                .isEqualTo("Golden trace " + golden + " holds 2 traces; a golden file holds one");
    }

    @Test
    void chosenAttributesAreKeptAndCompared() {
        TraceGraph trace = Fixtures.booking();
        Path file = dir.resolve("with-model.jsonl");
        assertThatThrownBy(() -> AitraceAssertions.assertThat(trace)
                .matchesGolden(file.toString(), "gen_ai.request.model"))
                .hasMessageStartingWith("Golden trace " + file + " did not exist: wrote it from this run (5 spans).");

        AitraceAssertions.assertThat(trace).matchesGolden(file.toString(), "gen_ai.request.model");
        TraceGraph other = TraceReader.readLines(List.of(Fixtures.bookingLines().replace("\"gpt-4o\"",
                "\"gpt-4o-mini\"").split("\n")));
        assertThatThrownBy(() -> AitraceAssertions.assertThat(other).matchesGolden(file.toString(),
                "gen_ai.request.model"))
                .hasMessageContaining("≠ attribute  booking/plan [llm]: gen_ai.request.model: \"gpt-4o\" → \"gpt-4o-mini\"\n"
                        + "≠ attribute  booking/answer [llm]: gen_ai.request.model: \"gpt-4o\" → \"gpt-4o-mini\"\n");
    }

    private Path writeGolden(String content) throws IOException {
        Path golden = dir.resolve("traces/booking.jsonl");
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, content);
        return golden;
    }
}
