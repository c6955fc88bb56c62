package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import io.aitrace.core.Stderr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a client sends is half read without a word: every gzip member, every good line of a watched file. */
class SilentLossTest {
    private static final int LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    private AitraceServer start() throws IOException {
        return AitraceServer.start(ServerConfig.builder().port(0).database(dir.resolve("logs.db"))
                .watchDir(dir.resolve("traces")).maxBodyBytes(LIMIT).build());
    }

    private static List<String> spans(String trace, int count, String prefix) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(Records.span(trace, Records.spanId(), null, prefix + i, "2026-11-21T18:00:00Z",
                    "2026-11-21T18:00:01Z"));
        }
        return lines;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void aGzipBodyOfTwoMembersIsReadWhole() throws IOException {
        try (AitraceServer server = start()) {
            ApiClient api = new ApiClient(server.url());
            String trace = Records.traceId();
            byte[] body = concat(ApiClient.gzip(String.join("\n", spans(trace, 40, "a")) + "\n"),
                    ApiClient.gzip(String.join("\n", spans(trace, 40, "b")) + "\n"));

            ApiClient.Answer answer = api.post("/api/ingest", "application/x-ndjson", body);

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("ingested").asInt()).isEqualTo(80);
            assertThat(api.get("/api/trace/" + trace).json().path("spans")).hasSize(80);
        }
    }

    @Test
    void garbageAfterTheGzipDataIsRefusedAndNothingIsStored() throws IOException {
        try (AitraceServer server = start()) {
            ApiClient api = new ApiClient(server.url());
            String trace = Records.traceId();
            byte[] body = concat(ApiClient.gzip(String.join("\n", spans(trace, 10, "a")) + "\n"),
                    "garbage".getBytes(StandardCharsets.UTF_8));

            ApiClient.Answer answer = api.post("/api/ingest", "application/x-ndjson", body);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("error").asText())
                    .isEqualTo("the body is not valid gzip data: unexpected data after gzip member 1");
            assertThat(api.get("/api/trace/" + trace).status()).isEqualTo(404);
        }
    }

    @Test
    void aSecondGzipMemberCutShortIsRefused() throws IOException {
        try (AitraceServer server = start()) {
            ApiClient api = new ApiClient(server.url());
            byte[] second = ApiClient.gzip(String.join("\n", spans(Records.traceId(), 10, "b")));
            byte[] body = concat(ApiClient.gzip(String.join("\n", spans(Records.traceId(), 10, "a"))),
                    Arrays.copyOf(second, second.length - 5));

            ApiClient.Answer answer = api.post("/v1/traces", "application/x-protobuf", body);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("error").asText()).startsWith("the body is not valid gzip data: it ends");
        }
    }

    @Test
    void aWatchedFileWithBadLinesSkipsAndCountsThemAndGoesOn() throws Exception {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        String trace = Records.traceId();
        String goZero = "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + Records.spanId()
                + "\",\"name\":\"zero\",\"start\":\"0001-01-01T00:00:00Z\",\"end\":\"2026-11-21T18:00:01Z\"}";
        List<String> b = new ArrayList<>(spans(trace, 3, "b"));
        b.add(1, goZero);
        b.add(3, "{broken");
        Files.write(traces.resolve("b.jsonl"), b);
        Files.write(traces.resolve("c.jsonl"), spans(trace, 2, "c"));
        Files.write(traces.resolve("d.jsonl"), List.of("x".repeat(5 << 20), spans(trace, 1, "d").get(0)));

        String stderr = Stderr.capture(() -> {
            try (AitraceServer server = start()) {
                ApiClient api = new ApiClient(server.url());
                assertThat(Await.until(() -> api.get("/api/stats").json().path("spans").asLong() == 6))
                        .as("every good line of b, c and d").isTrue();
                Files.write(traces.resolve("b.jsonl"), spans(trace, 1, "later"), StandardOpenOption.APPEND);
                assertThat(Await.until(() -> api.get("/api/stats").json().path("spans").asLong() == 7))
                        .as("a line appended after the bad ones").isTrue();
                assertThat(api.get("/api/stats").json().path("rejected").asLong()).isEqualTo(3);
            }
        });

        long zeroAt = String.join("\n", b.subList(0, 1)).length() + 1;
        assertThat(stderr).contains("aitrace: skipped 2 bad lines of " + traces.resolve("b.jsonl").toAbsolutePath()
                + " (the first at byte " + zeroAt + ": start 0001-01-01T00:00:00Z is out of range (1970 to 2262))");
        assertThat(stderr).contains("aitrace: skipped a bad line of " + traces.resolve("d.jsonl").toAbsolutePath()
                + " (at byte 0: a line of " + (5 << 20) + " bytes, over the limit of " + LIMIT + ")");
    }
}
