package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.child;
import static io.aitrace.examples.RecordedRun.logs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiAgentRouterTest {
    @TempDir
    Path dir;

    @Test
    void theRouterHandsOffFiveLevelsDeepOnThreeThreadsWithOneConversationId() {
        TraceGraph graph = RecordedRun.record(dir.resolve("trace.jsonl"),
                () -> new MultiAgentRouter().handle("Book me a trip to Paris", "conv-router"));

        assertThat(graph.traceIds()).hasSize(1);
        assertThat(graph.nodes()).hasSize(12).allSatisfy(n -> {
            assertThat(n.attribute("gen_ai.conversation.id")).as(n.name()).isEqualTo("conv-router");
            assertThat(n.isError()).isFalse();
        });
        Node router = graph.roots().get(0);
        assertThat(router.children()).extracting(Node::name)
                .containsExactly("classify_request", "route", "travel_agent");
        Node route = child(router, "route");
        assertThat(route.type()).isEqualTo(NodeType.DECISION);
        assertThat(route.annotations()).hasSize(1);
        assertThat(logs(router)).containsExactly("info handing off to travel_agent");

        Node travel = child(router, "travel_agent");
        assertThat(travel.type()).isEqualTo(NodeType.AGENT);
        assertThat(travel.children()).extracting(Node::name)
                .containsExactlyInAnyOrder("plan_trip", "flight_agent", "hotel_agent", "compose_itinerary");
        Node flight = child(travel, "flight_agent");
        Node fare = child(child(flight, "search_flights"), "fare_lookup");
        assertThat(fare.type()).isEqualTo(NodeType.RETRIEVAL);
        assertThat(fare.depth()).isEqualTo(4);
        assertThat(logs(fare)).singleElement().asString().startsWith("debug fare_lookup found");
        assertThat(logs(flight)).containsExactly("info flight_agent working");
        Node hotel = child(travel, "hotel_agent");
        assertThat(child(child(hotel, "search_hotels"), "availability_lookup").depth()).isEqualTo(4);
        assertThat(graph.nodes()).extracting(Node::thread).doesNotContainNull().hasSizeGreaterThan(0);
        assertThat(graph.nodes().stream().map(Node::thread).distinct()).hasSize(3);
        assertThat(flight.attribute("gen_ai.agent.name")).isEqualTo("flight_agent");
    }
}
