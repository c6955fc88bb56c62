package io.aitrace.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aitrace.core.Stderr;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.TraceReader;
import com.sun.net.httpserver.HttpServer;
import io.aitrace.NodeType;
import io.aitrace.read.Node;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP target end to end: spans → writer → collector, with a file target beside it as the witness. */
class CollectorTargetTest {
    @TempDir
    Path dir;
    private final List<String> received = new ArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void startCollector(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/ingest", exchange -> {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        received.add(line);
                    }
                }
            }
            byte[] answer = "{\"ingested\":1,\"rejected\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private TracerRuntime runtime(int port, Path witness) {
        return TracerRuntime.create(TracerConfig.builder()
                .target("http://127.0.0.1:" + port + "," + witness)
                .spillDir(dir.resolve("spill"))
                .environment(Map.of()).systemProperties(new Properties())
                .configFile(dir.resolve("none.properties")).build());
    }

    private static void agentRun(Tracer tracer, String name) {
        try (Span run = tracer.span(name, NodeType.AGENT)) {
            tracer.run(name + "_tool", NodeType.TOOL, () -> { });
            run.output("done", true);
        }
    }

    private List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Test
    void theCollectorReceivesEveryRecordWritten() throws IOException {
        int port = freePort();
        startCollector(port);
        Path witness = dir.resolve("witness.jsonl");
        TracerRuntime runtime = runtime(port, witness);
        agentRun(runtime.tracer("http"), "first_run");
        runtime.close();
        assertThat(received()).containsExactlyInAnyOrderElementsOf(Files.readAllLines(witness));
        assertThat(TraceReader.read(witness).nodes()).extracting(Node::name, Node::status)
                .containsExactlyInAnyOrder(tuple("first_run", "ok"), tuple("first_run_tool", "ok"));
    }

    @Test
    void aCollectorStoppedMidRunAndStartedAgainGetsEveryRecordExactlyOnce() throws Exception {
        int port = freePort();
        startCollector(port);
        Path witness = dir.resolve("witness.jsonl");
        String err = Stderr.capture(() -> {
            TracerRuntime runtime = runtime(port, witness);
            Tracer tracer = runtime.tracer("http");
            agentRun(tracer, "before_outage");
            runtime.flush();
            server.stop(0);
            agentRun(tracer, "during_outage");
            runtime.flush();
            startCollector(port);
            agentRun(tracer, "after_outage");
            runtime.close();
        });
        List<String> written = Files.readAllLines(witness);
        assertThat(TraceReader.read(witness).nodes()).extracting(Node::name, Node::status).containsExactlyInAnyOrder(
                tuple("before_outage", "ok"), tuple("before_outage_tool", "ok"), tuple("during_outage", "ok"),
                tuple("during_outage_tool", "ok"), tuple("after_outage", "ok"), tuple("after_outage_tool", "ok"));
        assertThat(received()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(err).contains("unreachable");
    }

    @Test
    void aCollectorThatNeverStartedLeavesTheWholeTraceInTheSpillFileAndAnHtmlFile() throws Exception {
        int port = freePort();
        Path witness = dir.resolve("witness.jsonl");
        String err = Stderr.capture(() -> {
            TracerRuntime runtime = runtime(port, witness);
            agentRun(runtime.tracer("http"), "offline_run");
            runtime.close();
        });
        List<Path> spilled;
        try (Stream<Path> files = Files.list(dir.resolve("spill"))) {
            spilled = files.sorted().toList();
        }
        Path jsonl = spilled.stream().filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        Path html = spilled.stream().filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow();
        assertThat(Files.readAllLines(jsonl)).containsExactlyInAnyOrderElementsOf(Files.readAllLines(witness));
        assertThat(TraceReader.read(jsonl).nodes()).extracting(Node::name)
                .containsExactlyInAnyOrder("offline_run", "offline_run_tool");
        String page = Files.readString(html);
        assertThat(page).contains("offline_run_tool");
        assertThat(err).contains(jsonl.toString()).contains(html.toString());
    }
}
