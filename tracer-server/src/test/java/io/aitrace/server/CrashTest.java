package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashTest {
    private static final int CLIENTS = 4;
    private static final int SPANS = 10;

    @TempDir
    Path dir;

    /** A word for the full-text index that only this trace's root has. */
    private static String word(String trace) {
        return "w" + trace;
    }

    @Test
    void aServerKilledDuringIngestRestartsWithEveryAcknowledgedBatch() throws Exception {
        Path db = dir.resolve("logs.db");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int port;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            port = Integer.parseInt(out.readLine().trim());
        }
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean alive = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                while (alive.get()) {
                    String trace = Records.traceId();
                    String root = Records.spanId();
                    String[] lines = new String[SPANS];
                    lines[0] = Records.span(trace, root, null, "root " + word(trace), "2026-11-21T18:00:00Z",
                            "2026-11-21T18:00:05Z");
                    for (int s = 1; s < SPANS; s++) {
                        lines[s] = Records.span(trace, Records.spanId(), root, "step", "2026-11-21T18:00:01Z",
                                "2026-11-21T18:00:02Z");
                    }
                    try {
                        if (api.postNdjson(lines).status() == 200) {
                            acknowledged.put(trace, true);
                        }
                    } catch (RuntimeException connectionLost) {
                        return null; // the server is gone: this batch was never acknowledged
                    }
                }
                return null;
            }));
        }
        assertThat(Await.until(() -> acknowledged.size() >= 200)).as("batches acknowledged before the kill").isTrue();
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        alive.set(false);
        for (Future<?> client : clients) {
            client.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();

        try (Connection check = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement sql = check.createStatement();
             ResultSet rs = sql.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
        try (AitraceServer restarted = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            ApiClient after = new ApiClient(restarted.url());
            for (String trace : acknowledged.keySet()) {
                ApiClient.Answer answer = after.get("/api/trace/" + trace);
                assertThat(answer.status()).as("acknowledged trace " + trace).isEqualTo(200);
                assertThat(answer.json().path("spans")).hasSize(SPANS);
                // committed but perhaps not yet in the full-text index when the process died
                assertThat(after.get("/api/search?q=" + word(trace)).json().path("hits")).as("search for " + trace)
                        .extracting(hit -> hit.path("trace_id").asText()).containsExactly(trace);
            }
            assertThat(after.get("/api/stats").json().path("traces").asLong())
                    .isGreaterThanOrEqualTo(acknowledged.size());
        }
    }
}
