package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TokenTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.token("s3cret"));
    static ApiClient anonymous;

    @BeforeAll
    static void start() throws Exception {
        anonymous = server.api();
    }

    @Test
    void everyApiEndpointNeedsTheToken() {
        for (String path : new String[] {"/api/traces", "/api/stats", "/api/search?q=x", "/api/stream",
                "/api/trace/" + Records.traceId()}) {
            ApiClient.Answer answer = anonymous.get(path);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.json().path("error").asText()).as(path)
                    .isEqualTo("missing bearer token (send Authorization: Bearer <token>)");
        }
        assertThat(anonymous.postNdjson("{}").status()).isEqualTo(401);
        assertThat(anonymous.post("/v1/traces", "application/x-protobuf", new byte[0]).status()).isEqualTo(401);
    }

    @Test
    void aWrongTokenIs401() {
        ApiClient.Answer answer = anonymous.withToken("guess").get("/api/traces");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("error").asText()).isEqualTo("wrong bearer token");
    }

    @Test
    void theRightTokenInTheHeaderOrOnAGetsQueryIsAccepted() {
        String trace = Records.traceId();
        ApiClient.Answer ingest = anonymous.withToken("s3cret").postNdjson(Records.span(trace, Records.spanId(), null,
                "authorised", "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"));

        assertThat(ingest.status()).isEqualTo(200);
        assertThat(anonymous.get("/api/trace/" + trace + "?access_token=s3cret").status()).isEqualTo(200);
        assertThat(anonymous.post("/api/ingest?access_token=s3cret", "application/x-ndjson", new byte[0]).status())
                .isEqualTo(401);
    }

    @Test
    void theViewerNeedsNoToken() {
        assertThat(anonymous.get("/").status()).isEqualTo(200);
    }

    @Test
    void listeningBeyondLoopbackWithoutATokenPrintsAWarning() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (AitraceServer open = AitraceServer.start(ServerConfig.builder().host("0.0.0.0").port(0)
                .database(server.dir().resolve("open.db")).build())) {
            assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("aitrace: warning: listening on 0.0.0.0:"
                    + open.port() + " without a token: anyone who can reach it can read and write traces"
                    + " (set --token)" + System.lineSeparator());
        } finally {
            System.setErr(original);
        }
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        System.setErr(new PrintStream(quiet, true, StandardCharsets.UTF_8));
        try (AitraceServer loopback = AitraceServer.start(ServerConfig.builder().port(0)
                .database(server.dir().resolve("loopback.db")).build())) {
            assertThat(quiet.toString(StandardCharsets.UTF_8)).isEmpty();
        } finally {
            System.setErr(original);
        }
    }
}
