package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/trace/{id}/totals} and {@code /api/trace/{id}/critical-path}: what a viewer shows of a whole huge trace. */
class TraceTotalsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");

    private static String at(int ms) {
        return T0.plusMillis(ms).toString();
    }

    @Test
    void totalsCountEveryKindOfTokenAndPriceTheTraceWithTheCollectorsTable() {
        String trace = Records.traceId();
        String root = Records.spanId();
        String priced = Records.spanId();
        String unpriced = Records.spanId();
        assertThat(server.api().postNdjson(
                Records.span(trace, root, null, "agent", at(0), at(100)),
                Records.span(trace, priced, root, "chat gpt-5", at(1), at(50), "ok",
                        "{\"gen_ai.request.model\":\"gpt-5\",\"gen_ai.usage.input_tokens\":1000000,"
                                + "\"gen_ai.usage.output_tokens\":100000,"
                                + "\"gen_ai.usage.cache_read.input_tokens\":200000,"
                                + "\"gen_ai.usage.reasoning.output_tokens\":40000}"),
                Records.span(trace, unpriced, root, "chat acme", at(50), at(90), "error",
                        "{\"gen_ai.request.model\":\"acme-unknown\",\"gen_ai.usage.input_tokens\":10,"
                                + "\"gen_ai.usage.output_tokens\":5,"
                                + "\"gen_ai.usage.cache_creation.input_tokens\":4}"),
                Records.log(trace, priced, at(2), "INFO", "asking"),
                Records.log(trace, unpriced, at(60), "WARN", "slow answer")).status()).isEqualTo(200);

        ApiClient.Answer answer = server.api().get("/api/trace/" + trace + "/totals");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode totals = answer.json();
        assertThat(totals.path("trace_id").asText()).isEqualTo(trace);
        assertThat(totals.path("span_count").asLong()).isEqualTo(3);
        assertThat(totals.path("log_count").asLong()).isEqualTo(2);
        assertThat(totals.path("error_count").asLong()).isEqualTo(1);
        assertThat(totals.path("input_tokens").asLong()).isEqualTo(1_000_010);
        assertThat(totals.path("output_tokens").asLong()).isEqualTo(100_005);
        assertThat(totals.path("cache_read_input_tokens").asLong()).isEqualTo(200_000);
        assertThat(totals.path("cache_creation_input_tokens").asLong()).isEqualTo(4);
        assertThat(totals.path("reasoning_output_tokens").asLong()).isEqualTo(40_000);
        // gpt-5: 800k uncached at $1.25, 200k cached at $0.125, 60k visible and 40k reasoning output at $10 (per 1M)
        assertThat(totals.path("cost_usd").asDouble()).isEqualTo(2.025);
        assertThat(totals.path("cost_complete").asBoolean()).isFalse();
        assertThat(totals.path("priced_spans").asInt()).isEqualTo(1);
        assertThat(totals.path("unpriced_spans").asInt()).isEqualTo(1);
        assertThat(totals.path("unpriced_models").toString()).isEqualTo("[\"acme-unknown\"]");

        JsonNode listed = server.api().get("/api/traces?limit=1000").json();
        for (JsonNode row : listed.path("traces")) {
            if (row.path("trace_id").asText().equals(trace)) {
                assertThat(row.path("cost_usd").asDouble()).as("the trace list's cost").isEqualTo(2.025);
            }
        }
    }

    @Test
    void totalsFollowSpansStoredAfterTheFirstAnswer() {
        String trace = Records.traceId();
        String root = Records.spanId();
        server.api().postNdjson(Records.span(trace, root, null, "agent", at(0), at(10)));
        assertThat(server.api().get("/api/trace/" + trace + "/totals").json().path("span_count").asLong()).isEqualTo(1);
        assertThat(server.api().get("/api/trace/" + trace + "/totals").json().path("cost_usd").isNull()).isTrue();

        server.api().postNdjson(Records.span(trace, Records.spanId(), root, "chat", at(1), at(9), "ok",
                "{\"gen_ai.request.model\":\"gpt-5\",\"gen_ai.usage.input_tokens\":1000000,"
                        + "\"gen_ai.usage.output_tokens\":0}"));

        JsonNode totals = server.api().get("/api/trace/" + trace + "/totals").json();
        assertThat(totals.path("span_count").asLong()).isEqualTo(2);
        assertThat(totals.path("input_tokens").asLong()).isEqualTo(1_000_000);
        assertThat(totals.path("cost_usd").asDouble()).isEqualTo(1.25);
        assertThat(totals.path("cost_complete").asBoolean()).isTrue();
    }

    @Test
    void criticalPathIsTheChainTheTracesEndWaitedOn() {
        String trace = Records.traceId();
        String root = Records.spanId();
        String a = Records.spanId();
        String b = Records.spanId();
        String b1 = Records.spanId();
        String b2 = Records.spanId();
        String c = Records.spanId();
        String d = Records.spanId();
        String d1 = Records.spanId();
        String d2 = Records.spanId();
        String running = Records.spanId();
        assertThat(server.api().postNdjson(
                Records.span(trace, root, null, "agent", at(0), at(100)),
                Records.span(trace, a, root, "a", at(0), at(30)),
                Records.span(trace, b, root, "b", at(10), at(60)),
                Records.span(trace, b1, b, "b1", at(10), at(20)),
                Records.span(trace, b2, b, "b2", at(20), at(55)),
                Records.span(trace, c, root, "c", at(40), at(50)), // inside b's time, ended before it: not waited on
                Records.span(trace, d, root, "d", at(65), at(95)),
                Records.span(trace, d1, d, "d1", at(66), at(70)),
                Records.span(trace, d2, d, "d2", at(70), at(99)), // ends after its parent: counted up to d's end
                Records.span(trace, running, root, "running", at(80), null)).status()).isEqualTo(200);

        ApiClient.Answer answer = server.api().get("/api/trace/" + trace + "/critical-path");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("trace_id").asText()).isEqualTo(trace);
        assertThat(ids(answer.json().path("span_ids"))).containsExactly(root, d, d2, d1, b, b2, b1, a);
    }

    @Test
    void criticalPathFollowsAChainFiveThousandDeep() {
        String trace = Records.traceId();
        int depth = 5_000;
        List<String> lines = new ArrayList<>();
        List<String> chain = new ArrayList<>();
        String parent = null;
        for (int k = 0; k < depth; k++) {
            String id = Records.spanId();
            lines.add(Records.span(trace, id, parent, "level " + k, at(k), at(2 * depth - k)));
            chain.add(id);
            parent = id;
        }
        for (int from = 0; from < depth; from += 5_000) {
            assertThat(server.api().postNdjson(lines.subList(from, from + 5_000).toArray(String[]::new)).status())
                    .isEqualTo(200);
        }

        ApiClient.Answer answer = server.api().get("/api/trace/" + trace + "/critical-path");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(ids(answer.json().path("span_ids"))).isEqualTo(chain);
    }

    @Test
    void aLongCriticalPathComesInPagesAndPagedSpansSayTheyAreOnIt() {
        String trace = Records.traceId();
        String root = Records.spanId();
        List<String> lines = new ArrayList<>();
        lines.add(Records.span(trace, root, null, "agent", at(0), at(30_000)));
        List<String> steps = new ArrayList<>();
        for (int k = 0; k < 2_500; k++) { // one after the other: every one is waited on
            String id = Records.spanId();
            lines.add(Records.span(trace, id, root, "step " + k, at(10 * k + 1), at(10 * k + 11)));
            steps.add(id);
        }
        String idle = Records.spanId();
        lines.add(Records.span(trace, idle, root, "aside", at(52), at(55))); // within step 5, ended before it
        assertThat(server.api().postNdjson(lines.toArray(String[]::new)).status()).isEqualTo(200);
        String base = "/api/trace/" + trace + "/critical-path";
        // a page of the trace asked for before the path was walked does not wait for it
        assertThat(server.api().get("/api/trace/" + trace + "?limit=3").json().path("spans").findValues("critical"))
                .isEmpty();

        JsonNode first = server.api().get(base + "?limit=1000").json();
        assertThat(first.path("count").asInt()).isEqualTo(2_501);
        assertThat(first.path("span_ids").size()).isEqualTo(1_000);
        assertThat(first.path("span_ids").get(0).asText()).isEqualTo(root);
        assertThat(first.path("span_ids").get(1).asText()).isEqualTo(steps.get(2_499)); // the last to end first
        assertThat(first.path("next_offset").asInt()).isEqualTo(1_000);
        JsonNode last = server.api().get(base + "?limit=1000&offset=2000").json();
        assertThat(last.path("span_ids").size()).isEqualTo(501);
        assertThat(last.path("span_ids").get(500).asText()).isEqualTo(steps.get(0));
        assertThat(last.path("next_offset").isNull()).isTrue();
        assertThat(server.api().get(base).json().path("span_ids").size()).as("unpaged: the whole path").isEqualTo(2_501);

        JsonNode asked = server.api().get(base + "?of=" + steps.get(7) + "," + idle + ",0123456789abcdef").json();
        assertThat(ids(asked.path("on_path"))).containsExactly(steps.get(7));
        assertThat(asked.path("span_ids")).isEmpty();
        JsonNode page = server.api().get("/api/trace/" + trace + "?limit=8").json().path("spans");
        assertThat(page.get(0).path("critical").asBoolean()).as("the root").isTrue();
        assertThat(page.get(6).path("span_id").asText()).isEqualTo(steps.get(5));
        assertThat(page.get(6).path("critical").asBoolean()).isTrue();
        assertThat(page.get(7).path("span_id").asText()).isEqualTo(idle);
        assertThat(page.get(7).has("critical")).isFalse();
        assertThat(server.api().get(base + "?of=" + String.join(",", java.util.Collections.nCopies(1_001, root)))
                .status()).isEqualTo(400);
    }

    @Test
    void aTraceWithoutAnEndedRootHasAnEmptyCriticalPath() {
        String trace = Records.traceId();
        server.api().postNdjson(Records.span(trace, Records.spanId(), null, "agent", at(0), null));

        JsonNode path = server.api().get("/api/trace/" + trace + "/critical-path").json();

        assertThat(path.path("span_ids").isArray()).isTrue();
        assertThat(path.path("span_ids").size()).isZero();
    }

    @Test
    void badTraceIdsAndUnknownTracesAreRefusedByName() {
        ApiClient.Answer bad = server.api().get("/api/trace/not-a-trace/totals");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).isEqualTo("trace ID must be 32 hex digits, not 'not-a-trace'");

        String unknown = Records.traceId();
        ApiClient.Answer missing = server.api().get("/api/trace/" + unknown + "/critical-path");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).isEqualTo("no trace " + unknown);
        assertThat(server.api().get("/api/trace/" + unknown + "/totals").status()).isEqualTo(404);

        ApiClient.Answer post = server.api().post("/api/trace/" + unknown + "/totals", "application/json", new byte[0]);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.json().path("error").asText()).contains("use GET");
    }

    static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asText()));
        return ids;
    }
}
