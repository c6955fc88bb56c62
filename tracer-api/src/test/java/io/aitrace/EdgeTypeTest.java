package io.aitrace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EdgeTypeTest {

    @Test
    void theWireNameIsTheLowercaseName() {
        assertThat(EdgeType.RETRY_OF.wireName()).isEqualTo("retry_of");
        assertThat(EdgeType.FALLBACK_OF.wireName()).isEqualTo("fallback_of");
    }

    @ParameterizedTest
    @EnumSource(EdgeType.class)
    void fromWireNameRoundTripsTheWireName(EdgeType type) {
        assertThat(EdgeType.fromWireName(type.wireName())).isSameAs(type);
    }

    @Test
    void fromWireNameAcceptsTheConstantName() {
        assertThat(EdgeType.fromWireName("RETRY_OF")).isSameAs(EdgeType.RETRY_OF);
    }

    @Test
    void fromWireNameOfAnUnknownNameIsNull() {
        assertThat(EdgeType.fromWireName("summarizes")).isNull();
        assertThat(EdgeType.fromWireName(null)).isNull();
    }
}
