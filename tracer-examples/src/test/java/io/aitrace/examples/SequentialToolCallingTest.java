package io.aitrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.EdgeType;
import io.aitrace.Node;
import io.aitrace.NodeType;
import io.aitrace.TraceGraph;
import io.aitrace.core.TraceReader;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequentialToolCallingTest {
    @TempDir
    Path dir;

    @Test
    void theWeatherAgentProducesTheGraphItClaims() throws Exception {
        Path file = dir.resolve("trace.jsonl");
        TracerRuntime runtime = TracerRuntime.install(TracerConfig.builder().target(file.toString()).build());
        String answer = new SequentialToolCalling().answer("What's the weather in Paris?", "conv-7");
        runtime.close();

        assertThat(answer).isEqualTo("It will be sunny in Paris, 21°C.");
        TraceGraph graph = TraceReader.read(file);
        assertThat(graph.traceIds()).hasSize(1);
        Node root = graph.roots().get(0);
        assertThat(root.name()).isEqualTo("weather_agent");
        assertThat(root.type()).isEqualTo(NodeType.AGENT);
        List<Node> steps = root.children();
        assertThat(steps).extracting(Node::name)
                .containsExactly("classify_intent", "weather_api", "weather_api", "synthesize");
        assertThat(steps).extracting(Node::type)
                .containsExactly(NodeType.LLM, NodeType.TOOL, NodeType.TOOL, NodeType.LLM);
        assertThat(steps.get(1).isError()).isTrue();
        assertThat(steps.get(2).isError()).isFalse();
        assertThat(steps.get(2).edges()).singleElement().satisfies(edge -> {
            assertThat(edge.type()).isEqualTo(EdgeType.RETRY_OF);
            assertThat(edge.toSpanId()).isEqualTo(steps.get(1).spanId());
        });
        assertThat(graph.nodes()).allSatisfy(n -> assertThat(n.attribute("gen_ai.conversation.id")).isEqualTo("conv-7"));
        assertThat(steps.get(0).attribute("gen_ai.usage.input_tokens")).isEqualTo(6);
        assertThat(root.annotations()).extracting(a -> a.text())
                .containsExactly("intent weather_lookup: routing to the weather tool");
    }
}
