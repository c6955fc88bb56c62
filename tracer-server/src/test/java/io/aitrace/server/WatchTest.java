package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchTest {
    @TempDir
    Path dir;

    private AitraceServer start() throws IOException {
        return AitraceServer.start(ServerConfig.builder().port(0).database(dir.resolve("logs.db"))
                .watchDir(dir.resolve("traces")).build());
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static long spans(ApiClient api) {
        return api.get("/api/stats").json().path("spans").asLong();
    }

    @Test
    void aGrowingFileIsImportedOnceAcrossARestart() throws IOException {
        Files.createDirectories(dir.resolve("traces"));
        Path file = dir.resolve("traces/20261121_180000.jsonl");
        String trace = Records.traceId();
        String third = Records.span(trace, Records.spanId(), null, "third", "2026-11-21T18:00:03Z",
                "2026-11-21T18:00:04Z");
        append(file, Records.span(trace, Records.spanId(), null, "first", "2026-11-21T18:00:00Z",
                "2026-11-21T18:00:01Z") + "\n{broken line\n"
                + Records.span(trace, Records.spanId(), null, "second", "2026-11-21T18:00:01Z",
                "2026-11-21T18:00:02Z") + "\n" + third.substring(0, 40));

        try (AitraceServer server = start()) {
            ApiClient api = new ApiClient(server.url());
            assertThat(Await.until(() -> spans(api) == 2)).as("the two complete lines imported").isTrue();
            append(file, third.substring(40) + "\n");
            assertThat(Await.until(() -> spans(api) == 3)).as("the completed line imported").isTrue();
            assertThat(api.get("/api/stats").json().path("rejected").asLong()).isEqualTo(1);
        }
        append(file, Records.span(trace, Records.spanId(), null, "fourth", "2026-11-21T18:00:04Z",
                "2026-11-21T18:00:05Z") + "\n");

        try (AitraceServer server = start()) {
            ApiClient api = new ApiClient(server.url());
            assertThat(Await.until(() -> spans(api) == 4)).as("the line written while stopped imported").isTrue();
            // the broken line was not read again: it would have been rejected a second time
            assertThat(api.get("/api/stats").json().path("rejected").asLong()).isEqualTo(1);
            assertThat(api.get("/api/trace/" + trace).json().path("spans")).extracting(s -> s.path("name").asText())
                    .containsExactly("first", "second", "third", "fourth");
        }
    }

    @Test
    void aReplacedFileIsReadFromTheStart() throws IOException {
        Files.createDirectories(dir.resolve("traces"));
        Path file = dir.resolve("traces/run.jsonl");
        String before = Records.traceId();
        append(file, Records.span(before, Records.spanId(), null, "before", "2026-11-21T18:00:00Z",
                "2026-11-21T18:00:01Z") + "\n");
        try (AitraceServer server = start()) {
            ApiClient api = new ApiClient(server.url());
            assertThat(Await.until(() -> spans(api) == 1)).isTrue();
            String after = Records.traceId();
            Path replacement = dir.resolve("traces/run.jsonl.tmp");
            append(replacement, Records.span(after, Records.spanId(), null, "after", "2026-11-21T18:00:00Z",
                    "2026-11-21T18:00:01Z") + "\n");
            Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            assertThat(Await.until(() -> api.get("/api/trace/" + after).status() == 200)).isTrue();
        }
    }
}
