package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Web pages cannot read or write traces: requests carry the headers a browser sends (a rebound {@code Host}, a
 * cross-site {@code Origin} and {@code Sec-Fetch-Site}), written on a raw socket since HTTP clients will not fake
 * them; programs that send none of them are answered as before.
 */
class BrowserGuardTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.allowedHosts(List.of("traces.example.com")));

    /** The status line and body of one HTTP/1.1 request with exactly these headers. */
    private static String request(String method, String path, String body, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\nConnection: close\r\n");
            for (String header : headers) {
                text.append(header).append("\r\n");
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                text.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            text.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            return answer.substring(0, answer.indexOf("\r\n")) + "\n" + answer.substring(end + 4);
        }
    }

    private static String span(String trace) {
        return Records.span(trace, Records.spanId(), null, "from a page", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z");
    }

    @Test
    void aRequestForAnotherHostNameIsRefusedSoARebindingPageCannotReadTraces() throws IOException {
        String answer = request("GET", "/api/traces", null, "Host: evil.example:" + server.port());

        assertThat(answer).startsWith("HTTP/1.1 403").contains("Host 'evil.example:" + server.port()
                + "' is not served here");
        assertThat(request("GET", "/", null, "Host: evil.example")).startsWith("HTTP/1.1 403");
    }

    @Test
    void loopbackNamesAddressesAndConfiguredNamesAreServed() throws IOException {
        for (String host : List.of("127.0.0.1:" + server.port(), "localhost:" + server.port(), "[::1]:" + server.port(),
                "viewer.localhost", "traces.example.com", "TRACES.example.com.:443", "10.1.2.3:8000")) {
            assertThat(request("GET", "/api/traces", null, "Host: " + host)).as(host).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aCrossSiteWriteFromAWebPageIsRefusedAndStoresNothing() throws IOException {
        String trace = Records.traceId();
        String host = "Host: 127.0.0.1:" + server.port();

        String simple = request("POST", "/api/ingest", span(trace), host, "Content-Type: text/plain;charset=UTF-8",
                "Origin: https://evil.example", "Sec-Fetch-Site: cross-site");
        String originOnly = request("POST", "/api/ingest", span(trace), host, "Content-Type: application/json",
                "Origin: https://evil.example");
        String opaque = request("POST", "/v1/traces", "{}", host, "Content-Type: application/json", "Origin: null");

        assertThat(simple).startsWith("HTTP/1.1 403").contains("a cross-site request from a web page may not write");
        assertThat(originOnly).startsWith("HTTP/1.1 403")
                .contains("a request from the web page at https://evil.example may not write here");
        assertThat(opaque).startsWith("HTTP/1.1 403");
        assertThat(server.api().get("/api/trace/" + trace).status()).isEqualTo(404);
    }

    @Test
    void aTextPlainBodyIsNotTakenAsRecords() throws IOException {
        String answer = request("POST", "/api/ingest", span(Records.traceId()), "Host: 127.0.0.1",
                "Content-Type: text/plain");

        assertThat(answer).startsWith("HTTP/1.1 415");
    }

    @Test
    void theViewersOwnPageAndProgramsWithoutBrowserHeadersStillWrite() throws IOException {
        String trace = Records.traceId();
        String sameOrigin = request("POST", "/api/ingest", span(trace), "Host: localhost:" + server.port(),
                "Content-Type: application/x-ndjson", "Origin: http://localhost:" + server.port(),
                "Sec-Fetch-Site: same-origin");
        String program = request("POST", "/api/ingest", span(trace), "Host: 127.0.0.1:" + server.port(),
                "Content-Type: application/x-ndjson");

        assertThat(sameOrigin).startsWith("HTTP/1.1 200");
        assertThat(program).startsWith("HTTP/1.1 200");
        assertThat(server.api().get("/api/trace/" + trace).json().path("spans")).hasSize(2);
    }
}
