package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.child;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatbotConversationTest {
    @TempDir
    Path dir;

    @Test
    void eachTurnIsATraceOfItsOwnAndAllShareTheConversationId() {
        List<String> answers = new ArrayList<>();
        TraceGraph graph = RecordedRun.record(dir.resolve("chat.jsonl"), () -> {
            ChatbotConversation bot = new ChatbotConversation("conv-chat-9");
            ChatbotConversation.DEMO_TURNS.forEach(message -> answers.add(bot.reply(message)));
        });

        assertThat(answers).hasSize(3);
        assertThat(graph.traceIds()).hasSize(3);
        List<Node> turns = new ArrayList<>(graph.roots());
        turns.sort(Comparator.comparing(Node::start));
        assertThat(turns).extracting(Node::name).containsOnly("chat_turn");
        assertThat(turns).extracting(n -> n.attribute("chat.turn")).containsExactly(1, 2, 3);
        assertThat(graph.nodes()).hasSize(7)
                .allSatisfy(n -> assertThat(n.attribute("gen_ai.conversation.id")).isEqualTo("conv-chat-9"));
        assertThat(turns.get(1).children()).extracting(Node::type).containsExactly(NodeType.TOOL, NodeType.LLM);
        assertThat(child(turns.get(1), "lookup_order").output())
                .isEqualTo(Map.of("order_id", "1042", "status", "shipped", "eta", "Thursday"));
        // The model sees the whole conversation: system + 1, 3 and 5 messages of history.
        assertThat(turns).extracting(t -> ((List<?>) child(t, "respond").attribute("gen_ai.input.messages")).size())
                .containsExactly(2, 4, 6);
        assertThat(turns.get(2).output()).isEqualTo(Map.of("answer", answers.get(2)));
        assertThat(turns).allSatisfy(t -> assertThat(RecordedRun.logs(t)).singleElement().asString()
                .startsWith("info turn "));
    }
}
