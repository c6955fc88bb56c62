package io.aitrace.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/** A collector for tests: takes gzip or plain NDJSON at {@code /api/ingest}, answers what it is told to, keeps what it took. */
public final class HttpTestCollector implements AutoCloseable {

    /** One request as it arrived, and the status it got. */
    record Request(String method, String path, String contentType, String contentEncoding, String authorization,
                   List<String> lines, int status, long arrivedNanos) {
    }

    private int port;
    private final List<String> taken = new ArrayList<>();      // guarded by this
    private final List<Request> requests = new ArrayList<>();  // guarded by this
    private final Deque<Integer> nextStatuses = new ArrayDeque<>(); // guarded by this
    private String errorBody = "";
    private String retryAfter; // guarded by this
    private HttpServer server;

    /** A collector on a free port of the loopback interface. */
    public static HttpTestCollector start() {
        HttpTestCollector collector = new HttpTestCollector();
        collector.restart();
        return collector;
    }

    /** Binds the same port again after {@link #stop()}. */
    void restart() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }

    int port() {
        return port;
    }

    /** The base URL, without a path. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The next requests get these statuses, in order; then 200 again. */
    synchronized void answerNext(int... statuses) {
        Arrays.stream(statuses).forEach(nextStatuses::add);
    }

    /** Refusals carry {@code Retry-After: value} from now on. */
    synchronized void retryAfter(String value) {
        this.retryAfter = value;
    }

    synchronized void errorBody(String body) {
        this.errorBody = body;
    }

    /** The lines of the requests answered with 2xx, in arrival order. */
    synchronized List<String> taken() {
        return List.copyOf(taken);
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until {@code count} lines were taken, at most {@code timeout}; returns what was taken by then. */
    public synchronized List<String> awaitTaken(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); taken.size() < count && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(taken);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream body = new ByteArrayInputStream(raw);
        if ("gzip".equalsIgnoreCase(encoding)) {
            body = new GZIPInputStream(body);
        }
        List<String> lines = new String(body.readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank()).toList();
        int status;
        String answer;
        synchronized (this) {
            Integer scripted = nextStatuses.poll();
            status = scripted == null ? 200 : scripted;
            answer = status / 100 == 2 ? "{\"ingested\":" + lines.size() + "}" : errorBody;
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), encoding,
                    exchange.getRequestHeaders().getFirst("Authorization"), lines, status, arrived));
            if (status / 100 != 2 && retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
            }
            if (status / 100 == 2) {
                taken.addAll(lines);
                notifyAll();
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
