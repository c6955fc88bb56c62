package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.logs;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxiedToolsTest {
    @TempDir
    Path dir;

    @Test
    void tracedMethodsOfTheProxyBecomeSpansWithArgumentsAndResultsAndAFailureReachesTheAgent() {
        String[] plan = new String[1];
        TraceGraph graph = RecordedRun.record(dir.resolve("trace.jsonl"),
                () -> plan[0] = new ProxiedTools().plan("Nice", "BR"));

        assertThat(plan[0]).isEqualTo("Nice: sunny, 24°C; 100 EUR = 108.0 USD; visa: check with the consulate");
        Node agent = graph.roots().get(0);
        assertThat(graph.nodes()).hasSize(5);
        assertThat(agent.children()).extracting(Node::name).containsExactly("trip_brief", "check_visa");
        assertThat(agent.children()).extracting(Node::type).containsExactly(NodeType.STEP, NodeType.GUARDRAIL);
        Node brief = agent.children().get(0);
        assertThat(brief.input()).isEqualTo(Map.of("city", "Nice"));
        assertThat(brief.children()).extracting(Node::name).containsExactly("get_weather", "convert_currency");
        assertThat(brief.children()).extracting(Node::type).containsOnly(NodeType.TOOL);
        Node convert = brief.children().get(1);
        assertThat(convert.input()).isEqualTo(Map.of("amount", 100.0, "from", "EUR", "to", "USD"));
        assertThat(convert.output()).isEqualTo(108.0);
        Node visa = agent.children().get(1);
        assertThat(visa.status()).isEqualTo("error");
        assertThat(visa.error()).containsEntry("type", "java.lang.IllegalArgumentException")
                .containsEntry("message", "no visa rules for passport BR");
        assertThat(agent.status()).isEqualTo("ok");
        assertThat(logs(agent)).containsExactly("info planning with weather, currency and visa tools (scripted)",
                "warn visa check failed: no visa rules for passport BR");
    }
}
