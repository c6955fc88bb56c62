package io.aitrace.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.core.read.TraceReader;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TravelAssistantTest {

    @Test
    void theExampleAnswersAndItsTraceHoldsTheChatClientModelCallsAndBothTools() throws Exception {
        Path file = Paths.get("target", "test-traces", "travel-assistant.jsonl").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);

        String answer = TravelAssistant.run("--aitrace.target=" + file);

        assertThat(answer).isEqualTo(FakeModelServer.ADVICE);
        TraceGraph graph = TraceReader.read(file);
        assertThat(graph.traceIds()).hasSize(1);
        Node agent = graph.roots().get(0);
        assertThat(agent.type()).isEqualTo(NodeType.AGENT);
        assertThat(agent.resource()).containsEntry("service.name", "travel-assistant");
        assertThat(graph.nodes()).filteredOn(n -> n.type() == NodeType.LLM).hasSize(2);
        assertThat(graph.totalTokens()).isEqualTo(148 + 41 + 212 + 27);
        Node flights = graph.nodes().stream().filter(n -> n.name().equals("execute_tool flights")).findFirst()
                .orElseThrow();
        assertThat(flights.input()).isEqualTo(Map.of("from", "Paris", "to", "Lisbon"));
        assertThat(flights.output()).isEqualTo(Map.of("from", "Paris", "to", "Lisbon", "departure", "09:40",
                "price_eur", 89));
        assertThat(flights.logs()).extracting(l -> l.event()).containsExactly("searching flights Paris -> Lisbon");
        assertThat(graph.nodes()).extracting(Node::name).contains("BudgetAdvisor", "execute_tool weather");
    }
}
