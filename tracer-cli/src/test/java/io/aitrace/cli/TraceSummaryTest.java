package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import org.junit.jupiter.api.Test;

/** The numbers behind {@code inspect --json}. */
class TraceSummaryTest {
    @Test
    void theCriticalPathFollowsWhatTheEndWaitedOnAndSkipsParallelWorkThatFinishedEarlier() {
        TraceText text = new TraceText("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        TraceText.SpanText root = text.span("agent", "agent", null, 0, 100);
        text.span("plan", "decision", root, 0, 10);
        TraceText.SpanText fanOut = text.span("fan_out", "step", root, 10, 80);
        text.span("fast", "tool", fanOut, 11, 30);
        text.span("slow", "tool", fanOut, 11, 79);
        text.span("answer", "llm", root, 80, 100);

        TraceSummary summary = summary(text);

        assertThat(summary.criticalPath()).extracting(Node::name)
                .containsExactly("agent", "plan", "fan_out", "slow", "answer");
    }

    @Test
    void tokensAreSummedOverSpansFromNumbersAndNumericStrings() {
        TraceText text = new TraceText("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        TraceText.SpanText root = text.span("agent", "agent", null, 0, 100);
        text.span("one", "llm", root, 1, 2).attribute(TraceSummary.INPUT_TOKENS, 100)
                .attribute(TraceSummary.OUTPUT_TOKENS, 10);
        text.span("two", "llm", root, 3, 4).attribute(TraceSummary.INPUT_TOKENS, "50")
                .attribute(TraceSummary.OUTPUT_TOKENS, "many");

        TraceSummary summary = summary(text);

        assertThat(summary.inputTokens()).isEqualTo(150);
        assertThat(summary.outputTokens()).isEqualTo(10);
    }

    @Test
    void errorsKeepTreeOrderAndTheirPaths() {
        TraceText text = new TraceText("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        TraceText.SpanText root = text.span("agent", "agent", null, 0, 100);
        TraceText.SpanText step = text.span("step", "step", root, 1, 50);
        text.span("call", "tool", step, 2, 3).error("java.io.IOException", "first");
        text.span("call", "tool", step, 4, 5).error("java.io.IOException", "second");
        text.span("late", "tool", root, 60, 70).error("java.lang.IllegalStateException", "third");

        TraceSummary summary = summary(text);

        assertThat(summary.errors()).extracting(node -> summary.path(node).toString())
                .containsExactly("agent/step/call", "agent/step/call#2", "agent/late");
        assertThat(summary.status()).as("the root itself succeeded").isEqualTo("ok");
    }

    private static TraceSummary summary(TraceText text) {
        TraceGraph graph = TraceReader.parse(text.jsonl());
        return new TraceSummary(graph.trace(graph.traceIds().get(0)));
    }
}
