package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many open event streams and slow clients do not stop the collector from answering ingest and queries; beyond
 * its limits it answers 503 with a reason. The collector runs in a JVM of its own, with requests that must arrive
 * whole within 10 s.
 */
class HangTest {
    private static final int STREAMS = 1000;
    private static final int SLOW_CLIENTS = 200;
    /** Long enough for a loaded machine, short enough that a hang fails the test instead of stalling it. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static ChildServer server;
    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws IOException {
        server = ChildServer.start(dir.resolve("logs.db"),
                List.of("-Xmx256m", "-Dsun.net.httpserver.maxReqTime=10"), String.valueOf(STREAMS));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
        sockets.add(socket);
        return socket;
    }

    /** An event stream, read until the collector says it is connected. */
    private Socket openStream() throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write(("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readUntil(socket.getInputStream(), ": connected")).startsWith("HTTP/1.1 200");
        return socket;
    }

    /** A client that sends the start of its headers and then nothing. */
    private Socket openSlowClient() throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write(("POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder text = new StringBuilder();
        while (text.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(ANSWER_WITHIN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET());
    }

    private HttpResponse<String> ingest(String... lines) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(server.url() + "/api/ingest"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines))));
    }

    /** True once the collector closed the connection (a slow client timed out). */
    private static boolean closedByServer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            for (int b; (b = in.read()) >= 0; ) {
                // an error answer may come first
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void ingestAndQueriesAnswerWhileAThousandStreamsAndTwoHundredSlowClientsAreOpen() throws Exception {
        List<Socket> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(openStream());
        }
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            slow.add(openSlowClient());
        }
        String trace = Records.traceId();

        HttpResponse<String> ingested = ingest(Records.span(trace, Records.spanId(), null, "during the storm",
                "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"));
        HttpResponse<String> queried = get("/api/trace/" + trace);
        HttpResponse<String> oneStreamTooMany = get("/api/stream");

        assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);
        assertThat(queried.statusCode()).isEqualTo(200);
        assertThat(queried.body()).contains("during the storm");
        assertThat(oneStreamTooMany.statusCode()).isEqualTo(503);
        assertThat(oneStreamTooMany.body())
                .isEqualTo("{\"error\":\"too many event streams open (1000); close some and try again\"}");
        assertThat(oneStreamTooMany.headers().firstValue("Retry-After")).hasValue("5");
        // the record reached the open streams too
        assertThat(readUntil(streams.get(0).getInputStream(), "during the storm")).contains("event: span");
        for (Socket socket : slow) {
            assertThat(closedByServer(socket)).as("a slow client is timed out").isTrue();
        }
        for (Socket socket : streams) {
            socket.close();
        }
        assertThat(io.aitrace.core.Await.until(() -> {
            try {
                return get("/api/stats").statusCode() == 200 && openStreamAgain();
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, ANSWER_WITHIN)).as("closed streams give their slots back").isTrue();
    }

    private boolean openStreamAgain() throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> answer = http.send(HttpRequest.newBuilder(
                URI.create(server.url() + "/api/stream")).timeout(ANSWER_WITHIN).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        answer.body().close();
        return answer.statusCode() == 200;
    }

    @Test
    void whenEveryRequestThreadIsHeldByASlowClientTheNextRequestGetsA503() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < RequestThreads.MAX; i++) {
            slow.add(openSlowClient());
        }
        // the collector takes each slow client on a thread as soon as its first bytes arrive
        assertThat(io.aitrace.core.Await.until(() -> {
            try {
                return get("/api/traces").statusCode() == 503;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, ANSWER_WITHIN)).isTrue();

        HttpResponse<String> busy = get("/api/traces");

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.body()).isEqualTo(
                "{\"error\":\"the collector is busy (256 requests in progress); try again shortly\"}");
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        for (Socket socket : slow) {
            assertThat(closedByServer(socket)).as("a slow client is timed out").isTrue();
        }
        assertThat(get("/api/traces").statusCode()).isEqualTo(200);
    }
}
