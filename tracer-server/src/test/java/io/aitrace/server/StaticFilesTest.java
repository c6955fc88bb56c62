package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StaticFilesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.token("secret-token"));
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = server.api();
    }

    @Test
    void theRootServesTheViewersIndexPageWithoutAToken() throws IOException {
        ApiClient.Answer answer = api.get("/");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(answer.body()).isEqualTo(resource("io/aitrace/viewer/index.html"));
    }

    @Test
    void otherFilesAreServedWithTheirContentType() {
        ApiClient.Answer answer = api.get("/server-fixture.js");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(answer.body()).isEqualTo("export const fixture = \"served from the class path\";\n");
    }

    @Test
    void aReopenedPageGetsNotModifiedForFilesItHasAndTheBodyForOthers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI script = URI.create("http://127.0.0.1:" + server.port() + "/server-fixture.js");
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(script).build(),
                HttpResponse.BodyHandlers.ofString());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(script).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/")).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("another file's tag").isEqualTo(200);
        assertThat(page.body()).isEqualTo(resource("io/aitrace/viewer/index.html"));
        assertThat(page.headers().firstValue("ETag")).isPresent().isNotEqualTo(Optional.of(etag));
    }

    @Test
    void headSaysTheLengthAndTypeAGetWouldSendWithoutABody() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI script = URI.create("http://127.0.0.1:" + server.port() + "/server-fixture.js");
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(script).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(
                "export const fixture = \"served from the class path\";\n".getBytes(StandardCharsets.UTF_8).length));
        assertThat(head.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(head.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void aMissingFileIs404() {
        ApiClient.Answer answer = api.get("/no-such-file.css");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("error").asText()).isEqualTo("no such file: /no-such-file.css");
    }

    @Test
    void pathsLeavingTheViewerFolderAreRefused() throws IOException {
        // a raw request: HTTP clients normalise ".." away before sending
        for (String path : new String[] {"/../server/AitraceServer.class", "/%2e%2e/server/AitraceServer.class",
                "/..%2fserver%2fAitraceServer.class"}) {
            assertThat(rawStatusLine(path)).as(path).startsWith("HTTP/1.1 404");
        }
    }

    private static String rawStatusLine(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.substring(0, answer.indexOf('\r'));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = StaticFilesTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
