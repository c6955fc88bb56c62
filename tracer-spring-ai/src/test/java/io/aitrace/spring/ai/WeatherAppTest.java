package io.aitrace.spring.ai;

import io.aitrace.core.read.TraceReader;
import io.aitrace.core.TracerRuntime;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the tests of the example application share: one fake model server per JVM, a trace file per test
 * class, a real HTTP request to the controller, and the trace read back with {@link TraceReader}.
 * Subclasses are {@code @SpringBootTest(classes = WeatherApp.class, webEnvironment = RANDOM_PORT)} with
 * {@code @DirtiesContext}, so that each class gets its own runtime and file.
 */
abstract class WeatherAppTest {
    static final FakeOpenAi MODEL = startModel();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    TracerRuntime runtime;

    private static FakeOpenAi startModel() {
        try {
            return new FakeOpenAi();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake model server", e);
        }
    }

    /** The properties every test application gets; records go to {@code target/test-traces/<name>.jsonl}. */
    static void properties(DynamicPropertyRegistry registry, String name) {
        Path file = traceFile(name);
        registry.add("spring.ai.openai.base-url", MODEL::baseUrl);
        registry.add("spring.ai.openai.api-key", () -> "sk-test-key");
        registry.add("spring.ai.openai.chat.options.model", () -> "gpt-4o-mini");
        registry.add("spring.ai.openai.max-retries", () -> "0");
        registry.add("spring.application.name", () -> "weather-app");
        registry.add("aitrace.target", file::toString);
    }

    static Path traceFile(String name) {
        Path file = Paths.get("target", "test-traces", name + ".jsonl").toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    HttpResponse<String> ask(String question) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/ask?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends one request and returns the one trace it made (read back as a user would); fails when the request
     * made no trace or several.
     */
    TraceGraph traceOf(String question, int expectedStatus) throws IOException, InterruptedException {
        List<String> before = trace().traceIds();
        HttpResponse<String> response = ask(question);
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError("expected HTTP " + expectedStatus + ", got " + response.statusCode() + ": "
                    + response.body());
        }
        TraceGraph after = trace();
        List<String> added = after.traceIds().stream().filter(id -> !before.contains(id)).collect(Collectors.toList());
        if (added.size() != 1) {
            throw new AssertionError("expected the request to make one trace, it made " + added.size());
        }
        return after.trace(added.get(0));
    }

    /** Everything written so far, read back as a user would. */
    TraceGraph trace() throws IOException {
        runtime.flush();
        Path file = Paths.get(runtime.config().target());
        return Files.exists(file) ? TraceReader.read(file) : TraceReader.parse("");
    }

    static Node only(TraceGraph graph, String name) {
        List<Node> found = graph.nodes().stream().filter(n -> n.name().equals(name)).collect(Collectors.toList());
        if (found.size() != 1) {
            throw new AssertionError("expected one span '" + name + "', found " + found.size() + " in "
                    + graph.nodes().stream().map(Node::name).collect(Collectors.toList()));
        }
        return found.get(0);
    }

    static List<Node> all(TraceGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).collect(Collectors.toList());
    }

    /** The last console line containing {@code text} shows {@code span}'s IDs in Boot's correlation pattern. */
    static void assertConsoleLineShowsIds(String console, String text, Node span) {
        String line = console.lines().filter(l -> l.contains(text)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no console line contains '" + text + "'"));
        if (!line.contains("[" + span.traceId() + "-" + span.spanId() + "]")) {
            throw new AssertionError("expected the IDs of " + span + " in: " + line);
        }
    }

    static boolean isBelow(Node node, Node ancestor) {
        for (Node p = node.parent(); p != null; p = p.parent()) {
            if (p == ancestor) {
                return true;
            }
        }
        return false;
    }
}
