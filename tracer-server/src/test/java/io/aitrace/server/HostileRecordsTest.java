package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One bad record in a batch costs only itself: it is named by its line, the rest is stored, nothing is a 500. */
class HostileRecordsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    /** A good span, then a span with these raw start and end values, then a good log line. */
    private static ApiClient.Answer mixedBatch(String trace, String start, String end) {
        String good = Records.spanId();
        return server.api().postNdjson(
                Records.span(trace, good, null, "kept", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"),
                "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + Records.spanId()
                        + "\",\"name\":\"hostile\",\"start\":" + start + ",\"end\":" + end + "}",
                Records.log(trace, good, "2026-11-21T18:00:00.5Z", "info", "kept too"));
    }

    private static void assertOnlyLineTwoRejected(ApiClient.Answer answer, String trace, String reason) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.path("ingested").asInt()).isEqualTo(2);
        assertThat(body.path("rejected")).hasSize(1);
        assertThat(body.path("rejected").get(0).path("line").asInt()).isEqualTo(2);
        assertThat(body.path("rejected").get(0).path("error").asText()).contains(reason).hasSizeLessThan(240);
        JsonNode stored = server.api().get("/api/trace/" + trace).json();
        assertThat(stored.path("spans")).hasSize(1);
        assertThat(stored.path("spans").get(0).path("name").asText()).isEqualTo("kept");
        assertThat(stored.path("logs")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e308", "-1e308", "1000000000000000000000000000000", "-1000000000000000000000000000000"})
    void aStartTimeFarOutOfRangeCostsOnlyItsOwnLine(String start) {
        String trace = Records.traceId();
        assertOnlyLineTwoRejected(mixedBatch(trace, start, "\"2026-11-21T18:00:01Z\""), trace, "start");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e308", "-1e308", "1000000000000000000000000000000"})
    void anEndTimeFarOutOfRangeCostsOnlyItsOwnLine(String end) {
        String trace = Records.traceId();
        assertOnlyLineTwoRejected(mixedBatch(trace, "\"2026-11-21T18:00:00Z\"", end), trace, "end");
    }

    @Test
    void aSpanLongerThan292YearsCostsOnlyItsOwnLine() {
        String trace = Records.traceId();
        // 0001-01-01 is the zero time of Go and .NET: a client that never set the start sends it
        ApiClient.Answer answer = mixedBatch(trace, "\"0001-01-01T00:00:00Z\"", "\"2026-11-21T18:00:01Z\"");

        assertOnlyLineTwoRejected(answer, trace, "start 0001-01-01T00:00:00Z is out of range");
    }

    @Test
    void aLogFieldNested999DeepCostsOnlyItsOwnLine() {
        String trace = Records.traceId();
        String span = Records.spanId();
        String deep = "{\"a\":".repeat(999) + "1" + "}".repeat(999);
        ApiClient.Answer answer = server.api().postNdjson(
                Records.span(trace, span, null, "kept", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"),
                "{\"v\":1,\"type\":\"log\",\"timestamp\":\"2026-11-21T18:00:00.2Z\",\"event\":\"deep\",\"trace_id\":\""
                        + trace + "\",\"span_id\":\"" + span + "\",\"attrs\":{\"deep\":" + deep + "}}",
                Records.log(trace, span, "2026-11-21T18:00:00.5Z", "info", "kept too"));

        assertOnlyLineTwoRejected(answer, trace, "nested deeper than");
    }

    @Test
    void aFlatLogWithAFieldNested999DeepCostsOnlyItsOwnLine() {
        String trace = Records.traceId();
        String span = Records.spanId();
        // the Python client's shape: unknown top-level fields move under attrs, one level deeper
        String deep = "[".repeat(998) + "]".repeat(998);
        ApiClient.Answer answer = server.api().postNdjson(
                Records.span(trace, span, null, "kept", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"),
                "{\"timestamp\":\"2026-11-21T18:00:00.2Z\",\"event\":\"deep\",\"trace_id\":\"" + trace
                        + "\",\"span_id\":\"" + span + "\",\"deep\":" + deep + "}",
                Records.log(trace, span, "2026-11-21T18:00:00.5Z", "info", "kept too"));

        assertOnlyLineTwoRejected(answer, trace, "nested deeper than 256 levels");
    }

    @Test
    void manyBadLinesAreCountedAndTheFirstHundredListed() {
        String[] lines = new String[1000];
        java.util.Arrays.fill(lines, "{not json");
        ApiClient.Answer answer = server.api().postNdjson(lines);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("rejected")).hasSize(100);
        assertThat(answer.json().path("rejected_count").asInt()).isEqualTo(1000);
    }

    @Test
    void aRecordNestedModeratelyDeepIsStoredAndReadBack() {
        String trace = Records.traceId();
        String span = Records.spanId();
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        ApiClient.Answer answer = server.api().postNdjson("{\"v\":1,\"type\":\"log\",\"timestamp\":"
                + "\"2026-11-21T18:00:00.2Z\",\"event\":\"deep\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span
                + "\",\"attrs\":{\"deep\":" + deep + "}}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(server.api().get("/api/trace/" + trace).json().path("logs").get(0).path("attrs").path("deep")
                .path("a").path("a").isObject()).isTrue();
    }

    @Test
    void anArrayOfAHundredThousandOpenBracketsIsA400WithAShortReason() {
        ApiClient.Answer answer = server.api().post("/api/ingest", "application/json",
                "[".repeat(100_000).getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).startsWith("malformed JSON array: ").hasSizeLessThan(300);
    }

    @Test
    void errorMessagesNeverEchoMoreThanAFewHundredCharactersOfInput() {
        String junk = "x".repeat(100_000);
        ApiClient.Answer badLine = server.api().postNdjson("{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + junk
                + "\",\"span_id\":\"" + junk + "\"}", "{\"" + junk + "\" " + junk + "}");
        ApiClient.Answer badType = server.api().post("/api/ingest", "application/" + junk.substring(0, 4000),
                new byte[] {'{', '}'});
        ApiClient.Answer badQuery = server.api().get("/api/traces?limit=" + junk.substring(0, 4000));

        assertThat(badLine.status()).isEqualTo(400);
        assertThat(badLine.body()).hasSizeLessThan(700);
        assertThat(badType.status()).isEqualTo(415);
        assertThat(badType.body()).hasSizeLessThan(400);
        assertThat(badQuery.status()).isEqualTo(400);
        assertThat(badQuery.body()).hasSizeLessThan(400);
    }

    @Test
    void anAttrKeyWithABackslashIs400() {
        ApiClient.Answer answer = server.api().get("/api/traces?attr=a%5Cb%3Dx");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).contains("attr");
    }

    private static String otlpSpan(String traceId, String spanId, String name, String start, String end,
            String attributes) {
        return "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"name\":\"" + name
                + "\",\"startTimeUnixNano\":" + start + ",\"endTimeUnixNano\":" + end + ",\"attributes\":["
                + attributes + "]}";
    }

    private static ApiClient.Answer otlp(String... spans) {
        String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + String.join(",", spans) + "]}]}]}";
        return server.api().post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOtlpStartOfTwoToThe64MinusOneCostsOnlyItsOwnSpan() {
        String trace = Records.traceId();
        ApiClient.Answer answer = otlp(
                otlpSpan(trace, Records.spanId(), "kept", "\"1763748000000000000\"", "\"1763748001000000000\"", ""),
                otlpSpan(trace, Records.spanId(), "hostile", "\"18446744073709551615\"", "\"1763748001000000000\"", ""));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("partialSuccess").path("rejectedSpans").asText()).isEqualTo("1");
        assertThat(answer.json().path("partialSuccess").path("errorMessage").asText()).startsWith("span 2: start");
        JsonNode stored = server.api().get("/api/trace/" + trace).json();
        assertThat(stored.path("spans")).hasSize(1);
        assertThat(stored.path("spans").get(0).path("name").asText()).isEqualTo("kept");
    }

    @Test
    void anOtlpJsonIntValueGivenAsANegativeStringIsAccepted() {
        String trace = Records.traceId();
        ApiClient.Answer answer = otlp(otlpSpan(trace, Records.spanId(), "negative", "\"1763748000000000000\"",
                "\"1763748001000000000\"", "{\"key\":\"delta\",\"value\":{\"intValue\":\"-5\"}}"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(server.api().get("/api/trace/" + trace).json().path("spans").get(0).path("attributes")
                .path("delta").asLong()).isEqualTo(-5);
    }

    @Test
    void allZeroOtlpTraceAndSpanIdsAreRefused() {
        String trace = Records.traceId();
        ApiClient.Answer answer = otlp(
                otlpSpan(trace, Records.spanId(), "kept", "\"1763748000000000000\"", "\"1763748001000000000\"", ""),
                otlpSpan("0".repeat(32), Records.spanId(), "zero trace", "\"1763748000000000000\"",
                        "\"1763748001000000000\"", ""),
                otlpSpan(trace, "0".repeat(16), "zero span", "\"1763748000000000000\"", "\"1763748001000000000\"", ""));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("partialSuccess").path("rejectedSpans").asText()).isEqualTo("2");
        assertThat(answer.json().path("partialSuccess").path("errorMessage").asText())
                .isEqualTo("span 2: trace_id must not be all zeros");
        assertThat(server.api().get("/api/trace/" + trace).json().path("spans")).hasSize(1);
        assertThat(server.api().get("/api/trace/" + "0".repeat(32)).status()).isEqualTo(404);
    }

    @Test
    void anEmptyOtlpSpanIdIsRefused() {
        ApiClient.Answer answer = otlp(otlpSpan(Records.traceId(), "", "no span id", "\"1763748000000000000\"",
                "\"1763748001000000000\"", ""));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).contains("span_id");
    }
}
