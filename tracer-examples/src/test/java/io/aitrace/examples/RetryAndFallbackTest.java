package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.logs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.EdgeType;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryAndFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aFailedAttemptIsRetriedThenTheFallbackSucceedsUnderAnAgentThatSucceeded() {
        TraceGraph graph = RecordedRun.record(dir.resolve("trace.jsonl"),
                () -> new RetryAndFallback().answer("How do I reset my password?", "conv-retry"));

        Node root = graph.roots().get(0);
        assertThat(graph.nodes()).hasSize(5);
        assertThat(root.status()).isEqualTo("ok");
        List<Node> steps = root.children();
        assertThat(steps).extracting(Node::name).containsExactly("kb_search", "kb_search", "web_search", "answer");
        assertThat(steps).extracting(Node::type).containsExactly(NodeType.TOOL, NodeType.TOOL, NodeType.TOOL, NodeType.LLM);
        assertThat(steps).extracting(Node::status).containsExactly("error", "error", "ok", "ok");
        Node first = steps.get(0);
        Node retry = steps.get(1);
        Node fallback = steps.get(2);
        assertThat(first.error()).containsEntry("type", "java.io.IOException")
                .containsEntry("message", "knowledge base timed out after 25 ms");
        assertThat(first.edges()).isEmpty();
        assertThat(retry.edges()).singleElement().satisfies(edge -> {
            assertThat(edge.type()).isEqualTo(EdgeType.RETRY_OF);
            assertThat(edge.toSpanId()).isEqualTo(first.spanId());
        });
        assertThat(fallback.edges()).singleElement().satisfies(edge -> {
            assertThat(edge.type()).isEqualTo(EdgeType.FALLBACK_OF);
            assertThat(edge.toSpanId()).isEqualTo(retry.spanId());
        });
        assertThat(fallback.annotations()).extracting(a -> a.text())
                .containsExactly("knowledge base down after a retry: falling back to web search");
        assertThat(logs(first)).containsExactly("warn kb_search failed: knowledge base timed out after 25 ms");
        assertThat(logs(retry)).containsExactly("warn kb_search failed: knowledge base timed out after 25 ms");
        assertThat(logs(fallback)).isEmpty();
    }
}
