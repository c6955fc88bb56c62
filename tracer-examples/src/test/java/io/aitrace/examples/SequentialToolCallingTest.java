package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.logs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequentialToolCallingTest {
    @TempDir
    Path dir;

    private final String[] answer = new String[1];
    private TraceGraph graph() {
        return RecordedRun.record(dir.resolve("trace.jsonl"),
                () -> answer[0] = new SequentialToolCalling().answer("What's the weather in Paris?", "conv-7"));
    }

    @Test
    void classifyToolAndSynthesizeRunInOrderUnderTheAgent() {
        TraceGraph graph = graph();

        assertThat(answer[0]).isEqualTo("It will be sunny in Paris, 21°C.");
        assertThat(graph.traceIds()).hasSize(1);
        assertThat(graph.nodes()).hasSize(4);
        Node root = graph.roots().get(0);
        assertThat(root.name()).isEqualTo("weather_agent");
        assertThat(root.type()).isEqualTo(NodeType.AGENT);
        assertThat(root.children()).extracting(Node::name).containsExactly("classify_intent", "weather_api", "synthesize");
        assertThat(root.children()).extracting(Node::type).containsExactly(NodeType.LLM, NodeType.TOOL, NodeType.LLM);
        assertThat(graph.nodes()).allSatisfy(n -> assertThat(n.status()).isEqualTo("ok"));
        assertThat(root.annotations()).extracting(a -> a.text())
                .containsExactly("intent weather_lookup: routing to the weather tool");
        assertThat(root.output()).isEqualTo(Map.of("answer", "It will be sunny in Paris, 21°C."));
    }

    @Test
    void everyStepInheritsTheConversationIdAndCarriesTheGenAiAttributes() {
        TraceGraph graph = graph();

        assertThat(graph.nodes()).allSatisfy(n -> assertThat(n.attribute("gen_ai.conversation.id")).isEqualTo("conv-7"));
        Node root = graph.roots().get(0);
        Node classify = RecordedRun.child(root, "classify_intent");
        assertThat(classify.attribute("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(classify.attribute("gen_ai.provider.name")).isEqualTo("scripted");
        assertThat(classify.attribute("gen_ai.request.model")).isEqualTo("scripted-gpt");
        assertThat(classify.attribute("gen_ai.response.model")).isEqualTo("scripted-gpt-2026-01");
        assertThat(classify.attribute("gen_ai.usage.input_tokens")).isEqualTo(15); // words: 10 in the system message, 5 in the user's
        assertThat(classify.attribute("gen_ai.usage.output_tokens")).isEqualTo(1);
        assertThat(classify.attribute("gen_ai.output.messages")).isEqualTo(List.of(Map.of("role", "assistant",
                "parts", List.of(Map.of("type", "text", "content", "weather_lookup")), "finish_reason", "stop")));
        assertThat(classify.spanKind()).isEqualTo("CLIENT");
        assertThat((List<?>) classify.attribute("gen_ai.input.messages")).hasSize(2);
        Node tool = RecordedRun.child(root, "weather_api");
        assertThat(tool.attribute("gen_ai.operation.name")).isEqualTo("execute_tool");
        assertThat(tool.attribute("gen_ai.tool.name")).isEqualTo("weather_api");
        assertThat((String) tool.attribute("gen_ai.tool.call.id")).startsWith("call_");
        assertThat(root.attribute("gen_ai.agent.name")).isEqualTo("weather_agent");
    }

    @Test
    void theAgentsLogLinesHangUnderTheSpansThatWroteThem() {
        Node root = graph().roots().get(0);

        assertThat(logs(root)).containsExactly("info answering What's the weather in Paris?", "info answered in 3 steps");
        assertThat(logs(RecordedRun.child(root, "weather_api"))).containsExactly("info calling the weather service for Paris");
        assertThat(logs(RecordedRun.child(root, "classify_intent"))).containsExactly("debug calling scripted-gpt (2 message(s))");
    }
}
