package io.aitrace.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A soak of the collector for a fixed time: 4 clients ingesting batches (each with one bad line), 200 event
 * streams, 50 slow clients trickling headers, and a collector that is stopped and started again every few
 * seconds. At the end every batch a client had acknowledged must be stored whole, and the refusals counted by
 * the clients must match what they were answered.
 *
 * <pre>java -cp tracer-benchmarks/target/benchmarks.jar io.aitrace.benchmarks.CollectorSoak [seconds]</pre>
 */
public final class CollectorSoak {
    private static final int CLIENTS = 4;
    private static final int STREAMS = 200;
    private static final int SLOW_CLIENTS = 50;
    private static final int SPANS_PER_BATCH = 50;
    private static final Duration UP = Duration.ofSeconds(6);
    private static final Duration DOWN = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path db;
    private final int port;
    private volatile AitraceServer server;
    private volatile boolean running = true;
    private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong badLinesAcknowledged = new AtomicLong();
    private final AtomicLong badLinesReported = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong streamEvents = new AtomicLong();
    private final AtomicLong streamConnects = new AtomicLong();
    private final AtomicLong streamRefusals = new AtomicLong();
    private final AtomicLong slowClosed = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    private CollectorSoak(Path db, int port) {
        this.db = db;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        Path dir = Files.createTempDirectory("aitrace-soak");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CollectorSoak soak = new CollectorSoak(dir.resolve("logs.db"), port);
        System.exit(soak.run(Duration.ofSeconds(seconds)) ? 0 : 1);
    }

    private void startServer() {
        while (true) {
            try {
                server = AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(port).database(db).build());
                return;
            } catch (IOException e) {
                pause(50); // the port is still being released
            }
        }
    }

    private boolean run(Duration length) throws Exception {
        startServer();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            threads.add(start("ingest-" + i, this::ingest));
        }
        for (int i = 0; i < STREAMS; i++) {
            threads.add(start("stream-" + i, this::stream));
        }
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            threads.add(start("slow-" + i, this::slow));
        }
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            pause(UP.toMillis());
            server.close();
            pause(DOWN.toMillis());
            startServer();
            restarts.incrementAndGet();
        }
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        return verify(length);
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, "soak-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void ingest() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        while (running) {
            String trace = hex(16);
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < SPANS_PER_BATCH; i++) {
                body.append("{\"v\":1,\"type\":\"span\",\"trace_id\":\"").append(trace).append("\",\"span_id\":\"")
                        .append(hex(8)).append("\",\"name\":\"step ").append(i)
                        .append("\",\"start\":\"2026-11-21T18:00:00Z\",\"end\":\"2026-11-21T18:00:01Z\"}\n");
            }
            body.append("{\"v\":1,\"type\":\"span\",\"trace_id\":\"").append(trace)
                    .append("\",\"span_id\":\"").append(hex(8)).append("\",\"start\":\"0001-01-01T00:00:00Z\"}\n");
            batches.incrementAndGet();
            while (running) {
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/ingest")).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicLong()).incrementAndGet();
                    if (answer.statusCode() == 200) {
                        JsonNode json = JSON.readTree(answer.body());
                        acknowledged.put(trace, json.path("ingested").asInt());
                        badLinesAcknowledged.incrementAndGet();
                        badLinesReported.addAndGet(json.path("rejected").size());
                        break;
                    }
                    refused.incrementAndGet();
                    pause(1000L * answer.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L));
                } catch (IOException e) {
                    failedAttempts.incrementAndGet();
                    pause(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void stream() {
        while (running) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(60_000);
                socket.getOutputStream().write("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                streamConnects.incrementAndGet();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                boolean first = true;
                for (int n; running && (n = in.read(buffer)) > 0; ) {
                    String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                    if (first && text.startsWith("HTTP/1.1 503")) {
                        streamRefusals.incrementAndGet();
                    }
                    first = false;
                    for (int at = text.indexOf("event: "); at >= 0; at = text.indexOf("event: ", at + 1)) {
                        streamEvents.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the collector went down: connect again
            }
            pause(200);
        }
    }

    private void slow() {
        while (running) {
            Socket socket;
            try {
                socket = new Socket("127.0.0.1", port);
            } catch (IOException e) {
                pause(100); // the collector is down
                continue;
            }
            try (socket) {
                socket.setSoTimeout(1000);
                OutputStream out = socket.getOutputStream();
                out.write("POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
                while (running) {
                    out.write(("X-Slow-" + ThreadLocalRandom.current().nextInt(1000) + ": 1\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try {
                        if (socket.getInputStream().read() < 0) {
                            slowClosed.incrementAndGet();
                            break;
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        // still open: one more header
                    }
                }
            } catch (IOException e) {
                slowClosed.incrementAndGet();
            }
            pause(100);
        }
    }

    private boolean verify(Duration length) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long missing = 0;
        long short_ = 0;
        for (Map.Entry<String, Integer> batch : acknowledged.entrySet()) {
            HttpResponse<String> trace = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/trace/" + batch.getKey())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (trace.statusCode() != 200) {
                missing++;
            } else if (JSON.readTree(trace.body()).path("spans").size() != SPANS_PER_BATCH
                    || batch.getValue() != SPANS_PER_BATCH) {
                short_++;
            }
        }
        JsonNode stats = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/stats")).build(), HttpResponse.BodyHandlers.ofString())
                .body());
        server.close();
        System.out.printf("soak of %d s: %d collector restarts%n", length.toSeconds(), restarts.get());
        System.out.printf("ingest: %d batches made, %d acknowledged (%d spans), answers %s, %d refused (503/507),"
                + " %d attempts without an answer%n", batches.get(), acknowledged.size(),
                acknowledged.size() * (long) SPANS_PER_BATCH, statuses, refused.get(), failedAttempts.get());
        System.out.printf("bad lines: %d in acknowledged batches, %d reported back, %d counted by the collector"
                + " (more when a stored batch's answer was lost and the batch sent again)%n",
                badLinesAcknowledged.get(), badLinesReported.get(), stats.path("rejected").asLong());
        System.out.printf("streams: %d connects, %d refused, %d events; stream_dropped %d%n", streamConnects.get(),
                streamRefusals.get(), streamEvents.get(), stats.path("stream_dropped").asLong());
        System.out.printf("slow clients: %d connections closed by the collector%n", slowClosed.get());
        System.out.printf("stored: %d spans; acknowledged batches missing %d, incomplete %d%n",
                stats.path("spans").asLong(), missing, short_);
        boolean ok = missing == 0 && short_ == 0 && badLinesReported.get() == badLinesAcknowledged.get()
                && stats.path("spans").asLong() >= acknowledged.size() * (long) SPANS_PER_BATCH;
        System.out.println(ok ? "OK: every acknowledged record is stored" : "FAILED");
        return ok;
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(id);
        id[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(id);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
