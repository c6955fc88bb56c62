package io.aitrace.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.core.read.TraceReader;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture() throws Exception {
        try (InputStream in = PriceTableTest.class.getResourceAsStream("/cost-fixture.json")) {
            return JSON.readTree(in);
        }
    }

    private static TraceGraph graphOf(JsonNode run) {
        List<String> lines = new ArrayList<>();
        run.path("records").forEach(record -> lines.add(record.toString()));
        return TraceReader.readLines(lines);
    }

    private static Node named(TraceGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void costsOfTheSharedFixtureEqualTheHandComputedValues() throws Exception {
        JsonNode fixture = fixture();
        PriceTable prices = PriceTable.parse(fixture.path("prices").toString(), "fixture");
        int checked = 0;
        for (JsonNode run : fixture.path("runs")) {
            TraceGraph graph = graphOf(run);
            JsonNode expected = run.path("expected");
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.path("spans").fields(); it.hasNext(); checked++) {
                Map.Entry<String, JsonNode> span = it.next();
                Cost cost = prices.cost(named(graph, span.getKey()));
                String what = run.path("name").asText() + " / " + span.getKey();
                if (span.getValue().has("tokens")) {
                    assertThat(cost.isEmpty()).as(what).isTrue();
                } else if (span.getValue().path("usd").isNull()) {
                    assertThat(cost.pricedSpans()).as(what).isZero();
                    assertThat(cost.unpricedModels()).as(what)
                            .containsExactly(span.getValue().path("unpriced_model").asText());
                    assertThat(cost.format()).as(what).isEqualTo("no price");
                } else {
                    assertThat(cost.usd()).as(what).isCloseTo(span.getValue().path("usd").asDouble(), within(1e-12));
                    assertThat(cost.isComplete()).as(what).isTrue();
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.path("subtrees").fields(); it.hasNext(); checked++) {
                Map.Entry<String, JsonNode> subtree = it.next();
                assertCost(prices.subtreeCost(named(graph, subtree.getKey())), subtree.getValue(),
                        run.path("name").asText() + " / subtree " + subtree.getKey());
            }
            Cost trace = prices.cost(graph);
            assertCost(trace, expected.path("trace"), run.path("name").asText() + " / trace");
            assertThat(trace.format()).isEqualTo(expected.path("trace").path("format").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(18);
    }

    private static void assertCost(Cost cost, JsonNode expected, String what) {
        assertThat(cost.usd()).as(what).isCloseTo(expected.path("usd").asDouble(), within(1e-12));
        assertThat(cost.pricedSpans()).as(what).isEqualTo(expected.path("priced").asInt());
        assertThat(cost.unpricedSpans()).as(what).isEqualTo(expected.path("unpriced").asInt());
    }

    @Test
    void theBundledTableKnowsCommonModelsOfEveryProviderByTheirDatedNames() {
        PriceTable bundled = PriceTable.bundled();
        assertThat(bundled.priceOf("gpt-4o-mini-2024-07-18")).get().extracting(ModelPrice::pattern).isEqualTo("gpt-4o-mini*");
        assertThat(bundled.priceOf("gpt-4o-2024-08-06")).get().extracting(ModelPrice::pattern).isEqualTo("gpt-4o*");
        assertThat(bundled.priceOf("claude-sonnet-4-20250514")).isPresent();
        assertThat(bundled.priceOf("claude-3-5-haiku-latest")).isPresent();
        assertThat(bundled.priceOf("models/gemini-2.5-flash")).get().extracting(ModelPrice::pattern)
                .isEqualTo("gemini-2.5-flash*");
        assertThat(bundled.priceOf("mistral-large-latest")).isPresent();
        assertThat(bundled.priceOf("meta-llama/Llama-3.3-70B-Instruct-Turbo")).isPresent();
        assertThat(bundled.priceOf("my-finetune-v3")).isEmpty();
    }

    @Test
    void theResponseModelIsPricedBeforeTheRequestedOne() {
        PriceTable prices = PriceTable.parse("{\"models\":{\"cheap\":{\"input\":1,\"output\":1},"
                + "\"dear\":{\"input\":100,\"output\":100}}}", "test");
        TraceGraph graph = TraceReader.parse("{\"v\":1,\"type\":\"span\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"span_id\":\"00f067aa0ba902b7\",\"name\":\"chat\",\"start\":\"2026-11-21T18:00:00Z\",\"end\":\"2026-11-21T18:00:01Z\","
                + "\"attributes\":{\"gen_ai.request.model\":\"dear\",\"gen_ai.response.model\":\"cheap\","
                + "\"gen_ai.usage.input_tokens\":1000000,\"gen_ai.usage.output_tokens\":0}}");
        assertThat(prices.cost(graph).usd()).isEqualTo(1.0);
    }

    @Test
    void aUsersTableIsConsultedBeforeTheBundledOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"models\":{\"gpt-4o*\":{\"input\":1,\"output\":2},\"my-finetune*\":{\"input\":3,\"output\":4}}}");
        String before = System.getProperty("aitrace.prices");
        System.setProperty("aitrace.prices", file.toString());
        try {
            PriceTable prices = PriceTable.load();
            assertThat(prices.priceOf("gpt-4o-2024-08-06")).get().extracting(ModelPrice::input).isEqualTo(1.0);
            assertThat(prices.priceOf("my-finetune-v3")).get().extracting(ModelPrice::output).isEqualTo(4.0);
            assertThat(prices.priceOf("claude-sonnet-4-5")).isPresent();
            assertThat(prices.sources()).containsExactly(file.toString(), "bundled");
        } finally {
            if (before == null) {
                System.clearProperty("aitrace.prices");
            } else {
                System.setProperty("aitrace.prices", before);
            }
        }
    }

    @Test
    void aPriceFileWithAMistakeNamesTheEntry() {
        assertThatThrownBy(() -> PriceTable.parse("{\"models\":{\"x*\":{\"input\":1}}}", "test"))
                .hasMessage("model \"x*\" has no \"output\" price");
        assertThatThrownBy(() -> PriceTable.parse("{\"models\":{\"x*\":{\"input\":\"cheap\",\"output\":1}}}", "test"))
                .hasMessage("model \"x*\": \"input\" must be a number of dollars per million tokens, not \"cheap\"");
        assertThatThrownBy(() -> PriceTable.parse("[]", "test")).hasMessageContaining("\"models\"");
    }

    @Test
    void amountsAreShownToFourDecimalsBelowADollarAndToTheCentAbove() {
        assertThat(Cost.dollars(0.0177)).isEqualTo("$0.0177");
        assertThat(Cost.dollars(0.00001)).isEqualTo("<$0.0001");
        assertThat(Cost.dollars(1234.5)).isEqualTo("$1,234.50");
        assertThat(Cost.dollars(0)).isEqualTo("$0");
        assertThat(Cost.NONE.format()).isEmpty();
    }
}
