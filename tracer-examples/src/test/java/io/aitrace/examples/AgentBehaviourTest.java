package io.aitrace.examples;

import static io.aitrace.test.AitraceAssertions.assertThat;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import io.aitrace.test.AitraceExtension;
import io.aitrace.test.CapturedTraces;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example agents tested the way docs/testing.md tells users to: on the behaviour their traces record (which
 * tools ran, in what order, what was retried, what it fell back to, how many tokens it took), not on the text
 * the model answered; and pinned with golden traces in src/test/resources/traces.
 */
@ExtendWith(AitraceExtension.class)
class AgentBehaviourTest {

    @Test
    void supportAgentRetriesTheKnowledgeBaseOnceThenFallsBackToWebSearch(CapturedTraces traces) {
        new RetryAndFallback().answer("How do I reset my password?", "conv-support-test");

        TraceGraph trace = traces.single();
        assertThat(trace)
                .rootSucceeded()
                .hasTotalTokensAtMost(200)
                .calledTool("kb_search").times(2)
                .calledTool("web_search").times(1);
        assertThat(trace).hasSpan("support_agent/kb_search").failed().hasErrorType(IOException.class)
                .hasErrorMessageContaining("timed out");
        assertThat(trace).hasSpan("support_agent/kb_search#2").failed()
                .hasEdge(EdgeType.RETRY_OF, "kb_search")
                .hasAnnotationContaining("retrying once");
        assertThat(trace).hasSpan("web_search").hasType(NodeType.TOOL).succeeded()
                .hasEdge(EdgeType.FALLBACK_OF, "kb_search");
        assertThat(trace).hasSpan("web_search").output("results").asList().hasSize(1);
        assertThat(trace).hasSpan("answer").hasType(NodeType.LLM)
                .hasAttribute("gen_ai.request.model", "scripted-gpt");
        assertThat(trace).root().hasChildren("kb_search", "kb_search", "web_search", "answer");

        assertThat(trace).matchesGolden("traces/support-agent.jsonl");
    }

    @Test
    void researchAgentSearchesThreeSourcesAtOnceAndMergesThem(CapturedTraces traces) {
        // The searches run on a pool wrapped with Tracing.wrap: their spans are captured with this test's trace.
        new ParallelFanOut().research("How do scopes work?", "conv-research-test");

        TraceGraph trace = traces.byName("research_agent");
        assertThat(trace)
                .rootSucceeded()
                .hasNoErrors()
                .hasSpanCount(NodeType.TOOL, 3)
                .calledTool("web_search").times(1)
                .calledTool("docs_search").times(1)
                .calledTool("arxiv_search").times(1);
        assertThat(trace).hasSpan("merge_results")
                .hasEdge(EdgeType.DATA_FLOW, "web_search")
                .hasEdge(EdgeType.DATA_FLOW, "docs_search")
                .hasEdge(EdgeType.DATA_FLOW, "arxiv_search");

        // The searches' order is chance (they overlap), so the golden comparison leaves it out.
        assertThat(trace).matchesGolden("traces/research-agent.jsonl", "gen_ai.request.model");
    }
}
