package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.child;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.read.Edge;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LangChain4jExamplesTest {
    @TempDir
    Path dir;

    private static int tokens(Node node, String key) {
        return ((Number) node.attribute(key)).intValue();
    }

    @Test
    void theTravelAgentIsTracedByTheListenersWithToolsRetriesAGuardrailAndAStreamedConfirmation() {
        String[] confirmation = new String[1];
        TraceGraph graph = RecordedRun.record(dir.resolve("trace.jsonl"), () -> confirmation[0] =
                new LangChain4jTravelAgent().book("Book me a flight to Lisbon on May 3 and a hotel for two nights"));

        assertThat(confirmation[0]).startsWith("Confirmed: Lisbon");
        assertThat(graph.roots()).hasSize(1);
        Node desk = graph.roots().get(0);
        assertThat(desk.name()).isEqualTo("travel_desk");
        assertThat(desk.children()).extracting(Node::name).containsExactly("TravelAssistant.book", "chat gpt-4o-mini");
        Node service = child(desk, "TravelAssistant.book");
        assertThat(service.type()).isEqualTo(NodeType.AGENT);
        assertThat(service.children()).extracting(Node::name).containsExactly("chat gpt-4o-mini", "searchFlights",
                "bookHotel", "chat gpt-4o-mini", "bookHotel", "chat gpt-4o-mini", "HasBookingReference",
                "chat gpt-4o-mini", "HasBookingReference");
        assertThat(service.children()).extracting(Node::status)
                .containsExactly("ok", "ok", "error", "ok", "ok", "ok", "error", "ok", "ok");
        List<Node> llms = service.children().stream().filter(n -> n.type() == NodeType.LLM).toList();
        assertThat(llms).extracting(n -> tokens(n, "gen_ai.usage.input_tokens")).containsExactly(96, 161, 190, 214);
        assertThat(llms.get(1).edges()).extracting(Edge::type, Edge::toSpanId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EdgeType.RETRY_OF, llms.get(0).spanId()));
        assertThat(llms.get(3).edges()).extracting(Edge::type, Edge::toSpanId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EdgeType.RETRY_OF, llms.get(2).spanId()));
        Node failedHotel = service.children().get(2);
        assertThat(failedHotel.error()).containsEntry("type", "java.lang.IllegalStateException")
                .containsEntry("message", "hotel booking service timed out after 2000 ms");
        assertThat(failedHotel.input()).isEqualTo("{\"city\":\"Lisbon\",\"nights\":2}");
        assertThat(service.children().get(4).output()).isEqualTo("Hotel Lisboa, 2 nights, confirmation H-7731");
        assertThat(service.output()).asString().contains("booking reference LX-4821");

        Node streamed = child(desk, "chat gpt-4o-mini");
        assertThat(streamed.attribute("gen_ai.response.time_to_first_chunk")).isNotNull();
        assertThat(tokens(streamed, "gen_ai.usage.output_tokens")).isEqualTo(19);
        assertThat(graph.nodes()).allMatch(Node::isEnded);
    }

    @Test
    void theAgenticWorkflowNestsAsItRunsWithTheScoutsOnTwoLanes() {
        String[] itinerary = new String[1];
        TraceGraph graph = RecordedRun.record(dir.resolve("trace.jsonl"),
                () -> itinerary[0] = new LangChain4jAgenticWorkflow().plan("Lisbon", 3));

        assertThat(itinerary[0]).startsWith("May 3: TP1350");
        Node workflow = graph.roots().get(0);
        assertThat(workflow.name()).isEqualTo("trip_planner");
        assertThat(workflow.children()).extracting(Node::name).containsExactly("plan", "scouts", "write");
        Node scouts = child(workflow, "scouts");
        assertThat(scouts.children()).extracting(Node::name).containsExactlyInAnyOrder("findFlights", "findHotels");
        assertThat(scouts.children()).allMatch(Node::isConcurrent);
        assertThat(TraceGraph.laneCount(scouts.children())).isEqualTo(2);
        Node flights = child(scouts, "findFlights");
        assertThat(flights.input().toString()).contains("Fly to Lisbon on May 3");
        assertThat(flights.output()).isEqualTo("TP1350, May 3 08:40, 189 EUR");
        assertThat(flights.children()).singleElement().satisfies(call -> {
            assertThat(call.type()).isEqualTo(NodeType.LLM);
            assertThat(tokens(call, "gen_ai.usage.input_tokens")).isEqualTo(52);
        });
        assertThat(graph.inputTokens()).isEqualTo(38 + 52 + 51 + 74);
        assertThat(graph.nodes()).hasSize(10).allMatch(Node::isEnded);
    }
}
