package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.core.Await;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A trace too big to answer while a list request waits: its row first says {@code "answers": "pending"}, then shows
 * the right cost, input summary and evaluations; an evaluation sent later shows at once, a span stored later
 * brings the row back to pending with the earlier answers until the new ones are ready.
 */
class HugeTraceAnswersTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static ApiClient api;

    /** Spans of the generated trace, above the list's inline bound. */
    static final int SPANS = TraceAnswers.INLINE_SPANS * 2 + 1;
    /** Of them, model calls to gpt-4o with 1,000 input and 100 output tokens: $0.0035 each. */
    static final int CALLS = 100;
    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @BeforeAll
    static void start() {
        api = server.api();
    }

    private static JsonNode row(String trace) {
        return api.traceRow(trace);
    }

    private static String at(int ms) {
        return T0.plusMillis(ms).toString();
    }

    private static String call(String trace, String parent, int ms) {
        return Records.span(trace, Records.spanId(), parent, "chat", at(ms), at(ms + 1), "ok",
                "{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":1000,"
                        + "\"gen_ai.usage.output_tokens\":100}");
    }

    private static void evaluate(String trace, String span, double score, String label) {
        ApiClient.Answer answer = api.post("/api/evaluations", "application/json", ("{\"trace_id\":\"" + trace
                + "\",\"span_id\":\"" + span + "\",\"name\":\"faithfulness\",\"score\":" + score + ",\"label\":\""
                + label + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void aHugeTracesRowIsPendingThenRightAndFollowsLaterRecords() {
        String trace = Records.traceId();
        String root = Records.spanId();
        String judged = Records.spanId();
        List<String> lines = new ArrayList<>();
        lines.add(Records.span(trace, root, null, "agent", at(0), at(SPANS + 10)));
        lines.add(Records.span(trace, judged, root, "answer", at(1), at(2)).replace(",\"resource\":",
                ",\"evaluations\":[{\"name\":\"faithfulness\",\"score\":0.8,\"label\":\"pass\"}],\"resource\":"));
        for (int i = 2; i < SPANS; i++) {
            lines.add(i % 40 == 0 && i / 40 <= CALLS ? call(trace, root, i)
                    : Records.span(trace, Records.spanId(), root, "step", at(i), at(i + 1)));
        }
        assertThat(lines.stream().filter(line -> line.contains("gpt-4o"))).hasSize(CALLS);
        for (int from = 0; from < lines.size(); from += 1_000) {
            assertThat(api.postNdjson(lines.subList(from, Math.min(lines.size(), from + 1_000)).toArray(String[]::new))
                    .status()).isEqualTo(200);
        }

        JsonNode first = row(trace);
        assertThat(first.path("span_count").asLong()).isEqualTo(SPANS);
        assertThat(first.path("answers").asText()).isEqualTo("pending");
        assertThat(first.path("cost_usd").isNull()).isTrue();
        assertThat(first.path("input_summary").isNull()).isTrue();
        assertThat(first.path("evaluations")).isEmpty();

        JsonNode ready = readyRow(trace);
        assertThat(ready.path("cost_usd").asDouble()).isEqualTo(0.35);
        assertThat(ready.path("cost_complete").asBoolean()).isTrue();
        assertThat(ready.path("input_summary").asText()).isEqualTo("What's the weather in Paris?");
        assertThat(ready.path("evaluations")).hasSize(1);
        assertThat(ready.path("evaluations").get(0).path("score").asDouble()).isEqualTo(0.8);
        // the trace's totals reuse the list's sum
        assertThat(api.get("/api/trace/" + trace + "/totals").json().path("cost_usd").asDouble()).isEqualTo(0.35);

        // an evaluation sent later is read with the row: no wait
        evaluate(trace, judged, 0.4, "fail");
        JsonNode judgedRow = row(trace);
        assertThat(judgedRow.path("answers").asText()).isEqualTo("ready");
        JsonNode faithfulness = judgedRow.path("evaluations").get(0);
        assertThat(faithfulness.path("score").asDouble()).isEqualTo(0.6);
        assertThat(faithfulness.path("count").asLong()).isEqualTo(2);
        assertThat(faithfulness.path("label").asText()).isEqualTo("fail");

        // one more model call: the earlier answers while the new ones are computed, then the new ones (once the
        // polls above left nothing queued that would answer the new state before the row is read)
        assertThat(Await.until(() -> server.server().kept().answersIdle())).as("background answers done").isTrue();
        api.postNdjson(call(trace, root, SPANS + 5));
        JsonNode changed = row(trace);
        assertThat(changed.path("span_count").asLong()).isEqualTo(SPANS + 1);
        assertThat(changed.path("answers").asText()).isEqualTo("pending");
        assertThat(changed.path("cost_usd").asDouble()).as("the earlier state's").isEqualTo(0.35);
        assertThat(changed.path("evaluations").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(readyRow(trace).path("cost_usd").asDouble()).isEqualTo(0.3535);
        assertThat(api.get("/api/trace/" + trace + "/totals").json().path("cost_usd").asDouble()).isEqualTo(0.3535);
    }

    @Test
    void aSmallTracesRowIsAnsweredAtOnce() {
        String trace = Records.traceId();
        String root = Records.spanId();
        api.postNdjson(Records.span(trace, root, null, "agent", at(0), at(10)), call(trace, root, 1));

        JsonNode row = row(trace);
        assertThat(row.path("answers").asText()).isEqualTo("ready");
        assertThat(row.path("cost_usd").asDouble()).isEqualTo(0.0035);
    }

    private static JsonNode readyRow(String trace) {
        JsonNode[] last = new JsonNode[1];
        boolean ready = Await.until(() -> {
            last[0] = row(trace);
            return last[0].path("answers").asText().equals("ready");
        });
        assertThat(ready).as("answers ready: %s", last[0]).isTrue();
        return last[0];
    }
}
