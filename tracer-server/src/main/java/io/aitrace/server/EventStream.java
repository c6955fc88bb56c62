package io.aitrace.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /api/stream[?trace=<id>]}: server-sent events. Each stored or updated span is an {@code event: span},
 * each log line an {@code event: log}, the data being the record in format v1; a comment line goes out when
 * nothing else did for a heartbeat interval, so proxies keep the connection and the server notices a gone client.
 * Streams run on threads of their own, at most {@code maxStreams} at once (beyond that: 503), so open streams
 * never take the threads that answer ingest and queries.
 */
final class EventStream implements AutoCloseable {
    private final LiveFeed feed;
    private final Duration heartbeat;
    private final Supplier<Boolean> open;
    private final int maxStreams;
    private final AtomicInteger streams = new AtomicInteger();
    private final ExecutorService threads;

    EventStream(LiveFeed feed, Duration heartbeat, Supplier<Boolean> open, int maxStreams) {
        this.feed = feed;
        this.heartbeat = heartbeat;
        this.open = open;
        this.maxStreams = maxStreams;
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(0, maxStreams, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "aitrace-stream-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Streams open now. */
    int open() {
        return streams.get();
    }

    /**
     * Takes the exchange over: checks the request here, then answers it on a stream thread, which closes it.
     *
     * @throws ApiException 400 for a bad trace ID, 503 when {@code maxStreams} streams are open
     */
    void start(ApiExchange exchange) {
        String trace = exchange.param("trace");
        if (trace != null && !trace.matches("[0-9a-fA-F]{32}")) {
            throw new ApiException(400, "trace must be 32 hex digits, not '" + trace + "'");
        }
        if (streams.incrementAndGet() > maxStreams) {
            streams.decrementAndGet();
            throw new ApiException(503, "too many event streams open (" + maxStreams + "); close some and try again")
                    .retryAfter(5);
        }
        try {
            threads.execute(() -> {
                try {
                    serve(exchange.http(), trace == null ? null : trace.toLowerCase());
                } finally {
                    streams.decrementAndGet();
                    exchange.http().close();
                }
            });
        } catch (RejectedExecutionException e) {
            streams.decrementAndGet();
            throw new ApiException(503, "the collector is shutting down");
        }
    }

    private void serve(HttpExchange http, String trace) {
        var headers = http.getResponseHeaders();
        headers.set("Content-Type", "text/event-stream; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Accel-Buffering", "no");
        try (LiveFeed.Subscription subscription = feed.subscribe(trace);
             OutputStream out = http.getResponseBody()) {
            http.sendResponseHeaders(200, 0);
            // written once subscribed: a client that reads this line misses nothing stored afterwards
            write(out, ": connected\n\n");
            while (open.get()) {
                RecordRow record = subscription.next(heartbeat.toMillis());
                if (record == LiveFeed.CLOSED) {
                    break;
                }
                if (record == null) {
                    write(out, ": heartbeat\n\n");
                } else {
                    write(out, "event: " + record.type() + "\ndata: " + record.json() + "\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Stops taking streams; the open ones end when the feed closes. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
