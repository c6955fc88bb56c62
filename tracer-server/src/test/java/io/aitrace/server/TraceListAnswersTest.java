package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/traces} rows tell runs apart: cost, input summary, evaluations; and the eval filter. */
class TraceListAnswersTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = server.api();
    }

    private static JsonNode row(String trace) {
        return api.traceRow(trace);
    }

    private static String llm(String trace, String span, String parent, String model, long in, long out) {
        return Records.span(trace, span, parent, "chat", "2026-11-21T18:00:00.100000Z", "2026-11-21T18:00:00.900000Z",
                "ok", "{\"gen_ai.request.model\":\"" + model + "\",\"gen_ai.usage.input_tokens\":" + in
                        + ",\"gen_ai.usage.output_tokens\":" + out + ",\"gen_ai.input.messages\":[{\"role\":\"user\","
                        + "\"parts\":[{\"type\":\"text\",\"content\":\"Plan a weekend in Lisbon\"}]}]}")
                .replace("\"input\":{\"query\":\"What's the weather in Paris?\"}", "\"input\":null");
    }

    @Test
    void aRowHasItsCostComputedFromTokensAndPrices() {
        String trace = Records.traceId();
        String root = Records.spanId();
        // gpt-4o-mini: 1000 × $0.15 + 200 × $0.60 = $0.00027; gpt-4o: 2000 × $2.50 + 500 × $10 = $0.01
        api.postNdjson(Records.span(trace, root, null, "agent", "2026-11-21T18:00:00.000000Z",
                        "2026-11-21T18:00:01.000000Z"),
                llm(trace, Records.spanId(), root, "gpt-4o-mini", 1000, 200),
                llm(trace, Records.spanId(), root, "gpt-4o", 2000, 500));

        JsonNode row = row(trace);
        assertThat(row.path("input_tokens").asLong()).isEqualTo(3000);
        assertThat(row.path("output_tokens").asLong()).isEqualTo(700);
        assertThat(row.path("cost_usd").asDouble()).isEqualTo(0.01027);
        assertThat(row.path("cost_complete").asBoolean()).isTrue();
    }

    @Test
    void anUnknownModelGivesNoPriceInsteadOfAWrongNumber() {
        String trace = Records.traceId();
        String root = Records.spanId();
        api.postNdjson(Records.span(trace, root, null, "agent", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z"), llm(trace, Records.spanId(), root, "my-finetune-v3", 1000, 200));

        JsonNode row = row(trace);
        assertThat(row.path("cost_usd").isNull()).isTrue();
        assertThat(row.path("cost_complete").asBoolean()).isFalse();
        assertThat(row.path("input_tokens").asLong()).isEqualTo(1000);
    }

    @Test
    void theInputSummaryIsTheRootsInputElseTheFirstUserMessage() {
        String withInput = Records.traceId();
        api.postNdjson(Records.span(withInput, Records.spanId(), null, "agent", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z"));
        String withMessages = Records.traceId();
        String root = Records.spanId();
        api.postNdjson(Records.span(withMessages, root, null, "agent", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z").replace("\"input\":{\"query\":\"What's the weather in Paris?\"}",
                "\"input\":null"), llm(withMessages, Records.spanId(), root, "gpt-4o", 10, 10));

        assertThat(row(withInput).path("input_summary").asText()).isEqualTo("What's the weather in Paris?");
        assertThat(row(withMessages).path("input_summary").asText()).isEqualTo("Plan a weekend in Lisbon");
    }

    @Test
    void evaluationsSetInCodeAndPostedLaterAppearInTheRowAndTheFilter() {
        String good = Records.traceId();
        String goodSpan = Records.spanId();
        api.postNdjson(Records.span(good, goodSpan, null, "answer", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z").replace(",\"resource\":", ",\"evaluations\":[{\"name\":\"faithfulness\","
                + "\"score\":0.9,\"label\":\"pass\"}],\"resource\":"));
        String bad = Records.traceId();
        String badSpan = Records.spanId();
        api.postNdjson(Records.span(bad, badSpan, null, "answer", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z"));
        api.post("/api/evaluations", "application/json", ("{\"trace_id\":\"" + bad + "\",\"span_id\":\"" + badSpan
                + "\",\"name\":\"faithfulness\",\"score\":0.2,\"label\":\"fail\"}").getBytes(StandardCharsets.UTF_8));

        JsonNode evaluation = row(bad).path("evaluations").get(0);
        assertThat(evaluation.path("name").asText()).isEqualTo("faithfulness");
        assertThat(evaluation.path("score").asDouble()).isEqualTo(0.2);
        assertThat(evaluation.path("label").asText()).isEqualTo("fail");
        assertThat(row(good).path("evaluations").get(0).path("score").asDouble()).isEqualTo(0.9);

        assertThat(api.get("/api/traces?eval=faithfulness%3C0.5").json().path("traces").findValuesAsText("trace_id"))
                .contains(bad).doesNotContain(good);
        assertThat(api.get("/api/traces?eval=faithfulness%3E%3D0.5").json().path("traces").findValuesAsText("trace_id"))
                .contains(good).doesNotContain(bad);
        assertThat(api.get("/api/traces?eval=faithfulness=pass").json().path("traces").findValuesAsText("trace_id"))
                .contains(good).doesNotContain(bad);
    }

    @Test
    void aMalformedEvalFilterIsRefusedNamingTheProblem() {
        ApiClient.Answer answer = api.get("/api/traces?eval=faithfulness%3Chigh");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("eval faithfulness<high: < needs a number, not 'high'");
        assertThat(api.get("/api/traces?eval=faithfulness").status()).isEqualTo(400);
    }

    @Test
    void flatLogLinesOfThePythonClientAreMaskedOnIngest() {
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson("{\"timestamp\":\"2026-11-21T18:00:00.300000Z\",\"level\":\"info\",\"event\":\"calling model\","
                + "\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span + "\",\"api_key\":\"sk-live-123\","
                + "\"request\":{\"headers\":{\"Authorization\":\"Bearer abc\"},\"model\":\"gpt-4o\"},\"tokens\":12}");

        JsonNode attrs = api.get("/api/trace/" + trace).json().path("logs").get(0).path("attrs");
        assertThat(attrs.path("api_key").asText()).isEqualTo("***");
        assertThat(attrs.path("request").path("headers").path("Authorization").asText()).isEqualTo("***");
        assertThat(attrs.path("request").path("model").asText()).isEqualTo("gpt-4o");
        assertThat(attrs.path("tokens").asInt()).isEqualTo(12);
    }

    @Test
    void theFaviconIsServed() {
        ApiClient.Answer answer = api.get("/favicon.ico");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("image/x-icon");
    }

    @Test
    void thePriceTableIsServedForTheViewer() {
        JsonNode prices = api.get("/api/prices").json();

        assertThat(prices.path("layers").get(0).path("models").path("gpt-4o-mini*").path("input").asDouble())
                .isEqualTo(0.15);
    }
}
