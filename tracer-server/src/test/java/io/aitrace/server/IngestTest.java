package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IngestTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = server.api();
    }

    @Test
    void ndjsonRecordsComeBackAsTheTraceWithTheEndedRecordOfEachSpan() {
        String trace = Records.traceId();
        String root = Records.spanId();
        String child = Records.spanId();
        ApiClient.Answer answer = api.postNdjson(
                Records.span(trace, root, null, "weather_agent", "2026-11-21T18:00:00.000000Z", null),
                Records.span(trace, child, root, "classify_intent", "2026-11-21T18:00:00.100000Z",
                        "2026-11-21T18:00:00.400000Z"),
                Records.log(trace, child, "2026-11-21T18:00:00.300000Z", "info", "calling model"),
                Records.span(trace, root, null, "weather_agent", "2026-11-21T18:00:00.000000Z",
                        "2026-11-21T18:00:01.000000Z"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().toString()).isEqualTo("{\"ingested\":4,\"rejected\":[]}");
        JsonNode got = api.get("/api/trace/" + trace).json();
        assertThat(got.path("trace_id").asText()).isEqualTo(trace);
        assertThat(got.path("spans")).hasSize(2);
        JsonNode first = got.path("spans").get(0);
        assertThat(first.path("span_id").asText()).isEqualTo(root);
        assertThat(first.path("end").asText()).isEqualTo("2026-11-21T18:00:01.000000Z");
        assertThat(first.path("status").asText()).isEqualTo("ok");
        assertThat(first.path("duration_ms").asDouble()).isEqualTo(1000.0);
        assertThat(first.path("input").path("query").asText()).isEqualTo("What's the weather in Paris?");
        assertThat(first.path("annotations").get(0).path("text").asText()).isEqualTo("routing to the forecast tool");
        assertThat(first.path("resource").path("service.name").asText()).isEqualTo("weather-agent");
        assertThat(got.path("spans").get(1).path("parent_span_id").asText()).isEqualTo(root);
        assertThat(got.path("logs")).hasSize(1);
        assertThat(got.path("logs").get(0).path("event").asText()).isEqualTo("calling model");
        assertThat(got.path("logs").get(0).path("v").asInt()).isEqualTo(1);
        assertThat(got.path("roots").toString()).isEqualTo("[\"" + root + "\"]");
        assertThat(got.path("children").path(root).toString()).isEqualTo("[\"" + child + "\"]");
    }

    @Test
    void aLogLineSentAgainIsStoredOnceInTheSameRequestOrALaterOneAmongNewLines() {
        String trace = Records.traceId();
        String span = Records.spanId();
        String[] logs = new String[4];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = Records.log(trace, span, "2026-11-21T18:00:00." + i + "00000Z", "info", "line " + i);
        }
        api.postNdjson(Records.span(trace, span, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"),
                logs[0], logs[0], logs[1]);
        String outside = Records.log("x", "y", "2026-11-21T18:00:00.500000Z", "info", "outside any trace")
                .replace("\"trace_id\":\"x\",\"span_id\":\"y\"", "\"trace_id\":null,\"span_id\":null");
        // a client resending after a lost answer, plus new lines, one of them outside any trace
        api.postNdjson(logs[2], logs[0], outside, logs[1], logs[3]);

        JsonNode stored = api.get("/api/trace/" + trace).json().path("logs");
        assertThat(stored).extracting(log -> log.path("event").asText())
                .containsExactly("line 0", "line 1", "line 2", "line 3");
        JsonNode row = api.get("/api/traces?q=line").json().path("traces").get(0);
        assertThat(row.path("trace_id").asText()).isEqualTo(trace);
        assertThat(row.path("log_count").asLong()).isEqualTo(4);
        assertThat(api.get("/api/search?q=outside").json().path("hits")).hasSize(1);
    }

    @Test
    void aBatchOfMoreTracesThanOneSummaryReadTakesCountsEachTraceFromItsStoredRowOrFromNothing() {
        int traces = TraceSummaries.PRELOAD * 2 + 7;
        String[] ids = new String[traces];
        String[] roots = new String[traces];
        List<String> first = new ArrayList<>();
        for (int t = 0; t < traces; t++) {
            ids[t] = Records.traceId();
            roots[t] = Records.spanId();
            if (t % 2 == 0) { // every other trace has its root and a line stored before the big batch
                first.add(Records.span(ids[t], roots[t], null, "run " + t, "2026-11-21T18:00:00Z",
                        "2026-11-21T18:00:01Z"));
                first.add(Records.log(ids[t], roots[t], "2026-11-21T18:00:00.100000Z", "info", "before"));
            }
        }
        api.postNdjson(first.toArray(String[]::new));
        List<String> batch = new ArrayList<>();
        for (int t = 0; t < traces; t++) {
            if (t % 2 == 1) {
                batch.add(Records.span(ids[t], roots[t], null, "run " + t, "2026-11-21T18:00:00Z",
                        "2026-11-21T18:00:01Z"));
            }
            batch.add(Records.span(ids[t], Records.spanId(), roots[t], "step", "2026-11-21T18:00:00.200000Z",
                    "2026-11-21T18:00:00.300000Z"));
            batch.add(Records.log(ids[t], roots[t], "2026-11-21T18:00:00.400000Z", "error", "after " + t));
        }
        assertThat(api.postNdjson(batch.toArray(String[]::new)).status()).isEqualTo(200);

        for (int t = 0; t < traces; t++) {
            JsonNode row = api.get("/api/traces?q=after%20" + t).json().path("traces").get(0);
            assertThat(row.path("trace_id").asText()).as("trace %d", t).isEqualTo(ids[t]);
            assertThat(row.path("span_count").asLong()).as("spans of trace %d", t).isEqualTo(2);
            assertThat(row.path("log_count").asLong()).as("logs of trace %d", t).isEqualTo(t % 2 == 0 ? 2 : 1);
            assertThat(row.path("error_count").asLong()).as("errors of trace %d", t).isEqualTo(1);
            assertThat(row.path("root_name").asText()).as("root of trace %d", t).isEqualTo("run " + t);
        }
    }

    @Test
    void aLogLineWithoutATimeStampSentAgainIsStoredOnce() {
        String trace = Records.traceId();
        String span = Records.spanId();
        String untimed = Records.log(trace, span, "x", "info", "no time").replace("\"timestamp\":\"x\",", "");
        String timed = Records.log(trace, span, "2026-11-21T18:00:00.100000Z", "info", "timed");
        api.postNdjson(Records.span(trace, span, null, "agent", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"),
                untimed, timed);
        ApiClient.Answer again = api.postNdjson(untimed, untimed, timed);

        assertThat(again.status()).isEqualTo(200);
        JsonNode stored = api.get("/api/trace/" + trace).json().path("logs");
        assertThat(stored).extracting(log -> log.path("event").asText()).containsExactlyInAnyOrder("no time", "timed");
        assertThat(api.get("/api/traces?q=timed").json().path("traces").get(0).path("log_count").asLong())
                .isEqualTo(2);
    }

    @Test
    void aStartRecordArrivingAfterTheEndRecordDoesNotReplaceIt() {
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.span(trace, span, null, "late", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:02.000000Z"));
        api.postNdjson(Records.span(trace, span, null, "late", "2026-11-21T18:00:00.000000Z", null));

        JsonNode spans = api.get("/api/trace/" + trace).json().path("spans");
        assertThat(spans).hasSize(1);
        assertThat(spans.get(0).path("status").asText()).isEqualTo("ok");
        assertThat(spans.get(0).path("end").asText()).isEqualTo("2026-11-21T18:00:02.000000Z");
    }

    @Test
    void aGzipJsonArrayIsIngested() {
        String trace = Records.traceId();
        String body = "[" + Records.span(trace, Records.spanId(), null, "a", "2026-11-21T18:00:00Z",
                "2026-11-21T18:00:01Z") + ",\n" + Records.log(trace, Records.spanId(), "2026-11-21T18:00:00.5Z",
                "warn", "slow") + "]";
        ApiClient.Answer answer = api.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/ingest"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ApiClient.gzip(body))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("ingested").asInt()).isEqualTo(2);
        JsonNode got = api.get("/api/trace/" + trace).json();
        assertThat(got.path("spans").get(0).path("start").asText()).isEqualTo("2026-11-21T18:00:00.000000Z");
        assertThat(got.path("logs").get(0).path("level").asText()).isEqualTo("warn");
    }

    @Test
    void gzipIsRecognisedWithoutContentEncoding() {
        String trace = Records.traceId();
        ApiClient.Answer answer = api.post("/api/ingest", "application/x-ndjson", ApiClient.gzip(
                Records.span(trace, Records.spanId(), null, "zipped", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(api.get("/api/trace/" + trace).json().path("spans").get(0).path("name").asText())
                .isEqualTo("zipped");
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsIngested() {
        String trace = Records.traceId();
        byte[] body = Records.span(trace, Records.spanId(), null, "chunked", "2026-11-21T18:00:00Z",
                "2026-11-21T18:00:01Z").getBytes(StandardCharsets.UTF_8);
        ApiClient.Answer answer = api.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/ingest"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(api.get("/api/trace/" + trace).json().path("spans").get(0).path("name").asText())
                .isEqualTo("chunked");
    }

    @Test
    void pythonClientLogLinesBecomeLogRecordsWithTheirExtraFieldsAsAttrs() {
        String trace = Records.traceId();
        String span = Records.spanId();
        ApiClient.Answer answer = api.postNdjson("{\"timestamp\":\"2026-11-21T18:00:00.250000Z\",\"level\":\"INFO\","
                + "\"event\":\"tool called\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span
                + "\",\"parent_span_id\":\"\",\"tool\":\"weather\",\"latency_ms\":12}");

        assertThat(answer.json().path("ingested").asInt()).isEqualTo(1);
        JsonNode got = api.get("/api/trace/" + trace).json();
        JsonNode log = got.path("logs").get(0);
        assertThat(log.path("v").asInt()).isEqualTo(1);
        assertThat(log.path("type").asText()).isEqualTo("log");
        assertThat(log.path("level").asText()).isEqualTo("info");
        assertThat(log.path("event").asText()).isEqualTo("tool called");
        assertThat(log.path("attrs").toString()).isEqualTo("{\"tool\":\"weather\",\"latency_ms\":12}");
        assertThat(got.path("spans")).isEmpty();
        assertThat(got.path("roots").toString()).isEqualTo("[\"" + span + "\"]");
    }

    @Test
    void uppercaseIdsAreStoredInLowercase() {
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.span(trace.toUpperCase(), span.toUpperCase(), null, "upper", "2026-11-21T18:00:00Z",
                "2026-11-21T18:00:01Z"));

        assertThat(api.get("/api/trace/" + trace).json().path("spans").get(0).path("span_id").asText())
                .isEqualTo(span);
    }

    @Test
    void anUnknownTraceIs404WithAMessage() {
        ApiClient.Answer answer = api.get("/api/trace/" + "0".repeat(31) + "1");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("error").asText()).isEqualTo("no trace " + "0".repeat(31) + "1");
    }
}
