package io.aitrace;

import java.util.Locale;
import java.util.Objects;

/**
 * What kind of step a span is: the node type of the execution tree.
 *
 * <pre>{@code try (Span s = tracer.span("classify", NodeType.LLM)) { ... }}</pre>
 *
 * The built-in types are constants; {@link #of(String)} makes a custom one. Two node types are
 * equal when their names are. The name is what the record's {@code node_type} field holds.
 */
public final class NodeType {
    public static final NodeType AGENT = new NodeType("agent");
    public static final NodeType LLM = new NodeType("llm");
    public static final NodeType TOOL = new NodeType("tool");
    public static final NodeType RETRIEVAL = new NodeType("retrieval");
    public static final NodeType EMBEDDING = new NodeType("embedding");
    public static final NodeType DECISION = new NodeType("decision");
    public static final NodeType GUARDRAIL = new NodeType("guardrail");
    public static final NodeType STEP = new NodeType("step");

    private static final NodeType[] BUILT_IN = {AGENT, LLM, TOOL, RETRIEVAL, EMBEDDING, DECISION, GUARDRAIL, STEP};

    private final String name;

    private NodeType(String name) {
        this.name = name;
    }

    /**
     * The node type with this name: a built-in one when the name matches one (case-insensitively),
     * otherwise a custom type. A null or blank name gives {@link #STEP}.
     */
    public static NodeType of(String name) {
        if (name == null || name.isBlank()) {
            return STEP;
        }
        String normalized = name.trim().toLowerCase(Locale.ROOT);
        for (NodeType type : BUILT_IN) {
            if (type.name.equals(normalized)) {
                return type;
            }
        }
        return new NodeType(normalized);
    }

    /** The lowercase name written to records, e.g. {@code "llm"}. */
    public String name() {
        return name;
    }

    /** True for the eight types that come with aitrace. */
    public boolean isBuiltIn() {
        for (NodeType type : BUILT_IN) {
            if (type == this) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeType && ((NodeType) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
