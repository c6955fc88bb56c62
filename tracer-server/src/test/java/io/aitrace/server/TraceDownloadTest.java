package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.aitrace.core.read.TraceReader;
import io.aitrace.read.Edge;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/trace/{id}}, the whole trace streamed: the answer a reader of the same records would build. */
class TraceDownloadTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static ApiClient api;

    @BeforeAll
    static void start() {
        api = server.api();
    }

    private static String at(int millis) {
        return String.format("2026-11-21T18:00:%02d.%03d000Z", millis / 1000, millis % 1000);
    }

    private static String log(String trace, String span, String parent, int millis, String event) {
        return "{\"v\":1,\"type\":\"log\",\"timestamp\":\"" + at(millis) + "\",\"level\":\"info\",\"logger\":\"a\","
                + "\"event\":\"" + event + "\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span
                + "\",\"parent_span_id\":" + (parent == null ? "null" : "\"" + parent + "\"") + "}";
    }

    private static String withEdges(String span, String edges) {
        return span.replace("\"edges\":[]", "\"edges\":" + edges);
    }

    /** roots, children and edges as the collector built them before it streamed: from tracer-core's reader. */
    private static ObjectNode readersTree(JsonNode answer) {
        List<String> lines = new ArrayList<>();
        answer.path("spans").forEach(record -> lines.add(record.toString()));
        answer.path("logs").forEach(record -> lines.add(record.toString()));
        TraceGraph graph = TraceReader.readLines(lines);
        ObjectNode tree = ApiClient.JSON.createObjectNode();
        ArrayNode roots = tree.putArray("roots");
        graph.roots().forEach(root -> roots.add(root.spanId()));
        ObjectNode children = tree.putObject("children");
        ArrayNode edges = tree.putArray("edges");
        for (Node node : graph.nodes()) {
            if (!node.children().isEmpty()) {
                ArrayNode ids = children.putArray(node.spanId());
                node.children().forEach(child -> ids.add(child.spanId()));
            }
            for (Edge edge : node.edges()) {
                edges.addObject().put("from", node.spanId()).put("type", edge.typeName())
                        .put("trace_id", edge.toTraceId()).put("span_id", edge.toSpanId());
            }
        }
        return tree;
    }

    @Test
    void theTreeIsTheReadersWithOrphansLoopsImplicitSpansTiesAndEdges() {
        String t = Records.traceId();
        String root = "1000000000000001";
        String a = "1000000000000002";
        String b = "1000000000000003"; // starts with a: the reader keeps them in ID order
        String grandchild = "1000000000000004";
        String orphan = "1000000000000005"; // its parent was never stored
        String loop1 = "2000000000000001";
        String loop2 = "2000000000000002";
        String loop3 = "2000000000000003";
        String offLoop = "2000000000000004";
        String self = "3000000000000001"; // its own parent
        String implicit = "4000000000000001"; // only log lines name it
        String implicitChild = "4000000000000002"; // a log line names the one above as its parent
        String retry = "5000000000000001";
        ApiClient.Answer stored = api.postNdjson(
                Records.span(t, root, null, "agent", at(0), at(9000)),
                Records.span(t, a, root, "a", at(100), at(200)),
                Records.span(t, b, root, "b", at(100), at(300)),
                Records.span(t, grandchild, a, "grandchild", at(150), at(160)),
                Records.span(t, orphan, "7777777777777777", "orphan", at(50), at(60)),
                Records.span(t, loop1, loop3, "loop1", at(400), at(500)),
                Records.span(t, loop2, loop1, "loop2", at(350), at(500)),
                Records.span(t, loop3, loop2, "loop3", at(450), at(500)),
                Records.span(t, offLoop, loop2, "off-loop", at(360), at(370)),
                Records.span(t, self, self, "self", at(700), at(710)),
                log(t, implicit, null, 620, "implicit, later line"),
                log(t, implicit, root, 610, "implicit, first line"),
                log(t, implicitChild, implicit, 615, "under the implicit span"),
                withEdges(Records.span(t, retry, root, "retry", at(800), at(900)),
                        "[{\"type\":\"retry_of\",\"trace_id\":\"" + t + "\",\"span_id\":\"" + a + "\"},"
                                + "{\"type\":\"fallback_of\",\"span_id\":\"" + b + "\"},{\"type\":\"caused_by\"}]"));
        assertThat(stored.status()).isEqualTo(200);

        ApiClient.Answer answer = api.get("/api/trace/" + t);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json; charset=utf-8");
        JsonNode got = answer.json();
        List<String> fields = new ArrayList<>();
        got.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("trace_id", "spans", "logs", "evaluations", "roots", "children", "edges");
        assertThat(got.path("spans")).hasSize(11);
        assertThat(got.path("spans").findValuesAsText("name")).containsExactly("agent", "orphan", "a", "b",
                "grandchild", "loop2", "off-loop", "loop1", "loop3", "self", "retry");
        assertThat(got.path("logs").findValuesAsText("event")).containsExactly("implicit, first line",
                "under the implicit span", "implicit, later line");
        ObjectNode expected = readersTree(got);
        assertThat(got.path("roots")).isEqualTo(expected.path("roots"));
        assertThat(got.path("children")).isEqualTo(expected.path("children"));
        assertThat(got.path("edges")).isEqualTo(expected.path("edges"));
        // and what that means, spelled out
        assertThat(got.path("roots").toString()).isEqualTo("[\"" + root + "\",\"" + orphan + "\",\"" + loop2
                + "\",\"" + self + "\"]");
        assertThat(got.path("children").path(root).toString()).isEqualTo("[\"" + a + "\",\"" + b + "\",\""
                + implicit + "\",\"" + retry + "\"]");
        assertThat(got.path("children").path(implicit).toString()).isEqualTo("[\"" + implicitChild + "\"]");
        assertThat(got.path("children").path(loop2).toString()).isEqualTo("[\"" + offLoop + "\",\"" + loop3 + "\"]");
        assertThat(got.path("edges")).hasSize(2);
        assertThat(got.path("edges").get(1).toString()).isEqualTo("{\"from\":\"" + retry
                + "\",\"type\":\"fallback_of\",\"trace_id\":\"" + t + "\",\"span_id\":\"" + b + "\"}");
    }

    @Test
    void aTraceOfLogLinesAloneHasItsImplicitSpansAndAnUnknownTraceIs404() {
        String t = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.log(t, span, "2026-11-21T18:00:00.000000Z", "info", "alone"));

        JsonNode got = api.get("/api/trace/" + t).json();

        assertThat(got.path("spans")).isEmpty();
        assertThat(got.path("roots").toString()).isEqualTo("[\"" + span + "\"]");
        assertThat(got.path("children").size()).isZero();
        ApiClient.Answer missing = api.get("/api/trace/" + Records.traceId());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).startsWith("no trace ");
        assertThat(api.get("/api/trace/not-an-id").status()).isEqualTo(400);
    }

    @Test
    void headAnswersTheStatusWithoutABody() throws Exception {
        String t = Records.traceId();
        api.postNdjson(Records.span(t, Records.spanId(), null, "agent", at(0), at(10)));

        HttpResponse<String> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/api/trace/" + t)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    /**
     * A failure after the status line went out (the database, the disk) must not leave the client with a short
     * body that looks whole: the connection is dropped without the chunked body's last chunk.
     */
    @Test
    void aFailureInTheMiddleOfTheBodyCutsTheConnectionSoTheClientSeesAnIncompleteBody() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            try {
                TraceDownload.stream(new ApiExchange(exchange, new MemoryBudget(1 << 20)), out -> {
                    out.write("{\"trace_id\":\"x\",\"spans\":[{\"v\":1}".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    throw new SQLException("disk I/O error");
                });
            } catch (TraceDownload.Broken e) {
                throw ApiRouter.dropConnection(e); // as the collector's router does
            }
        });
        http.start();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getAddress().getPort()
                    + "/api/trace/x")).build();
            assertThatThrownBy(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        } finally {
            http.stop(0);
        }
    }
}
