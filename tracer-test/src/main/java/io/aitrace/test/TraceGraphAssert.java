package io.aitrace.test;

import io.aitrace.NodeType;
import io.aitrace.core.cost.Cost;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one trace; made by {@link AitraceAssertions#assertThat(TraceGraph)}. Spans are found by name or
 * path ({@code flight_search}, {@code booking/flight_search}, {@code search#2} for the second sibling of that name).
 */
public final class TraceGraphAssert extends AbstractAssert<TraceGraphAssert, TraceGraph> {

    TraceGraphAssert(TraceGraph actual) {
        super(actual, TraceGraphAssert.class);
    }

    /** The root span ended without an error. */
    public TraceGraphAssert rootSucceeded() {
        Node root = rootSpan();
        if (root.isError()) {
            fail("Expecting the root span \"" + root.name() + "\" to have succeeded but it failed with "
                    + errorText(root) + ":", List.of(root));
        }
        if (!root.isEnded()) {
            fail("Expecting the root span \"" + root.name() + "\" to have succeeded but it has not ended"
                    + " (no end record: still running, or the process stopped):", List.of(root));
        }
        return this;
    }

    /** The root span ended with an error. */
    public TraceGraphAssert rootFailed() {
        Node root = rootSpan();
        if (!root.isError()) {
            fail("Expecting the root span \"" + root.name() + "\" to have failed but its status is "
                    + root.status() + ":", List.of(root));
        }
        return this;
    }

    /** Assertions on the root span. */
    public SpanAssert root() {
        return new SpanAssert(rootSpan(), actual);
    }

    /** The first span (in tree order) with this name or path; fails when there is none. */
    public SpanAssert hasSpan(String nameOrPath) {
        spans();
        List<Node> found = SpanLookup.find(actual, TreeText.preOrder(actual), nameOrPath);
        if (found.isEmpty()) {
            fail("Expecting the trace to have a span \"" + nameOrPath + "\" but no span has that name or path:",
                    List.of());
        }
        return new SpanAssert(found.get(0), actual);
    }

    /** No span has this name or path. */
    public TraceGraphAssert doesNotHaveSpan(String nameOrPath) {
        List<Node> found = SpanLookup.find(actual, TreeText.preOrder(spans()), nameOrPath);
        if (!found.isEmpty()) {
            fail("Expecting the trace not to have a span \"" + nameOrPath + "\" but it has " + found.size() + ":",
                    found);
        }
        return this;
    }

    /** The trace has this many spans. */
    public TraceGraphAssert hasSpanCount(int expected) {
        int count = spans().nodes().size();
        if (count != expected) {
            fail("Expecting " + plural(expected, "span") + " in the trace but it has " + count + ":", List.of());
        }
        return this;
    }

    /** The trace has this many spans of this type. */
    public TraceGraphAssert hasSpanCount(NodeType type, int expected) {
        List<Node> ofType = spans().nodes().stream().filter(n -> n.type().equals(type)).collect(Collectors.toList());
        if (ofType.size() != expected) {
            fail("Expecting " + plural(expected, type.name() + " span") + " in the trace but it has "
                    + ofType.size() + ":", ofType);
        }
        return this;
    }

    /** How often a tool ran: {@code calledTool("flight_search").times(2)}. A tool call is a TOOL span of that name. */
    public ToolCallsAssert calledTool(String name) {
        spans();
        List<Node> calls = TreeText.preOrder(actual).stream()
                .filter(n -> n.type().equals(NodeType.TOOL) && n.name().equals(name)).collect(Collectors.toList());
        return new ToolCallsAssert(this, name, calls);
    }

    /** No span failed. */
    public TraceGraphAssert hasNoErrors() {
        List<Node> failed = TreeText.preOrder(spans()).stream().filter(Node::isError).collect(Collectors.toList());
        if (!failed.isEmpty()) {
            fail("Expecting no span to have failed but " + plural(failed.size(), "span") + " did: "
                    + failed.stream().map(n -> TreeText.path(actual, n) + " (" + errorText(n) + ")")
                            .collect(Collectors.joining(", ")) + ":", failed);
        }
        return this;
    }

    /** Input plus output tokens ({@code gen_ai.usage.*_tokens}) over every span are at most this. */
    public TraceGraphAssert hasTotalTokensAtMost(long max) {
        long total = spans().totalTokens();
        if (total > max) {
            List<Node> users = actual.nodes().stream().filter(n -> ownTokens(n) > 0)
                    .sorted(Comparator.comparingLong(TraceGraphAssert::ownTokens).reversed())
                    .collect(Collectors.toList());
            String byCall = users.stream().limit(5)
                    .map(n -> TreeText.path(actual, n) + " " + ownTokens(n)).collect(Collectors.joining(", "));
            fail("Expecting at most " + max + " tokens in the trace but it used " + total + " (input "
                    + actual.inputTokens() + ", output " + actual.outputTokens() + "); most by " + byCall + ":",
                    users);
        }
        return this;
    }

    /**
     * The trace cost at most {@code usd} US dollars, computed from its token counts and models with the price
     * table {@code aitrace inspect} uses (bundled, under {@code ~/.config/aitrace/prices.json} or
     * {@code -Daitrace.prices=FILE}). Fails too when some span's model has no price: the total is then unknown.
     */
    public TraceGraphAssert hasTotalCostAtMost(double usd) {
        PriceTable prices = PriceTable.load();
        Cost cost = prices.cost(spans());
        if (!cost.isComplete()) {
            List<Node> unpriced = actual.nodes().stream().filter(n -> !prices.cost(n).isComplete())
                    .collect(Collectors.toList());
            fail("Expecting the trace to cost at most " + Cost.dollars(usd) + " but its cost is unknown: "
                    + plural(cost.unpricedSpans(), "span") + " with tokens have no price (models: "
                    + String.join(", ", cost.unpricedModels()) + "); add them to ~/.config/aitrace/prices.json or"
                    + " -Daitrace.prices=FILE:", unpriced);
        }
        if (cost.usd() > usd) {
            List<Node> spending = actual.nodes().stream().filter(n -> prices.cost(n).usd() > 0)
                    .sorted(Comparator.comparingDouble((Node n) -> prices.cost(n).usd()).reversed())
                    .collect(Collectors.toList());
            String byCall = spending.stream().limit(5)
                    .map(n -> TreeText.path(actual, n) + " " + Cost.dollars(prices.cost(n).usd()))
                    .collect(Collectors.joining(", "));
            fail("Expecting the trace to cost at most " + Cost.dollars(usd) + " but it cost "
                    + Cost.dollars(cost.usd()) + "; most by " + byCall + ":", spending);
        }
        return this;
    }

    /** The root span took at most this long. */
    public TraceGraphAssert hasDurationAtMost(Duration max) {
        new SpanAssert(rootSpan(), actual).hasDurationAtMost(max);
        return this;
    }

    /**
     * The trace has the structure of a recorded one (span names, types, nesting, edges, statuses; not IDs,
     * times or durations), spans paired as {@code aitrace diff} pairs them; {@code attributes} are also compared.
     * A relative file is resolved against {@code src/test/resources}. A missing golden file is written from this
     * trace and the assertion fails once; {@code -Daitrace.golden.update=true} rewrites it. See docs/testing.md.
     */
    public TraceGraphAssert matchesGolden(String goldenFile, String... attributes) {
        spans();
        String problem = GoldenTrace.check(actual, goldenFile, List.of(attributes));
        if (problem != null) {
            failWithMessage("%s", problem);
        }
        return this;
    }

    TraceGraph graph() {
        return actual;
    }

    private Node rootSpan() {
        List<Node> roots = spans().roots();
        if (roots.size() > 1) {
            fail("Expecting one root span but the trace has " + roots.size() + ": "
                    + roots.stream().map(Node::name).collect(Collectors.joining(", ")) + ":", roots);
        }
        return roots.get(0);
    }

    /** The trace, after checking there is one. */
    private TraceGraph spans() {
        isNotNull();
        if (actual.nodes().isEmpty()) {
            failWithMessage("%s", NoTraces.message());
        }
        return actual;
    }

    private void fail(String headline, List<Node> marked) {
        failWithMessage("%s", headline + "\n\n" + TreeText.draw(actual, marked));
    }

    static long ownTokens(Node node) {
        return node.inputTokens() - node.children().stream().mapToLong(Node::inputTokens).sum()
                + node.outputTokens() - node.children().stream().mapToLong(Node::outputTokens).sum();
    }

    static String errorText(Node node) {
        return node.error() == null ? "no error recorded" : TreePrinter.errorText(node.error(), false);
    }

    static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
