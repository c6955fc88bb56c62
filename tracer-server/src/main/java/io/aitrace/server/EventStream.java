package io.aitrace.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code GET /api/stream[?trace=<id>]}: server-sent events. Each stored or updated span is an {@code event: span},
 * each log line an {@code event: log}, the data being the record in format v1; a comment line goes out when
 * nothing else did for a heartbeat interval, so proxies keep the connection and the server notices a gone client.
 */
final class EventStream {
    private final LiveFeed feed;
    private final Duration heartbeat;
    private final Supplier<Boolean> open;

    EventStream(LiveFeed feed, Duration heartbeat, Supplier<Boolean> open) {
        this.feed = feed;
        this.heartbeat = heartbeat;
        this.open = open;
    }

    void serve(ApiExchange exchange) throws IOException {
        String trace = exchange.param("trace");
        if (trace != null && !trace.matches("[0-9a-fA-F]{32}")) {
            throw new ApiException(400, "trace must be 32 hex digits, not '" + trace + "'");
        }
        var headers = exchange.http().getResponseHeaders();
        headers.set("Content-Type", "text/event-stream; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Accel-Buffering", "no");
        try (LiveFeed.Subscription subscription = feed.subscribe(trace == null ? null : trace.toLowerCase());
             OutputStream out = exchange.http().getResponseBody()) {
            exchange.http().sendResponseHeaders(200, 0);
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
}
