package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.read.TraceAlignment;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pairing two traces' spans by path of names and types, repeated siblings by order. */
class TraceAlignmentTest {
    @Test
    void spansPairByNameTypeAndOrderAmongEqualSiblings() {
        TraceText a = new TraceText("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        TraceText.SpanText rootA = a.span("agent", "agent", null, 0, 100);
        a.span("search", "tool", rootA, 1, 2);
        a.span("search", "tool", rootA, 3, 4);
        TraceText b = new TraceText("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        TraceText.SpanText rootB = b.span("agent", "agent", null, 0, 100);
        b.span("search", "tool", rootB, 1, 2);
        b.span("search", "tool", rootB, 3, 4);
        b.span("search", "tool", rootB, 5, 6);

        List<String> rows = rows(a, b);

        assertThat(rows).containsExactly("agent =", "agent/search =", "agent/search#2 =", "agent/search#3 B");
    }

    @Test
    void aSameNameWithAnotherTypeIsAnotherStep() {
        TraceText a = new TraceText("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        a.span("lookup", "agent", null, 0, 100);
        TraceText b = new TraceText("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        b.span("lookup", "tool", null, 0, 100);

        assertThat(rows(a, b)).containsExactly("lookup A", "lookup B");
    }

    @Test
    void spansOnlyInBKeepTheirPlaceAmongTheirSiblings() {
        TraceText a = new TraceText("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        TraceText.SpanText rootA = a.span("agent", "agent", null, 0, 100);
        a.span("plan", "decision", rootA, 1, 2);
        a.span("answer", "llm", rootA, 5, 6);
        TraceText b = new TraceText("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        TraceText.SpanText rootB = b.span("agent", "agent", null, 0, 100);
        b.span("plan", "decision", rootB, 1, 2);
        TraceText.SpanText search = b.span("search", "tool", rootB, 3, 4);
        b.span("http", "step", search, 3.1, 3.9);
        b.span("answer", "llm", rootB, 5, 6);

        assertThat(rows(a, b)).containsExactly("agent =", "agent/plan =", "agent/search B", "agent/search/http B",
                "agent/answer =");
    }

    @Test
    void rowsCarryTheirDepthForTheMergedTree() {
        TraceText a = new TraceText("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        TraceText.SpanText root = a.span("agent", "agent", null, 0, 100);
        TraceText.SpanText step = a.span("step", "step", root, 1, 50);
        a.span("llm", "llm", step, 2, 40);

        List<TraceAlignment.Pair> pairs = TraceAlignment.align(graph(a), graph(a));

        assertThat(pairs).extracting(TraceAlignment.Pair::depth).containsExactly(0, 1, 2);
        assertThat(pairs).allMatch(TraceAlignment.Pair::matched);
    }

    private static List<String> rows(TraceText a, TraceText b) {
        return TraceAlignment.align(graph(a), graph(b)).stream()
                .map(pair -> pair.path() + " " + (pair.matched() ? "=" : pair.onlyInA() ? "A" : "B"))
                .collect(Collectors.toList());
    }

    private static TraceGraph graph(TraceText text) {
        TraceGraph graph = TraceReader.parse(text.jsonl());
        return graph.trace(graph.traceIds().get(0));
    }
}
