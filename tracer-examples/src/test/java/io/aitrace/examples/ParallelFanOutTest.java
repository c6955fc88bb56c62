package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.logs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Edge;
import io.aitrace.EdgeType;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelFanOutTest {
    @TempDir
    Path dir;

    @Test
    void threeSearchesAreOverlappingSiblingsOnPoolThreadsMergedByDataFlowEdges() {
        TraceGraph graph = RecordedRun.record(dir.resolve("trace.jsonl"),
                () -> new ParallelFanOut().research("How do scopes work?", "conv-par"));

        assertThat(graph.nodes()).hasSize(7);
        Node root = graph.roots().get(0);
        assertThat(root.children()).extracting(Node::name).containsExactlyInAnyOrder("plan_searches", "web_search",
                "docs_search", "arxiv_search", "merge_results", "write_answer");
        List<Node> searches = root.children().stream().filter(n -> n.name().endsWith("_search")).toList();
        assertThat(searches).hasSize(3).allSatisfy(search -> {
            assertThat(search.type()).isEqualTo(NodeType.TOOL);
            assertThat(search.thread()).startsWith("search-").isNotEqualTo(root.thread());
            assertThat(search.attribute("gen_ai.conversation.id")).isEqualTo("conv-par");
            String source = search.name().replace("_search", "");
            assertThat(logs(search)).containsExactly("info searching " + source, "info " + source + " returned 2 hits");
        });
        assertThat(searches).extracting(Node::thread).doesNotHaveDuplicates();
        for (Node a : searches) {
            for (Node b : searches) {
                assertThat(a.start()).as("%s started before %s ended", a.name(), b.name()).isBefore(b.end());
            }
        }
        Node merge = RecordedRun.child(root, "merge_results");
        assertThat(merge.edges()).extracting(Edge::type).containsOnly(EdgeType.DATA_FLOW);
        assertThat(merge.edges()).extracting(Edge::toSpanId)
                .containsExactlyInAnyOrderElementsOf(searches.stream().map(Node::spanId).toList());
        assertThat(merge.start()).isAfterOrEqualTo(searches.stream().map(Node::end).max(Comparable::compareTo).get());
        assertThat(graph.nodes()).allSatisfy(n -> assertThat(n.isError()).isFalse());
    }
}
