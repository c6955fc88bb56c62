package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-text index catches up on records with long inputs within a small heap: a backlog of 100 MB of span
 * text is indexed by a collector at {@code -Xmx32m} (the indexer once held a whole chunk's text in the heap and
 * its writer thread died of {@code OutOfMemoryError}, which left every later request waiting).
 */
class TextIndexMemoryTest {
    private static final int SPANS = 1_000;
    private static final String TEXT = "x".repeat(100_000); // 1,000 spans of 100 KB

    @TempDir
    Path dir;

    @Test
    void aBacklogOfLongRecordsIsIndexedWithinASmallHeapAndSearched() throws Exception {
        Path db = dir.resolve("logs.db");
        String trace = Records.traceId();
        try (AitraceServer filler = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < SPANS; i++) {
                batch.add(Records.span(trace, String.format("%016x", 0x1000000000000000L + i), null, "step",
                        "2026-11-21T18:00:00.000000Z", "2026-11-21T18:00:01.000000Z", "ok",
                        "{\"prompt\":\"" + TEXT + " marker" + i + "\"}"));
                if (batch.size() == 50) {
                    filler.ingest(batch);
                    batch.clear();
                }
            }
        }
        // whatever the filler indexed while idle is forgotten, so the child starts with the whole backlog
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = sql.createStatement()) {
            st.executeUpdate("DELETE FROM span_text");
            st.executeUpdate("UPDATE text_index SET indexed_to = 0");
        }

        try (ChildServer server = ChildServer.start(db, List.of("-Xmx32m"))) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/api/search?q=marker999"))
                            .timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode hits = ApiClient.JSON.readTree(answer.body()).path("hits");
            assertThat(hits).hasSize(1);
            assertThat(hits.get(0).path("span_id").asText()).isEqualTo(String.format("%016x", 0x1000000000000000L + 999));
        }
    }
}
