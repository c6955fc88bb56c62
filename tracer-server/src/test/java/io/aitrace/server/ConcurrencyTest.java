package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    private static final int CLIENTS = 8;
    private static final int BATCHES = 40;
    private static final int SPANS_PER_BATCH = 20;

    @TempDir
    Path dir;

    @Test
    void eightIngestingClientsAndTwoReadersLoseNothing() throws Exception {
        try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0)
                .database(dir.resolve("logs.db")).build())) {
            ApiClient api = new ApiClient(server.url());
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
            ConcurrentLinkedQueue<String> traces = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            List<Future<?>> writers = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                writers.add(pool.submit(() -> {
                    for (int b = 0; b < BATCHES; b++) {
                        String trace = Records.traceId();
                        String root = Records.spanId();
                        String[] lines = new String[SPANS_PER_BATCH + 1];
                        lines[0] = Records.span(trace, root, null, "root", "2026-11-21T18:00:00Z",
                                "2026-11-21T18:00:09Z");
                        for (int s = 1; s < SPANS_PER_BATCH; s++) {
                            lines[s] = Records.span(trace, Records.spanId(), root, "step " + s,
                                    "2026-11-21T18:00:0" + (s % 9) + "Z", "2026-11-21T18:00:09Z");
                        }
                        lines[SPANS_PER_BATCH] = Records.log(trace, root, "2026-11-21T18:00:01Z", "info", "batch " + b);
                        ApiClient.Answer answer = api.postNdjson(lines);
                        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                        assertThat(answer.json().path("ingested").asInt()).isEqualTo(SPANS_PER_BATCH + 1);
                        traces.add(trace);
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    while (writing.get()) {
                        assertThat(api.get("/api/traces?limit=20").status()).isEqualTo(200);
                        assertThat(api.get("/api/stats").status()).isEqualTo(200);
                        String any = traces.peek();
                        if (any != null) {
                            assertThat(api.get("/api/trace/" + any).json().path("spans")).hasSize(SPANS_PER_BATCH);
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();

            JsonNode stats = api.get("/api/stats").json();
            assertThat(stats.path("traces").asLong()).isEqualTo(CLIENTS * BATCHES);
            assertThat(stats.path("spans").asLong()).isEqualTo((long) CLIENTS * BATCHES * SPANS_PER_BATCH);
            assertThat(stats.path("logs").asLong()).isEqualTo(CLIENTS * BATCHES);
            for (String trace : traces) {
                JsonNode got = api.get("/api/trace/" + trace).json();
                assertThat(got.path("spans")).hasSize(SPANS_PER_BATCH);
                assertThat(got.path("logs")).hasSize(1);
            }
            assertThat(reads.get()).isPositive();
        }
    }
}
