package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace three times the size of the collector's heap downloads whole: {@code GET /api/trace/{id}} streams it from
 * the database instead of building the answer in memory (which ended in {@code OutOfMemoryError}).
 */
class TraceDownloadMemoryTest {
    private static final int SPANS = 1_000;
    private static final int INPUT_CHARS = 100_000; // 1,000 spans of 100 KB: 100 MB of JSON
    private static final String HEAP = "-Xmx32m";

    @TempDir
    Path dir;

    @Test
    void aTraceLargerThanTheCollectorsHeapDownloadsWholeAndParses() throws Exception {
        Path db = dir.resolve("logs.db");
        String trace = Records.traceId();
        String root = "1000000000000000";
        String text = "x".repeat(INPUT_CHARS);
        try (AitraceServer filler = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < SPANS; i++) {
                String id = String.format("%016x", 0x1000000000000000L + i);
                batch.add(Records.span(trace, id, i == 0 ? null : root, "step", "2026-11-21T18:00:00.000000Z",
                        "2026-11-21T18:00:01.000000Z", "ok", "{\"prompt\":\"" + text + i + "\"}"));
                if (batch.size() == 50) {
                    filler.ingest(batch);
                    batch.clear();
                }
            }
        }

        Set<String> spanIds = new HashSet<>();
        int promptsWhole = 0;
        List<String> fields = new ArrayList<>();
        int rootChildren = 0;
        try (ChildServer server = ChildServer.start(db, List.of(HEAP))) {
            HttpResponse<InputStream> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create(server.url() + "/api/trace/" + trace)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(answer.statusCode()).isEqualTo(200);
            try (InputStream body = answer.body(); JsonParser json = ApiClient.JSON.getFactory().createParser(body)) {
                assertThat(json.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    fields.add(field);
                    json.nextToken();
                    if (field.equals("spans")) {
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            String id = null;
                            while (json.nextToken() == JsonToken.FIELD_NAME) {
                                String name = json.currentName();
                                json.nextToken();
                                if (name.equals("span_id")) {
                                    id = json.getText();
                                } else if (name.equals("attributes")) {
                                    json.nextToken();
                                    json.nextToken();
                                    promptsWhole += json.getTextLength() > INPUT_CHARS ? 1 : 0;
                                    json.nextToken();
                                } else {
                                    json.skipChildren();
                                }
                            }
                            spanIds.add(id);
                        }
                    } else if (field.equals("children")) {
                        json.nextToken();
                        json.nextToken();
                        while (json.nextToken() == JsonToken.VALUE_STRING) {
                            rootChildren++;
                        }
                        json.nextToken();
                    } else {
                        json.skipChildren();
                    }
                }
                assertThat(json.nextToken()).isNull(); // the document ended, and the body with it
            }
        }

        assertThat(fields).containsExactly("trace_id", "spans", "logs", "evaluations", "roots", "children", "edges");
        assertThat(spanIds).hasSize(SPANS).contains(root, String.format("%016x", 0x1000000000000000L + SPANS - 1));
        assertThat(promptsWhole).isEqualTo(SPANS);
        assertThat(rootChildren).isEqualTo(SPANS - 1);
    }
}
