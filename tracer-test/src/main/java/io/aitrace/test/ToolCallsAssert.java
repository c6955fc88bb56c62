package io.aitrace.test;

import io.aitrace.read.Node;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** How often a tool ran; made by {@link TraceGraphAssert#calledTool(String)}, returns to the trace's assertions. */
public final class ToolCallsAssert extends AbstractAssert<ToolCallsAssert, List<Node>> {
    private final TraceGraphAssert trace;
    private final String tool;

    ToolCallsAssert(TraceGraphAssert trace, String tool, List<Node> calls) {
        super(calls, ToolCallsAssert.class);
        this.trace = trace;
        this.tool = tool;
    }

    /** Exactly {@code expected} calls. */
    public TraceGraphAssert times(int expected) {
        if (actual.size() != expected) {
            fail("exactly " + TraceGraphAssert.plural(expected, "time"));
        }
        return trace;
    }

    /** At least once. */
    public TraceGraphAssert atLeastOnce() {
        return atLeast(1);
    }

    /** Not at all. */
    public TraceGraphAssert never() {
        return times(0);
    }

    /** At least {@code min} calls. */
    public TraceGraphAssert atLeast(int min) {
        if (actual.size() < min) {
            fail("at least " + TraceGraphAssert.plural(min, "time"));
        }
        return trace;
    }

    /** At most {@code max} calls. */
    public TraceGraphAssert atMost(int max) {
        if (actual.size() > max) {
            fail("at most " + TraceGraphAssert.plural(max, "time"));
        }
        return trace;
    }

    private void fail(String expected) {
        String was = actual.isEmpty() ? "it was never called" : "it was called "
                + TraceGraphAssert.plural(actual.size(), "time");
        failWithMessage("%s", "Expecting tool \"" + tool + "\" to be called " + expected + " but " + was + ":\n\n"
                + TreeText.draw(trace.graph(), actual));
    }
}
