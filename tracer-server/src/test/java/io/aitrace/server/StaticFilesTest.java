package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
