package io.aitrace.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanAttributesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void behavesAsALinkedHashMapForWhatASpanDoes() {
        Map<String, JsonNode> inherited = new LinkedHashMap<>();
        inherited.put("session.id", NODES.textNode("s-1"));
        SpanAttributes attributes = new SpanAttributes(inherited);
        Map<String, JsonNode> expected = new LinkedHashMap<>(inherited);
        for (int i = 0; i < 20; i++) { // past the first arrays' size
            String key = new String("key." + (i % 12)); // equal keys that are other objects
            assertThat(attributes.put(key, NODES.numberNode(i))).isEqualTo(expected.put(key, NODES.numberNode(i)));
        }
        assertThat(attributes.put("session.id", NODES.textNode("s-2"))).isEqualTo(NODES.textNode("s-1"));
        expected.put("session.id", NODES.textNode("s-2"));

        assertThat(attributes).isEqualTo(expected).hasSameHashCodeAs(expected).hasSize(13);
        assertThat(new ArrayList<>(attributes.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        assertThat(attributes.get("key.3")).isEqualTo(NODES.numberNode(15));
        assertThat(attributes.get("missing")).isNull();
        assertThat(attributes.containsKey("key.11")).isTrue();
        List<String> walked = new ArrayList<>();
        attributes.forEach((key, value) -> walked.add(key + "=" + value));
        assertThat(walked).first().isEqualTo("session.id=\"s-2\"");
        assertThat(walked).hasSize(13);
        assertThat(new LinkedHashMap<>(attributes)).isEqualTo(expected);
    }
}
