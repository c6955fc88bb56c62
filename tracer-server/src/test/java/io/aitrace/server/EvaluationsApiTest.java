package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EvaluationsApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = server.api();
    }

    private static String spanWithEvaluation(String trace, String span, String name, double score) {
        return Records.span(trace, span, null, "answer", "2026-11-21T18:00:00.000000Z", "2026-11-21T18:00:01.000000Z")
                .replace(",\"resource\":", ",\"evaluations\":[{\"ts\":\"2026-11-21T18:00:00.900000Z\",\"name\":\""
                        + name + "\",\"score\":" + score + ",\"label\":\"pass\"}],\"resource\":");
    }

    @Test
    void anEvaluationSetInCodeComesBackOnItsSpanRecord() {
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(spanWithEvaluation(trace, span, "faithfulness", 0.9));

        JsonNode got = api.get("/api/trace/" + trace).json();
        JsonNode evaluation = got.path("spans").get(0).path("evaluations").get(0);
        assertThat(evaluation.path("name").asText()).isEqualTo("faithfulness");
        assertThat(evaluation.path("score").asDouble()).isEqualTo(0.9);
        assertThat(evaluation.path("label").asText()).isEqualTo("pass");
    }

    @Test
    void anEvaluationRecordIngestedBeforeOrAfterItsSpanIsReturnedWithTheTraceOnce() {
        String trace = Records.traceId();
        String span = Records.spanId();
        String evaluation = "{\"v\":1,\"type\":\"evaluation\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span
                + "\",\"ts\":\"2026-11-21T18:00:05.000000Z\",\"name\":\"relevance\",\"score\":0.25,\"label\":\"fail\","
                + "\"explanation\":\"answers another question\"}";
        assertThat(api.postNdjson(evaluation).json().path("ingested").asInt()).isEqualTo(1);
        api.postNdjson(Records.span(trace, span, null, "answer", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z"), evaluation);

        JsonNode evaluations = api.get("/api/trace/" + trace).json().path("evaluations");
        assertThat(evaluations).hasSize(1);
        assertThat(evaluations.get(0).path("span_id").asText()).isEqualTo(span);
        assertThat(evaluations.get(0).path("explanation").asText()).isEqualTo("answers another question");
    }

    @Test
    void postedEvaluationsNeedNoTypeAndGetATimestamp() {
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.span(trace, span, null, "answer", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z"));
        ApiClient.Answer answer = api.post("/api/evaluations", "application/json",
                ("[{\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span + "\",\"name\":\"faithfulness\",\"score\":0.3}]")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("ingested").asInt()).isEqualTo(1);
        JsonNode evaluation = api.get("/api/trace/" + trace).json().path("evaluations").get(0);
        assertThat(evaluation.path("name").asText()).isEqualTo("faithfulness");
        assertThat(evaluation.path("score").asDouble()).isEqualTo(0.3);
        assertThat(evaluation.path("ts").asText()).isNotEmpty();
    }

    @Test
    void aPostedEvaluationWithoutAResultOrThatIsNoEvaluationIsRejectedByLine() {
        String trace = Records.traceId();
        String span = Records.spanId();
        ApiClient.Answer answer = api.post("/api/evaluations", "application/x-ndjson",
                ("{\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span + "\",\"name\":\"faithfulness\"}\n"
                        + Records.span(trace, span, null, "answer", "2026-11-21T18:00:00.000000Z", null) + "\n")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("rejected").get(0).path("error").asText())
                .isEqualTo("evaluation record needs a name and a score or a label");
        assertThat(answer.json().path("rejected").get(1).path("error").asText()).startsWith("not an evaluation");
        assertThat(api.get("/api/trace/" + trace).status()).isEqualTo(404);
    }
}
