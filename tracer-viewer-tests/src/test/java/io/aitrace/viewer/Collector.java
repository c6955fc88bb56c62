package io.aitrace.viewer;

import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real collector, in process on a free port with a fresh database, and a client that posts records to it. */
final class Collector implements AutoCloseable {
    final AitraceServer server;
    private final String token;
    /** The store's folder, deleted on close: a million-span store is most of a gigabyte. */
    private final Path folder;
    private final HttpClient http = HttpClient.newHttpClient();

    private Collector(AitraceServer server, String token, Path folder) {
        this.server = server;
        this.token = token;
        this.folder = folder;
    }

    static Collector start(String token) throws IOException {
        Path folder = Files.createTempDirectory("aitrace-viewer-db");
        return new Collector(AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .database(folder.resolve("logs.db")).token(token).build()), token, folder);
    }

    String url() {
        return server.url();
    }

    /** Posts records as NDJSON to /api/ingest; fails unless the collector takes them. */
    void ingest(List<String> records) throws IOException, InterruptedException {
        post("/api/ingest", String.join("\n", records));
    }

    /** Posts NDJSON to an endpoint of the collector; fails unless the collector takes it. */
    void post(String path, String ndjson) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The body of a GET of this path; fails unless the collector answers 200. */
    String get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            Folders.delete(folder);
        }
    }
}
