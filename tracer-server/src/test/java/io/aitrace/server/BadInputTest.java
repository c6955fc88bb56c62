package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BadInputTest {
    private static final int LIMIT = 64 * 1024;
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.maxBodyBytes(LIMIT));
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = server.api();
    }

    @Test
    void aMixedBatchKeepsTheGoodRecordsAndNamesTheBadLines() {
        String trace = Records.traceId();
        String good = Records.spanId();
        ApiClient.Answer answer = api.postNdjson(
                Records.span(trace, good, null, "kept", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"),
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + trace + "\",\"span_id\":\"xyz\"}",
                "{not json",
                Records.log(trace, good, "2026-11-21T18:00:00.5Z", "info", "kept too"),
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"abc\",\"span_id\":\"" + good + "\"}",
                "[1,2]");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.path("ingested").asInt()).isEqualTo(2);
        assertThat(body.path("rejected")).hasSize(4);
        assertThat(body.path("rejected").get(0).toString())
                .isEqualTo("{\"line\":2,\"error\":\"span_id must be 16 hex digits, not 'xyz'\"}");
        assertThat(body.path("rejected").get(1).path("line").asInt()).isEqualTo(3);
        assertThat(body.path("rejected").get(1).path("error").asText()).startsWith("invalid JSON");
        assertThat(body.path("rejected").get(2).toString())
                .isEqualTo("{\"line\":5,\"error\":\"trace_id must be 32 hex digits, not 'abc'\"}");
        assertThat(body.path("rejected").get(3).toString())
                .isEqualTo("{\"line\":6,\"error\":\"not a JSON object\"}");
        JsonNode stored = api.get("/api/trace/" + trace).json();
        assertThat(stored.path("spans")).hasSize(1);
        assertThat(stored.path("logs")).hasSize(1);
    }

    @Test
    void aBatchWithNothingGoodIs400WithTheFirstProblem() {
        ApiClient.Answer answer = api.postNdjson("{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + Records.traceId()
                + "\",\"span_id\":\"00f067aa0ba902bz\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo(
                "no record could be ingested: line 1: span_id must be 16 hex digits, not '00f067aa0ba902bz'");
        assertThat(answer.json().path("ingested").asInt()).isEqualTo(0);
    }

    @Test
    void aMalformedJsonArrayIs400() {
        ApiClient.Answer answer = api.post("/api/ingest", "application/json",
                "[{\"v\":1}, {oops".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).startsWith("malformed JSON array: ")
                .contains("line 1, column");
    }

    @Test
    void anUnknownContentTypeIs415() {
        ApiClient.Answer answer = api.post("/api/ingest", "application/xml", "<span/>".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().path("error").asText()).isEqualTo(
                "unsupported Content-Type 'application/xml' (send application/json or application/x-ndjson)");
    }

    @Test
    void anUnknownContentEncodingIs415() {
        ApiClient.Answer answer = api.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/ingest"))
                .header("Content-Type", "application/x-ndjson").header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().path("error").asText()).isEqualTo("unsupported Content-Encoding 'br' (use gzip or none)");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        ApiClient.Answer answer = api.post("/api/ingest", "application/x-ndjson", new byte[LIMIT + 1]);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().path("error").asText()).isEqualTo("request body larger than " + LIMIT + " bytes");
    }

    @Test
    void aGzipBodyThatUnpacksOverTheLimitIs413() {
        ApiClient.Answer answer = api.post("/api/ingest", "application/x-ndjson",
                ApiClient.gzip(" ".repeat(LIMIT * 4)));

        assertThat(answer.status()).isEqualTo(413);
    }

    @Test
    void brokenGzipIs400() {
        byte[] zipped = ApiClient.gzip(Records.span(Records.traceId(), Records.spanId(), null, "x",
                "2026-11-21T18:00:00Z", null));
        byte[] cut = java.util.Arrays.copyOf(zipped, zipped.length / 2);
        ApiClient.Answer answer = api.post("/api/ingest", "application/x-ndjson", cut);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).startsWith("the body is not valid gzip data");
    }

    @Test
    void aBadTraceIdInThePathIs400() {
        ApiClient.Answer answer = api.get("/api/trace/not-an-id");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("trace ID must be 32 hex digits, not 'not-an-id'");
    }

    @Test
    void unknownEndpointsAndMethodsAreRefused() {
        assertThat(api.get("/api/nothing").status()).isEqualTo(404);
        assertThat(api.get("/api/nothing").json().path("error").asText()).isEqualTo("no endpoint GET /api/nothing");
        ApiClient.Answer answer = api.get("/api/ingest");
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.json().path("error").asText()).isEqualTo("GET is not allowed on /api/ingest (use POST)");
    }

    @Test
    void aSqlInjectionAttemptIsJustAValue() {
        assertThat(api.get("/api/traces?service=x%27%20OR%201%3D1%20--").json().path("traces")).isEmpty();
        assertThat(api.get("/api/traces?attr=a%27)%20OR%201%3D1%20--%3Dx").json().path("traces")).isEmpty();
        assertThat(api.get("/api/search?q=%27%20OR%20%27%27%3D%27").status()).isEqualTo(200);
    }
}
