package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SearchAndStreamTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.heartbeat(Duration.ofMillis(200)));
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = server.api();
    }

    @Test
    void searchFindsAttributeTextWithTheSpanAndAHighlightedSnippet() {
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.span(trace, span, null, "forecast", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z",
                "ok", "{\"report\":\"sunny weather over Lisbon all week\"}"));

        JsonNode hits = api.get("/api/search?q=lisbon").json().path("hits");

        assertThat(hits).hasSize(1);
        JsonNode hit = hits.get(0);
        assertThat(hit.path("trace_id").asText()).isEqualTo(trace);
        assertThat(hit.path("span_id").asText()).isEqualTo(span);
        assertThat(hit.path("name").asText()).isEqualTo("forecast");
        assertThat(hit.path("field").asText()).isEqualTo("attributes");
        assertThat(hit.path("snippet").toString()).isEqualTo("[{\"text\":\"report: sunny weather over \",\"hit\":false},"
                + "{\"text\":\"Lisbon\",\"hit\":true},{\"text\":\" all week\",\"hit\":false}]");
    }

    @Test
    void searchFindsSpanNamesAnnotationsAndLogLines() {
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.span(trace, span, null, "geocode_zanzibar", "2026-11-21T18:00:00Z",
                        "2026-11-21T18:00:01Z").replace("routing to the forecast tool", "picked the quokka route"),
                Records.log(trace, span, "2026-11-21T18:00:00.5Z", "info", "retrying the marmoset service"));

        assertThat(api.get("/api/search?q=geocode_zanzibar").json().path("hits").get(0).path("field").asText())
                .isEqualTo("name");
        assertThat(api.get("/api/search?q=quokka").json().path("hits").get(0).path("field").asText())
                .isEqualTo("annotations");
        JsonNode logHit = api.get("/api/search?q=marmoset").json().path("hits").get(0);
        assertThat(logHit.path("field").asText()).isEqualTo("log");
        assertThat(logHit.path("span_id").asText()).isEqualTo(span);
        assertThat(logHit.path("name").asText()).isEqualTo("geocode_zanzibar");
    }

    @Test
    void searchWithoutWordsIs400() {
        assertThat(api.get("/api/search").json().path("error").asText()).isEqualTo("missing q, the words to search for");
        assertThat(api.get("/api/search?q=%22").status()).isEqualTo(200);
    }

    @Test
    void theStreamDeliversASpanStartedAfterTheClientConnected() throws Exception {
        String trace = Records.traceId();
        String span = Records.spanId();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/stream?trace=" + trace)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        try (BufferedReader events = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(events.readLine()).isEqualTo(": connected");
            api.postNdjson(Records.span(Records.traceId(), Records.spanId(), null, "other trace",
                    "2026-11-21T18:00:00Z", null));
            api.postNdjson(Records.span(trace, span, null, "live", "2026-11-21T18:00:00Z", null),
                    Records.log(trace, span, "2026-11-21T18:00:00.1Z", "info", "started"));

            String event = null;
            String data = null;
            for (String line = events.readLine(); line != null; line = events.readLine()) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                    break;
                }
            }
            assertThat(event).isEqualTo("span");
            JsonNode record = ApiClient.JSON.readTree(data);
            assertThat(record.path("span_id").asText()).isEqualTo(span);
            assertThat(record.path("name").asText()).isEqualTo("live");
            assertThat(record.path("status").asText()).isEqualTo("running");
            String next = nextNonBlank(events);
            while (next.startsWith(":")) {
                next = nextNonBlank(events);
            }
            assertThat(next).isEqualTo("event: log");
            assertThat(events.readLine()).contains("\"event\":\"started\"");
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/stream?trace=" + Records.traceId())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader events = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(events.readLine()).isEqualTo(": connected");
            assertThat(nextNonBlank(events)).isEqualTo(": heartbeat");
        }
    }

    @Test
    void statsCountWhatWasStoredAndRejected() {
        String trace = Records.traceId();
        JsonNode before = api.get("/api/stats").json();
        api.postNdjson(Records.span(trace, Records.spanId(), null, "counted", "2026-11-21T18:00:00Z",
                "2026-11-21T18:00:01Z"), "{broken", "{\"v\":1,\"type\":\"dropped\",\"count\":7}");

        JsonNode after = api.get("/api/stats").json();
        assertThat(after.path("traces").asLong()).isEqualTo(before.path("traces").asLong() + 1);
        assertThat(after.path("spans").asLong()).isEqualTo(before.path("spans").asLong() + 1);
        assertThat(after.path("rejected").asLong()).isEqualTo(before.path("rejected").asLong() + 1);
        assertThat(after.path("dropped").asLong()).isEqualTo(before.path("dropped").asLong() + 7);
        assertThat(after.path("db_bytes").asLong()).isPositive();
        assertThat(after.path("ingest_per_second").asDouble()).isPositive();
        assertThat(after.path("schema_version").asInt()).isEqualTo(Schema.VERSION);
    }

    private static String nextNonBlank(BufferedReader events) throws java.io.IOException {
        String line = events.readLine();
        while (line != null && line.isEmpty()) {
            line = events.readLine();
        }
        return line;
    }
}
