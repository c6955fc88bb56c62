package io.aitrace.test;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.read.Annotation;
import io.aitrace.read.Edge;
import io.aitrace.read.Evaluation;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on one span of a trace; made by {@link TraceGraphAssert#hasSpan(String)} or
 * {@link AitraceAssertions#assertThat(Node)}. Values (attributes, inputs, outputs) are as read back from the
 * records: maps, lists, strings, numbers, booleans; {@link #input(String)} and friends hand them to AssertJ.
 */
public final class SpanAssert extends AbstractAssert<SpanAssert, Node> {
    private final TraceGraph trace;

    SpanAssert(Node actual, TraceGraph trace) {
        super(actual == null || trace == null ? actual : TreeText.sameIn(trace, actual), SpanAssert.class);
        this.trace = trace;
    }

    /** The span has this node type. */
    public SpanAssert hasType(NodeType expected) {
        if (!span().type().equals(expected)) {
            fail("to have type " + expected.name() + " but it has type " + actual.type().name());
        }
        return this;
    }

    /** The span ended without an error. */
    public SpanAssert succeeded() {
        if (span().isError()) {
            fail("to have succeeded but it failed with " + TraceGraphAssert.errorText(actual));
        }
        if (!actual.isEnded()) {
            fail("to have succeeded but it has not ended");
        }
        return this;
    }

    /** The span ended with an error. */
    public SpanAssert failed() {
        if (!span().isError()) {
            fail("to have failed but its status is " + actual.status());
        }
        return this;
    }

    /** The span's status is {@code ok}, {@code error} or {@code running}. */
    public SpanAssert hasStatus(String expected) {
        if (!span().status().equals(expected)) {
            fail("to have status " + expected + " but its status is " + actual.status()
                    + (actual.isError() ? " (" + TraceGraphAssert.errorText(actual) + ")" : ""));
        }
        return this;
    }

    /** The span's error is of this exception type (its class name as recorded). */
    public SpanAssert hasErrorType(Class<? extends Throwable> expected) {
        return hasErrorType(expected.getName());
    }

    /** The span's error has this type name, e.g. {@code java.io.IOException}. */
    public SpanAssert hasErrorType(String expected) {
        Object type = error().get("type");
        if (!expected.equals(type)) {
            fail("to have an error of type " + expected + " but it has " + TraceGraphAssert.errorText(actual));
        }
        return this;
    }

    /** The span's error message is exactly this. */
    public SpanAssert hasErrorMessage(String expected) {
        Object message = error().get("message");
        if (!expected.equals(message)) {
            fail("to have the error message \"" + expected + "\" but it has " + TraceGraphAssert.errorText(actual));
        }
        return this;
    }

    /** The span's error message contains this text. */
    public SpanAssert hasErrorMessageContaining(String expected) {
        Object message = error().get("message");
        if (message == null || !message.toString().contains(expected)) {
            fail("to have an error message containing \"" + expected + "\" but it has "
                    + TraceGraphAssert.errorText(actual));
        }
        return this;
    }

    /** The span's children are exactly these, by name, in start order. */
    public SpanAssert hasChildren(String... names) {
        List<String> children = span().children().stream().map(Node::name).collect(Collectors.toList());
        if (!children.equals(Arrays.asList(names))) {
            fail("to have children " + Arrays.asList(names) + " in this order but they are " + children);
        }
        return this;
    }

    /** The span has no children. */
    public SpanAssert hasNoChildren() {
        return hasChildren();
    }

    /** The first span below this one with this name or path, for assertions on it. */
    public SpanAssert hasSpan(String nameOrPath) {
        List<Node> below = TreeText.subtree(span());
        List<Node> found = SpanLookup.find(trace, below.subList(1, below.size()), nameOrPath);
        if (found.isEmpty()) {
            fail("to have a span \"" + nameOrPath + "\" below it but none has that name or path");
        }
        return new SpanAssert(found.get(0), trace);
    }

    /**
     * The span declared an edge of this type to a span named {@code targetName}:
     * {@code hasEdge(EdgeType.FALLBACK_OF, "flight_search")}.
     */
    public SpanAssert hasEdge(EdgeType type, String targetName) {
        List<Edge> edges = span().edges();
        for (Edge edge : edges) {
            Node target = trace.node(edge.toSpanId()).orElse(null);
            if (edge.type() == type && target != null && target.name().equals(targetName)) {
                return this;
            }
        }
        String has = edges.isEmpty() ? "it has no edges" : "it has " + edges.stream().map(e -> e.typeName() + " → "
                + trace.node(e.toSpanId()).map(Node::name).orElse("span " + e.toSpanId() + " (not in this trace)"))
                .collect(Collectors.joining(", "));
        fail("to have a " + type.wireName() + " edge to \"" + targetName + "\" but " + has);
        return this;
    }

    /** The span has the attribute {@code key}. */
    public SpanAssert hasAttribute(String key) {
        if (!span().attributes().containsKey(key)) {
            fail("to have the attribute \"" + key + "\" but it has only " + actual.attributes().keySet());
        }
        return this;
    }

    /**
     * The attribute {@code key} has this value: numbers compare by value ({@code 42} equals {@code 42L}),
     * lists and maps element by element, anything else by its text (an enum by its name, a UUID as a string).
     */
    public SpanAssert hasAttribute(String key, Object expected) {
        hasAttribute(key);
        Object value = actual.attribute(key);
        if (!same(expected, value)) {
            fail("to have the attribute " + key + " = " + show(expected) + " but it is " + show(value));
        }
        return this;
    }

    /** AssertJ's assertions on the attribute's value (null when absent). */
    public AbstractObjectAssert<?, Object> attribute(String key) {
        return Assertions.assertThat(span().attribute(key)).as("attribute %s of span \"%s\"", key, path());
    }

    /** AssertJ's assertions on the span's input: a map of named inputs, or one value. */
    public AbstractObjectAssert<?, Object> input() {
        return Assertions.assertThat(span().input()).as("input of span \"%s\"", path());
    }

    /** AssertJ's assertions on one named input ({@code span.input("query", q)}); fails when there is none. */
    public AbstractObjectAssert<?, Object> input(String key) {
        return Assertions.assertThat(entry("input", span().input(), key))
                .as("input %s of span \"%s\"", key, path());
    }

    /** AssertJ's assertions on the span's output: a map of named outputs, or the value a call returned. */
    public AbstractObjectAssert<?, Object> output() {
        return Assertions.assertThat(span().output()).as("output of span \"%s\"", path());
    }

    /** AssertJ's assertions on one named output ({@code span.output("answer", a)}); fails when there is none. */
    public AbstractObjectAssert<?, Object> output(String key) {
        return Assertions.assertThat(entry("output", span().output(), key))
                .as("output %s of span \"%s\"", key, path());
    }

    /** An annotation of the span contains this text. */
    public SpanAssert hasAnnotationContaining(String text) {
        List<String> notes = span().annotations().stream().map(Annotation::text).collect(Collectors.toList());
        if (notes.stream().noneMatch(n -> n != null && n.contains(text))) {
            fail("to have an annotation containing \"" + text + "\" but its annotations are " + notes);
        }
        return this;
    }

    /** The span has an evaluation result with this name ({@code span.evaluate(...)}, or an evaluator's record). */
    public SpanAssert hasEvaluation(String name) {
        evaluation(name);
        return this;
    }

    /** The span's latest evaluation {@code name} has this label, e.g. {@code pass}. */
    public SpanAssert hasEvaluation(String name, String label) {
        Evaluation found = evaluation(name);
        if (!label.equals(found.label())) {
            fail("to have the evaluation " + name + " labelled " + label + " but it is " + evaluationText(found));
        }
        return this;
    }

    /** The span's latest evaluation {@code name} scored at least {@code min}. */
    public SpanAssert hasEvaluationScoreAtLeast(String name, double min) {
        Evaluation found = evaluation(name);
        if (found.score() == null || found.score() < min) {
            fail("to have the evaluation " + name + " score at least " + min + " but it is " + evaluationText(found));
        }
        return this;
    }

    /** Input plus output tokens of this span and every span below it are at most this. */
    public SpanAssert hasTotalTokensAtMost(long max) {
        long total = span().totalTokens();
        if (total > max) {
            fail("to use at most " + max + " tokens (with the spans below it) but it used " + total + " (input "
                    + actual.inputTokens() + ", output " + actual.outputTokens() + ")");
        }
        return this;
    }

    /** The span ended and took at most this long. */
    public SpanAssert hasDurationAtMost(Duration max) {
        Duration took = duration();
        if (took.compareTo(max) > 0) {
            fail("to take at most " + millis(max) + " but it took " + millis(took));
        }
        return this;
    }

    /** The span ended and took at least this long. */
    public SpanAssert hasDurationAtLeast(Duration min) {
        Duration took = duration();
        if (took.compareTo(min) < 0) {
            fail("to take at least " + millis(min) + " but it took " + millis(took));
        }
        return this;
    }

    private Node span() {
        isNotNull();
        return actual;
    }

    private Duration duration() {
        Duration took = span().duration();
        if (took == null) {
            fail("to have ended (to have a duration) but it is still running");
        }
        return took;
    }

    /** The latest evaluation with this name (a later one, e.g. from an evaluator, supersedes an earlier one). */
    private Evaluation evaluation(String name) {
        List<Evaluation> all = span().evaluations();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (name.equals(all.get(i).name())) {
                return all.get(i);
            }
        }
        fail("to have an evaluation \"" + name + "\" but it has " + (all.isEmpty() ? "none"
                : all.stream().map(SpanAssert::evaluationText).collect(Collectors.joining(", "))));
        return null;
    }

    private static String evaluationText(Evaluation e) {
        return e.name() + " " + (e.score() == null ? "" : e.score() + " ") + (e.label() == null ? "(no label)"
                : e.label());
    }

    private Map<String, Object> error() {
        if (span().error() == null) {
            fail(actual.isError() ? "to have an error recorded but its status is error without one"
                    : "to have failed with an error but its status is " + actual.status());
        }
        return actual.error();
    }

    private Object entry(String what, Object value, String key) {
        if (!(value instanceof Map) || !((Map<?, ?>) value).containsKey(key)) {
            fail("to have the " + what + " \"" + key + "\" but its " + what + " is " + show(value));
        }
        return ((Map<?, ?>) value).get(key);
    }

    private String path() {
        return TreeText.path(trace, actual);
    }

    private void fail(String expectation) {
        failWithMessage("%s", "Expecting span \"" + path() + "\" " + expectation + ":\n\n"
                + TreeText.draw(trace, List.of(actual)));
    }

    private static String millis(Duration d) {
        return io.aitrace.core.text.Durations.format(d.toNanos() / 1_000_000.0);
    }

    static boolean same(Object expected, Object actual) {
        if (expected instanceof Number && actual instanceof Number) {
            try {
                return new BigDecimal(expected.toString()).compareTo(new BigDecimal(actual.toString())) == 0;
            } catch (NumberFormatException e) {
                return expected.toString().equals(actual.toString());
            }
        }
        if (expected instanceof Map && actual instanceof Map) {
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = (Map<?, ?>) actual;
            return e.size() == a.size() && e.keySet().stream()
                    .allMatch(k -> a.containsKey(String.valueOf(k)) && same(e.get(k), a.get(String.valueOf(k))));
        }
        if (expected instanceof List && actual instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected == null || actual == null || expected instanceof Map || expected instanceof List) {
            return Objects.equals(expected, actual);
        }
        return expected.equals(actual) || expected.toString().equals(actual.toString());
    }

    private static String show(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
