package io.aitrace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeTypeTest {

    @Test
    void ofABuiltInNameIsThatConstantWhateverItsCase() {
        assertThat(NodeType.of("LLM")).isSameAs(NodeType.LLM);
        assertThat(NodeType.of("tool")).isSameAs(NodeType.TOOL);
        assertThat(NodeType.of(" Agent ")).isSameAs(NodeType.AGENT);
    }

    @Test
    void ofAnyOtherNameIsACustomTypeWithThatName() {
        NodeType planner = NodeType.of("planner");

        assertThat(planner.name()).isEqualTo("planner");
        assertThat(planner.toString()).isEqualTo("planner");
        assertThat(planner.isBuiltIn()).isFalse();
    }

    @Test
    void customTypesWithTheSameNameAreEqual() {
        assertThat(NodeType.of("planner"))
                .isEqualTo(NodeType.of("planner"))
                .hasSameHashCodeAs(NodeType.of("planner"))
                .isNotEqualTo(NodeType.of("critic"))
                .isNotEqualTo(NodeType.STEP);
    }

    @Test
    void builtInTypesHaveTheLowercaseNamesRecordsUse() {
        assertThat(new NodeType[] {NodeType.AGENT, NodeType.LLM, NodeType.TOOL, NodeType.RETRIEVAL,
                NodeType.EMBEDDING, NodeType.DECISION, NodeType.GUARDRAIL, NodeType.STEP})
                .extracting(NodeType::name)
                .containsExactly("agent", "llm", "tool", "retrieval", "embedding", "decision", "guardrail", "step");
        assertThat(NodeType.LLM.isBuiltIn()).isTrue();
    }

    @Test
    void ofANullOrBlankNameIsStep() {
        assertThat(NodeType.of(null)).isSameAs(NodeType.STEP);
        assertThat(NodeType.of("  ")).isSameAs(NodeType.STEP);
    }
}
