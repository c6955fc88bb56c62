package io.aitrace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.core.TracerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one trace's records from a running collector: {@code GET {server}/api/trace/{id}}. The answer of
 * {@code aitrace serve} is an object with {@code spans} and {@code logs} arrays (see docs/api.md); a JSON array of
 * records, an object with a {@code records} array, or JSON lines are read too. Records are in format v1 or the
 * Python client's log shape, as in a file. {@code AITRACE_TOKEN} (or {@code aitrace.token}) is sent as a bearer
 * token when set.
 */
final class CollectorClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private CollectorClient() {
    }

    /** The trace's records, one JSON text per record. */
    static List<String> traceRecords(String server, String traceId) {
        URI uri = uri(server, "/api/trace/" + traceId);
        HttpRequest.Builder request = withToken(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/x-ndjson").GET());
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new CliError("cannot reach the collector at " + server + ": no answer to the connection within "
                    + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new CliError("the collector at " + server + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new CliError("cannot reach the collector at " + server + ": connection refused", e);
        } catch (IOException e) {
            throw new CliError("cannot reach the collector at " + server + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("interrupted while reading from the collector at " + server, e);
        }
        int status = response.statusCode();
        if (status == 404) {
            throw new CliError("no trace " + traceId + " on the collector at " + server);
        }
        if (status == 401 || status == 403) {
            throw new CliError("the collector at " + server + " refused the request (HTTP " + status
                    + "): set AITRACE_TOKEN to its token");
        }
        if (status / 100 != 2) {
            String reason = errorMessage(response.body());
            throw new CliError("the collector at " + server + " answered HTTP " + status + " for " + uri.getPath()
                    + (reason == null ? "" : ": " + reason));
        }
        return records(response.body());
    }

    /** {@code path} (with its query) on the collector at {@code server}, or a {@link CliError} naming a bad URL. */
    static URI uri(String server, String path) {
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        try {
            URI uri = URI.create(base + path);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliError("not a server URL: " + server + " (expected e.g. http://127.0.0.1:8000)", e);
        }
    }

    /** The request with {@code AITRACE_TOKEN} (or {@code aitrace.token}) as its bearer token, when one is set. */
    static HttpRequest.Builder withToken(HttpRequest.Builder request) {
        String token = TracerConfig.fromEnvironment().token();
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** The {@code error} of a collector's {@code {"error":"..."}} answer, or null. */
    private static String errorMessage(String body) {
        try {
            JsonNode error = JsonText.mapper().readTree(body).path("error");
            return error.isTextual() ? error.textValue() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The records of an answer: {"spans": [...], "logs": [...]} (aitrace serve), a JSON array, {"records": [...]},
     * one record, or JSON lines.
     */
    static List<String> records(String body) {
        String text = body.strip();
        JsonNode whole;
        try {
            whole = JsonText.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return List.of(text.split("\r?\n")); // JSON lines; bad lines are counted by the reader
        }
        List<String> lines = new ArrayList<>();
        if (whole != null && whole.isObject() && (whole.has("spans") || whole.has("logs"))) {
            whole.path("spans").forEach(record -> lines.add(record.toString()));
            whole.path("logs").forEach(record -> lines.add(record.toString()));
            return lines;
        }
        JsonNode array = whole == null ? null : whole.isArray() ? whole : whole.path("records");
        if (array != null && array.isArray()) {
            array.forEach(record -> lines.add(record.toString()));
        } else if (whole != null && whole.isObject()) {
            lines.add(whole.toString());
        }
        return lines;
    }

    static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
