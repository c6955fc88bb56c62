package io.aitrace.test;

import static io.aitrace.test.Fixtures.BOOKING_TREE;
import static io.aitrace.test.Fixtures.bookingTreeMarking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every assertion on a trace and its spans, passing and failing; the failure messages are the contract. */
class TraceAssertionsTest {
    private static final String FLIGHT = "├── [tool] flight_search (300 ms) ✗";
    private static final String TRAIN = "├── [tool] train_search (200 ms) ✓  ⤷ fallback of flight_search";
    private static final String PLAN = "├── [llm] plan (100 ms) ✓";
    private static final String ANSWER = "└── [llm] answer (600 ms) ✓";
    private static final String ROOT = "Trace: [agent] booking (1.20 s) ✓";

    private final TraceGraph booking = Fixtures.booking();

    private TraceGraphAssert assertTrace() {
        return AitraceAssertions.assertThat(booking);
    }

    @Test
    void theExampleOfTheDesignPasses() {
        assertTrace().rootSucceeded().hasTotalTokensAtMost(5_000)
                .hasSpan("train_search").hasType(NodeType.TOOL).succeeded()
                .hasEdge(EdgeType.FALLBACK_OF, "flight_search");
    }

    @Test
    void rootSucceeded() {
        assertTrace().rootSucceeded();
        TraceGraph failed = new Fixtures().span("b000000000000001", null, "booking", "agent", 0, 10,
                "\"status\":\"error\",\"error\":{\"type\":\"java.lang.IllegalStateException\",\"message\":\"no seats\"}")
                .graph();
        assertThatThrownBy(() -> AitraceAssertions.assertThat(failed).rootSucceeded())
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting the root span \"booking\" to have succeeded but it failed with"
                        + " java.lang.IllegalStateException: no seats:\n\n"
                        + "Trace: [agent] booking (10 ms) ✗  ◀\n"
                        + "└── error: java.lang.IllegalStateException: no seats");
        AitraceAssertions.assertThat(failed).rootFailed();
    }

    @Test
    void rootFailed() {
        assertThatThrownBy(() -> assertTrace().rootFailed())
                .hasMessage("Expecting the root span \"booking\" to have failed but its status is ok:\n\n"
                        + bookingTreeMarking(ROOT));
    }

    @Test
    void hasSpanByNameOrPath() {
        assertTrace().hasSpan("flight_search").hasType(NodeType.TOOL);
        assertTrace().hasSpan("booking/flight_search").failed();
        assertTrace().hasSpan("booking").hasSpan("answer").hasType(NodeType.LLM);
        assertThatThrownBy(() -> assertTrace().hasSpan("booking/hotel_search"))
                .hasMessage("Expecting the trace to have a span \"booking/hotel_search\" but no span has that name"
                        + " or path:\n\n" + BOOKING_TREE);
    }

    @Test
    void hasSpanBelowASpan() {
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").hasSpan("answer"))
                .hasMessage("Expecting span \"booking/plan\" to have a span \"answer\" below it but none has that"
                        + " name or path:\n\n" + bookingTreeMarking(PLAN));
    }

    @Test
    void repeatedSiblingsAreNumbered() {
        TraceGraph twice = new Fixtures()
                .span("c000000000000001", null, "agent", "agent", 0, 100, "")
                .span("c000000000000002", "c000000000000001", "search", "tool", 0, 10,
                        "\"status\":\"error\",\"error\":{\"type\":\"java.io.IOException\",\"message\":\"timeout\"}")
                .span("c000000000000003", "c000000000000001", "search", "tool", 10, 20, "").graph();
        AitraceAssertions.assertThat(twice).hasSpan("search").failed();
        AitraceAssertions.assertThat(twice).hasSpan("search#2").succeeded();
        AitraceAssertions.assertThat(twice).hasSpan("agent/search#2").succeeded();
        assertThatThrownBy(() -> AitraceAssertions.assertThat(twice).hasSpan("search#2").failed())
                .hasMessage("Expecting span \"agent/search#2\" to have failed but its status is ok:\n\n"
                        + "Trace: [agent] agent (100 ms) ✓\n"
                        + "├── [tool] search (10 ms) ✗\n"
                        + "│   └── error: java.io.IOException: timeout\n"
                        + "└── [tool] search#2 (10 ms) ✓  ◀");
    }

    @Test
    void doesNotHaveSpan() {
        assertTrace().doesNotHaveSpan("hotel_search");
        assertThatThrownBy(() -> assertTrace().doesNotHaveSpan("flight_search"))
                .hasMessage("Expecting the trace not to have a span \"flight_search\" but it has 1:\n\n"
                        + bookingTreeMarking(FLIGHT));
    }

    @Test
    void hasType() {
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").hasType(NodeType.DECISION))
                .hasMessage("Expecting span \"booking/plan\" to have type decision but it has type llm:\n\n"
                        + bookingTreeMarking(PLAN));
    }

    @Test
    void succeededAndFailed() {
        assertTrace().hasSpan("train_search").succeeded();
        assertTrace().hasSpan("flight_search").failed();
        assertThatThrownBy(() -> assertTrace().hasSpan("flight_search").succeeded())
                .hasMessage("Expecting span \"booking/flight_search\" to have succeeded but it failed with"
                        + " java.io.IOException: flights API timed out:\n\n" + bookingTreeMarking(FLIGHT));
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").failed())
                .hasMessage("Expecting span \"booking/plan\" to have failed but its status is ok:\n\n"
                        + bookingTreeMarking(PLAN));
    }

    @Test
    void aSpanThatNeverEndedHasNotSucceeded() {
        TraceGraph crashed = new Fixtures().running("d000000000000001", null, "agent", "agent", 0).graph();
        assertThatThrownBy(() -> AitraceAssertions.assertThat(crashed).rootSucceeded())
                .hasMessage("Expecting the root span \"agent\" to have succeeded but it has not ended"
                        + " (no end record: still running, or the process stopped):\n\n"
                        + "Trace: [agent] agent (running) …  ◀");
        AitraceAssertions.assertThat(crashed).hasSpan("agent").hasStatus("running");
        assertThatThrownBy(() -> AitraceAssertions.assertThat(crashed).hasSpan("agent")
                .hasDurationAtMost(Duration.ofSeconds(1)))
                .hasMessageStartingWith("Expecting span \"agent\" to have ended (to have a duration) but it is still"
                        + " running:");
    }

    @Test
    void hasStatus() {
        assertTrace().hasSpan("flight_search").hasStatus("error");
        assertThatThrownBy(() -> assertTrace().hasSpan("flight_search").hasStatus("ok"))
                .hasMessage("Expecting span \"booking/flight_search\" to have status ok but its status is error"
                        + " (java.io.IOException: flights API timed out):\n\n" + bookingTreeMarking(FLIGHT));
    }

    @Test
    void errorTypeAndMessage() {
        assertTrace().hasSpan("flight_search").hasErrorType(IOException.class)
                .hasErrorType("java.io.IOException").hasErrorMessage("flights API timed out")
                .hasErrorMessageContaining("timed out");
        assertThatThrownBy(() -> assertTrace().hasSpan("flight_search").hasErrorType(IllegalStateException.class))
                .hasMessage("Expecting span \"booking/flight_search\" to have an error of type"
                        + " java.lang.IllegalStateException but it has java.io.IOException: flights API timed out:\n\n"
                        + bookingTreeMarking(FLIGHT));
        assertThatThrownBy(() -> assertTrace().hasSpan("flight_search").hasErrorMessage("rate limited"))
                .hasMessage("Expecting span \"booking/flight_search\" to have the error message \"rate limited\""
                        + " but it has java.io.IOException: flights API timed out:\n\n" + bookingTreeMarking(FLIGHT));
        assertThatThrownBy(() -> assertTrace().hasSpan("flight_search").hasErrorMessageContaining("quota"))
                .hasMessage("Expecting span \"booking/flight_search\" to have an error message containing"
                        + " \"quota\" but it has java.io.IOException: flights API timed out:\n\n"
                        + bookingTreeMarking(FLIGHT));
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").hasErrorType(IOException.class))
                .hasMessage("Expecting span \"booking/plan\" to have failed with an error but its status is ok:\n\n"
                        + bookingTreeMarking(PLAN));
    }

    @Test
    void childrenInOrder() {
        assertTrace().root().hasChildren("plan", "flight_search", "train_search", "answer");
        assertTrace().hasSpan("plan").hasNoChildren();
        assertThatThrownBy(() -> assertTrace().root().hasChildren("plan", "train_search", "flight_search", "answer"))
                .hasMessage("Expecting span \"booking\" to have children [plan, train_search, flight_search, answer]"
                        + " in this order but they are [plan, flight_search, train_search, answer]:\n\n"
                        + bookingTreeMarking(ROOT));
        assertThatThrownBy(() -> assertTrace().root().hasNoChildren())
                .hasMessageStartingWith("Expecting span \"booking\" to have children [] in this order but they are"
                        + " [plan, flight_search, train_search, answer]:");
    }

    @Test
    void hasEdge() {
        assertTrace().hasSpan("train_search").hasEdge(EdgeType.FALLBACK_OF, "flight_search");
        assertThatThrownBy(() -> assertTrace().hasSpan("train_search").hasEdge(EdgeType.RETRY_OF, "flight_search"))
                .hasMessage("Expecting span \"booking/train_search\" to have a retry_of edge to \"flight_search\""
                        + " but it has fallback_of → flight_search:\n\n" + bookingTreeMarking(TRAIN));
        assertThatThrownBy(() -> assertTrace().hasSpan("answer").hasEdge(EdgeType.DATA_FLOW, "train_search"))
                .hasMessage("Expecting span \"booking/answer\" to have a data_flow edge to \"train_search\" but it"
                        + " has no edges:\n\n" + bookingTreeMarking(ANSWER));
    }

    @Test
    void attributes() {
        assertTrace().hasSpan("plan").hasAttribute("gen_ai.request.model")
                .hasAttribute("gen_ai.request.model", "gpt-4o").hasAttribute("gen_ai.usage.input_tokens", 300L)
                .attribute("gen_ai.usage.input_tokens").isEqualTo(300);
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").hasAttribute("gen_ai.response.model"))
                .hasMessage("Expecting span \"booking/plan\" to have the attribute \"gen_ai.response.model\" but it"
                        + " has only [gen_ai.request.model, gen_ai.usage.input_tokens, gen_ai.usage.output_tokens]:\n\n"
                        + bookingTreeMarking(PLAN));
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").hasAttribute("gen_ai.request.model", "gpt-4o-mini"))
                .hasMessage("Expecting span \"booking/plan\" to have the attribute gen_ai.request.model ="
                        + " \"gpt-4o-mini\" but it is \"gpt-4o\":\n\n" + bookingTreeMarking(PLAN));
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").attribute("gen_ai.request.model").isEqualTo("o3"))
                .hasMessageContaining("[attribute gen_ai.request.model of span \"booking/plan\"]")
                .hasMessageContaining("expected: \"o3\"");
    }

    @Test
    void inputsAndOutputsWithAssertJsOwnAssertions() {
        assertTrace().hasSpan("train_search").input("city").isEqualTo("Lisbon");
        assertTrace().hasSpan("train_search").output("trains").isEqualTo(2);
        assertTrace().hasSpan("train_search").input().isEqualTo(Map.of("city", "Lisbon"));
        assertTrace().hasSpan("answer").output().asString().contains("9:05 train");
        assertThatThrownBy(() -> assertTrace().hasSpan("answer").output().asString().contains("flight"))
                .hasMessageContaining("[output of span \"booking/answer\"]");
        assertThatThrownBy(() -> assertTrace().hasSpan("train_search").input("date"))
                .hasMessage("Expecting span \"booking/train_search\" to have the input \"date\" but its input is"
                        + " {city=Lisbon}:\n\n" + bookingTreeMarking(TRAIN));
        assertThatThrownBy(() -> assertTrace().hasSpan("train_search").output("trains").isEqualTo(3))
                .hasMessageContaining("[output trains of span \"booking/train_search\"]");
    }

    @Test
    void annotations() {
        assertTrace().hasSpan("train_search").hasAnnotationContaining("trying trains");
        assertThatThrownBy(() -> assertTrace().hasSpan("train_search").hasAnnotationContaining("retry"))
                .hasMessage("Expecting span \"booking/train_search\" to have an annotation containing \"retry\" but"
                        + " its annotations are [flights down: trying trains]:\n\n" + bookingTreeMarking(TRAIN));
    }

    @Test
    void spanCounts() {
        assertTrace().hasSpanCount(5).hasSpanCount(NodeType.TOOL, 2).hasSpanCount(NodeType.RETRIEVAL, 0);
        assertThatThrownBy(() -> assertTrace().hasSpanCount(4))
                .hasMessage("Expecting 4 spans in the trace but it has 5:\n\n" + BOOKING_TREE);
        assertThatThrownBy(() -> assertTrace().hasSpanCount(NodeType.LLM, 1))
                .hasMessage("Expecting 1 llm span in the trace but it has 2:\n\n" + bookingTreeMarking(PLAN, ANSWER));
    }

    @Test
    void toolCalls() {
        assertTrace().calledTool("flight_search").times(1).calledTool("train_search").atLeastOnce()
                .calledTool("hotel_search").never().calledTool("train_search").atMost(1)
                .calledTool("flight_search").atLeast(1);
        assertThatThrownBy(() -> assertTrace().calledTool("flight_search").times(2))
                .hasMessage("Expecting tool \"flight_search\" to be called exactly 2 times but it was called 1 time:"
                        + "\n\n" + bookingTreeMarking(FLIGHT));
        assertThatThrownBy(() -> assertTrace().calledTool("hotel_search").atLeastOnce())
                .hasMessage("Expecting tool \"hotel_search\" to be called at least 1 time but it was never called:"
                        + "\n\n" + BOOKING_TREE);
        assertThatThrownBy(() -> assertTrace().calledTool("train_search").never())
                .hasMessageStartingWith("Expecting tool \"train_search\" to be called exactly 0 times but it was"
                        + " called 1 time:");
        assertThatThrownBy(() -> assertTrace().calledTool("train_search").atMost(0))
                .hasMessageStartingWith("Expecting tool \"train_search\" to be called at most 0 times but it was"
                        + " called 1 time:");
    }

    @Test
    void noErrors() {
        TraceGraph clean = new Fixtures().span("e000000000000001", null, "agent", "agent", 0, 100, "").graph();
        AitraceAssertions.assertThat(clean).hasNoErrors();
        assertThatThrownBy(() -> assertTrace().hasNoErrors())
                .hasMessage("Expecting no span to have failed but 1 span did: booking/flight_search"
                        + " (java.io.IOException: flights API timed out):\n\n" + bookingTreeMarking(FLIGHT));
    }

    @Test
    void tokenTotals() {
        assertTrace().hasTotalTokensAtMost(1400);
        assertTrace().hasSpan("plan").hasTotalTokensAtMost(350);
        assertThatThrownBy(() -> assertTrace().hasTotalTokensAtMost(1000))
                .hasMessage("Expecting at most 1000 tokens in the trace but it used 1400 (input 1200, output 200);"
                        + " most by booking/answer 1050, booking/plan 350:\n\n" + bookingTreeMarking(PLAN, ANSWER));
        assertThatThrownBy(() -> assertTrace().root().hasTotalTokensAtMost(1000))
                .hasMessage("Expecting span \"booking\" to use at most 1000 tokens (with the spans below it) but it"
                        + " used 1400 (input 1200, output 200):\n\n" + bookingTreeMarking(ROOT));
    }

    @Test
    void costTotals() {
        // gpt-4o in the bundled table: $2.50 per million input tokens, $10 per million output tokens;
        // plan 300 in + 50 out = $0.00125, answer 900 in + 150 out = $0.00375, the trace $0.005
        assertTrace().hasTotalCostAtMost(0.0051);
        assertThatThrownBy(() -> assertTrace().hasTotalCostAtMost(0.004))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting the trace to cost at most $0.0040 but it cost $0.0050; most by"
                        + " booking/answer $0.0038, booking/plan $0.0013:\n\n" + bookingTreeMarking(PLAN, ANSWER));
        TraceGraph unknown = new Fixtures().span("c000000000000001", null, "ask", "llm", 0, 10,
                "\"status\":\"ok\",\"attributes\":{\"gen_ai.request.model\":\"house-model-7\","
                        + "\"gen_ai.usage.input_tokens\":10,\"gen_ai.usage.output_tokens\":5}").graph();
        assertThatThrownBy(() -> AitraceAssertions.assertThat(unknown).hasTotalCostAtMost(1.0))
                .hasMessageContaining("but its cost is unknown: 1 span with tokens have no price (models: house-model-7)");
    }

    @Test
    void evaluations() {
        TraceGraph evaluated = new Fixtures().span("d000000000000001", null, "answer", "llm", 0, 10,
                "\"status\":\"ok\",\"evaluations\":[{\"ts\":\"2026-11-21T18:00:01Z\",\"name\":\"faithfulness\","
                        + "\"score\":0.82,\"label\":\"pass\",\"explanation\":\"grounded\"}]").graph();
        AitraceAssertions.assertThat(evaluated).hasSpan("answer").hasEvaluation("faithfulness")
                .hasEvaluation("faithfulness", "pass").hasEvaluationScoreAtLeast("faithfulness", 0.8);
        assertThatThrownBy(() -> AitraceAssertions.assertThat(evaluated).hasSpan("answer")
                .hasEvaluationScoreAtLeast("faithfulness", 0.9))
                .hasMessageContaining("to have the evaluation faithfulness score at least 0.9 but it is faithfulness 0.82 pass");
        assertThatThrownBy(() -> AitraceAssertions.assertThat(evaluated).hasSpan("answer").hasEvaluation("relevance"))
                .hasMessageContaining("to have an evaluation \"relevance\" but it has faithfulness 0.82 pass");
    }

    @Test
    void durationBounds() {
        assertTrace().hasDurationAtMost(Duration.ofSeconds(2));
        assertTrace().hasSpan("answer").hasDurationAtLeast(Duration.ofMillis(500))
                .hasDurationAtMost(Duration.ofMillis(600));
        assertThatThrownBy(() -> assertTrace().hasDurationAtMost(Duration.ofSeconds(1)))
                .hasMessage("Expecting span \"booking\" to take at most 1.00 s but it took 1.20 s:\n\n"
                        + bookingTreeMarking(ROOT));
        assertThatThrownBy(() -> assertTrace().hasSpan("plan").hasDurationAtLeast(Duration.ofMillis(150)))
                .hasMessage("Expecting span \"booking/plan\" to take at least 150 ms but it took 100 ms:\n\n"
                        + bookingTreeMarking(PLAN));
    }

    @Test
    void aSpanAssertedAloneDrawsItsTrace() {
        AitraceAssertions.assertThat(booking.nodes().get(2)).failed();
        assertThatThrownBy(() -> AitraceAssertions.assertThat(booking.nodes().get(2)).succeeded())
                .hasMessage("Expecting span \"booking/flight_search\" to have succeeded but it failed with"
                        + " java.io.IOException: flights API timed out:\n\n" + bookingTreeMarking(FLIGHT));
    }

    @Test
    void assertionsOnAnEmptyTraceSayNoTraceWasRecorded() {
        TraceGraph empty = new TraceGraph(List.of(), List.of(), 0, List.of(), 0);
        assertThatThrownBy(() -> AitraceAssertions.assertThat(empty).rootSucceeded())
                .hasMessageStartingWith("No trace was recorded: the trace has no spans.\nLikely causes:\n")
                .hasMessageContaining("  - the code ran on an unwrapped executor: wrap it with"
                        + " Tracing.wrap(executor)");
        assertThatThrownBy(() -> AitraceAssertions.assertThat(empty).hasSpan("x"))
                .hasMessageStartingWith("No trace was recorded");
        assertThatThrownBy(() -> AitraceAssertions.assertThat((TraceGraph) null).hasSpanCount(1))
                .hasMessageContaining("Expecting actual not to be null");
    }

    @Test
    void severalRootsAreNamedWhenOneIsExpected() {
        TraceGraph two = new Fixtures().span("f000000000000001", null, "a", "agent", 0, 10, "")
                .span("f000000000000002", null, "b", "agent", 20, 30, "").graph();
        assertThatThrownBy(() -> AitraceAssertions.assertThat(two).rootSucceeded())
                .hasMessage("Expecting one root span but the trace has 2: a, b:\n\n"
                        + "Trace: " + Fixtures.TRACE + " (2 roots)\n"
                        + "├── [agent] a (10 ms) ✓  ◀\n"
                        + "└── [agent] b (10 ms) ✓  ◀");
    }

    @Test
    void aDescriptionIsKept() {
        assertThatThrownBy(() -> assertTrace().as("booking run").hasSpanCount(1))
                .hasMessageStartingWith("[booking run] Expecting 1 span in the trace but it has 5:");
    }
}
