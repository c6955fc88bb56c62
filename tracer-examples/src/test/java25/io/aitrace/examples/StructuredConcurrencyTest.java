package io.aitrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JDK 25 only (src/test/java25): proxied tools in StructuredTaskScope forks nest under the agent. */
class StructuredConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void toolsCalledInForksAreChildrenOfTheAgentOnOtherThreadsWithTheConversationId() {
        String[] plan = new String[1];
        TraceGraph graph = RecordedRun.record(dir.resolve("trace.jsonl"), () -> {
            try {
                plan[0] = new StructuredConcurrency().plan("Nice", "conv-25");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(plan[0]).isEqualTo("Nice: sunny; 100 EUR = 108.0 USD");
        assertThat(graph.roots()).singleElement().satisfies(agent -> {
            assertThat(agent.name()).isEqualTo("trip_planner");
            assertThat(agent.children()).extracting(Node::name)
                    .containsExactlyInAnyOrder("get_weather", "convert_currency");
            assertThat(agent.children()).allSatisfy(tool -> {
                assertThat(tool.thread()).isNotEqualTo(agent.thread());
                assertThat(tool.attribute("gen_ai.conversation.id")).isEqualTo("conv-25");
            });
            assertThat(RecordedRun.logs(agent)).containsExactly("info both forks done");
        });
    }
}
