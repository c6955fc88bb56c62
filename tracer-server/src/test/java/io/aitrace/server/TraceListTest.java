package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TraceListTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static ApiClient api;
    static final String WEATHER = Records.traceId();
    static final String BILLING = Records.traceId();
    static final String RUNNING = Records.traceId();

    @BeforeAll
    static void start() throws Exception {
        api = server.api();
        String root = Records.spanId();
        api.postNdjson(
                Records.span(WEATHER, root, null, "weather_agent", "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z",
                        "ok", "{\"ai.conversation.id\":\"c1\",\"gen_ai.usage.input_tokens\":5,"
                                + "\"gen_ai.usage.output_tokens\":5}"),
                Records.span(WEATHER, Records.spanId(), root, "forecast lookup", "2026-11-20T10:00:00.2Z",
                        "2026-11-20T10:00:00.6Z", "ok", "{\"gen_ai.usage.input_tokens\":8,"
                                + "\"gen_ai.usage.output_tokens\":12,\"tool\":\"umbrella\"}"));
        api.postNdjson(Records.span(BILLING, Records.spanId(), null, "invoice", "2026-11-20T11:00:00Z",
                "2026-11-20T11:00:05Z", "error", "{}").replace("weather-agent", "billing"));
        String running = Records.spanId();
        api.postNdjson(Records.span(RUNNING, running, null, "weather_agent", "2026-11-20T12:00:00Z", null,
                        "running", "{\"ai.conversation.id\":\"c2\"}"),
                Records.log(RUNNING, running, "2026-11-20T12:00:00.1Z", "info", "thinking"),
                Records.log(RUNNING, running, "2026-11-20T12:00:00.5Z", "info", "still thinking"));
    }

    private static List<String> ids(String query) {
        ApiClient.Answer answer = api.get("/api/traces" + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().path("traces").forEach(row -> ids.add(row.path("trace_id").asText()));
        return ids;
    }

    @Test
    void tracesComeNewestFirstWithTheirSummaries() {
        JsonNode answer = api.get("/api/traces").json();

        assertThat(ids("")).containsExactly(RUNNING, BILLING, WEATHER);
        JsonNode weather = answer.path("traces").get(2);
        assertThat(weather.path("root_name").asText()).isEqualTo("weather_agent");
        assertThat(weather.path("service").asText()).isEqualTo("weather-agent");
        assertThat(weather.path("start").asText()).isEqualTo("2026-11-20T10:00:00.000000Z");
        assertThat(weather.path("duration_ms").asDouble()).isEqualTo(1000.0);
        assertThat(weather.path("span_count").asInt()).isEqualTo(2);
        assertThat(weather.path("log_count").asInt()).isEqualTo(0);
        assertThat(weather.path("error_count").asInt()).isEqualTo(0);
        assertThat(weather.path("input_tokens").asInt()).isEqualTo(13);
        assertThat(weather.path("output_tokens").asInt()).isEqualTo(17);
        assertThat(weather.path("running").asBoolean()).isFalse();
        JsonNode running = answer.path("traces").get(0);
        assertThat(running.path("running").asBoolean()).isTrue();
        assertThat(running.path("log_count").asInt()).isEqualTo(2);
        assertThat(answer.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void filtersByServiceRootNameAndStatus() {
        assertThat(ids("?service=billing")).containsExactly(BILLING);
        assertThat(ids("?name=weather_agent")).containsExactly(RUNNING, WEATHER);
        assertThat(ids("?status=error")).containsExactly(BILLING);
    }

    @Test
    void filtersByDuration() {
        assertThat(ids("?min_duration_ms=2000")).containsExactly(BILLING);
        assertThat(ids("?max_duration_ms=2000")).containsExactly(RUNNING, WEATHER);
        assertThat(ids("?min_duration_ms=900&max_duration_ms=1000")).containsExactly(WEATHER);
    }

    @Test
    void filtersByAttributeOfAnySpan() {
        assertThat(ids("?attr=ai.conversation.id%3Dc1")).containsExactly(WEATHER);
        assertThat(ids("?attr=tool%3Dumbrella")).containsExactly(WEATHER);
        assertThat(ids("?attr=ai.conversation.id%3Dc2&attr=tool%3Dumbrella")).isEmpty();
        assertThat(ids("?attr=gen_ai.usage.input_tokens%3D8")).containsExactly(WEATHER);
    }

    @Test
    void filtersByTimeRange() {
        assertThat(ids("?since=2026-11-20T10:30:00Z")).containsExactly(RUNNING, BILLING);
        assertThat(ids("?until=2026-11-20T11:30:00Z")).containsExactly(BILLING, WEATHER);
        assertThat(ids("?since=2026-11-20T10:30:00Z&until=2026-11-20T11:30:00Z")).containsExactly(BILLING);
    }

    @Test
    void filtersByText() {
        assertThat(ids("?q=umbrella")).containsExactly(WEATHER);
        assertThat(ids("?q=still%20thinking")).containsExactly(RUNNING);
        assertThat(ids("?q=invoice")).containsExactly(BILLING);
    }

    @Test
    void pagesFollowTheCursorToTheEnd() {
        List<String> seen = new ArrayList<>();
        String query = "?limit=1";
        for (int page = 0; page < 5; page++) {
            JsonNode answer = api.get("/api/traces" + query).json();
            answer.path("traces").forEach(row -> seen.add(row.path("trace_id").asText()));
            if (answer.path("next_cursor").isNull()) {
                break;
            }
            query = "?limit=1&cursor=" + answer.path("next_cursor").asText();
        }
        assertThat(seen).containsExactly(RUNNING, BILLING, WEATHER);
    }

    @Test
    void badFilterValuesAre400WithTheReason() {
        assertThat(api.get("/api/traces?status=broken").json().path("error").asText())
                .isEqualTo("status must be error, ok or running, not 'broken'");
        assertThat(api.get("/api/traces?limit=-1").status()).isEqualTo(400);
        assertThat(api.get("/api/traces?cursor=nonsense").json().path("error").asText())
                .isEqualTo("not a cursor from this server: 'nonsense'");
        assertThat(api.get("/api/traces?since=yesterday").json().path("error").asText())
                .isEqualTo("since must be an ISO-8601 time or epoch milliseconds, not 'yesterday'");
        assertThat(api.get("/api/traces?attr=novalue").json().path("error").asText())
                .isEqualTo("attr must be key=value, not 'novalue'");
    }
}
