package io.aitrace.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads a collector's live stream, {@code GET {server}/api/stream} (server-sent events, see docs/api.md): each
 * {@code span} or {@code log} event's data is one record in format v1, handed over as one JSON text. Sends
 * {@code AITRACE_TOKEN} as a bearer token when it is set.
 */
final class EventStreamReader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String server;
    private final URI uri;

    EventStreamReader(String server, String traceId) {
        this.server = server;
        String query = traceId == null ? "" : "?trace=" + URLEncoder.encode(traceId, StandardCharsets.UTF_8);
        this.uri = CollectorClient.uri(server, "/api/stream" + query);
    }

    /** The stream's address, for messages. */
    URI uri() {
        return uri;
    }

    /**
     * Connects and reads events until the collector closes the stream. {@code onOpen} runs once the collector
     * has accepted the stream, {@code onRecord} gets each record, and {@code onPause} runs whenever no further
     * event is waiting, so callers can print in batches.
     */
    void read(Runnable onOpen, Consumer<String> onRecord, Runnable onPause) {
        HttpRequest.Builder request = CollectorClient.withToken(
                HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET());
        HttpResponse<InputStream> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CliError("cannot reach the collector at " + server + ": connection refused", e);
        } catch (IOException e) {
            throw new CliError("cannot reach the collector at " + server + ": " + CollectorClient.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("interrupted while connecting to the collector at " + server, e);
        }
        int status = response.statusCode();
        if (status != 200) {
            closeQuietly(response.body());
            throw new CliError("the collector at " + server + " answered HTTP " + status + " for " + uri.getPath()
                    + (status == 401 || status == 403 ? ": set AITRACE_TOKEN to its token" : ""));
        }
        onOpen.run();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0 && (event.equals("span") || event.equals("log"))) {
                        onRecord.accept(data.toString());
                    }
                    event = "message";
                    data.setLength(0);
                    if (!lines.ready()) {
                        onPause.run();
                    }
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
                // ":" comments (heartbeats) and other fields are ignored, as EventSource does.
            }
        } catch (IOException e) {
            throw new CliError("lost the collector's stream at " + server + ": " + e.getMessage(), e);
        }
        throw new CliError("the collector at " + server + " closed the stream");
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // nothing more to read from a refused stream
        }
    }
}
