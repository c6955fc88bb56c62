package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.aitrace.core.Await;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large bodies sent at once to a collector with a small heap: each gets an answer, 200 or 503 with
 * {@code Retry-After} (never a closed connection or an out-of-memory error), and a client that waits as told gets
 * every record stored.
 */
class MemoryTest {
    private static final int CLIENTS = 8;
    private static final int SPANS_PER_BODY = 100;
    private static final int TEXT_BYTES = 100_000;

    @TempDir
    Path dir;

    private static String body(String trace) {
        String text = "x".repeat(TEXT_BYTES);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < SPANS_PER_BODY; i++) {
            body.append(Records.span(trace, Records.spanId(), null, "big", "2026-11-21T18:00:00Z",
                    "2026-11-21T18:00:01Z", "ok", "{\"prompt\":\"" + text + "\"}")).append('\n');
        }
        return body.toString();
    }

    private static long requestMemory(HttpClient http, ChildServer server) {
        try {
            return ApiClient.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/stats"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).path("request_memory_bytes").asLong(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void largeBodiesAtOnceAreAnsweredWithinTheMemoryBudgetAndAllArriveWhenClientsWaitAsTold() throws Exception {
        List<String> answers = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        try (ChildServer server = ChildServer.start(dir.resolve("logs.db"), List.of("-Xmx256m"))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<List<String>>> clients = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String trace = Records.traceId();
                traces.add(trace);
                bodies.add(body(trace).getBytes(StandardCharsets.UTF_8));
            }
            CountDownLatch together = new CountDownLatch(CLIENTS);
            for (byte[] body : bodies) {
                clients.add(pool.submit(() -> {
                    together.countDown();
                    together.await();
                    List<String> seen = new ArrayList<>();
                    for (int attempt = 0; attempt < 100; attempt++) {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                URI.create(server.url() + "/api/ingest")).timeout(Duration.ofSeconds(120))
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        seen.add(answer.statusCode() + " " + answer.headers().firstValue("Retry-After").orElse("-"));
                        if (answer.statusCode() != 503) {
                            break;
                        }
                        // instead of sleeping Retry-After: wait until the collector holds no request memory
                        Await.until(() -> requestMemory(http, server) == 0);
                    }
                    return seen;
                }));
            }
            for (Future<List<String>> client : clients) {
                answers.addAll(client.get());
            }
            pool.shutdown();

            assertThat(answers).allMatch(a -> a.equals("200 -") || a.equals("503 2"));
            assertThat(answers).contains("503 2");
            assertThat(answers.stream().filter(a -> a.startsWith("200"))).hasSize(CLIENTS);
            for (String trace : traces) {
                HttpResponse<String> stored = http.send(HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/traces?limit=100")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(stored.body()).contains(trace);
            }
        } catch (IOException e) {
            throw new AssertionError("a request got no answer: " + e, e);
        }
    }
}
