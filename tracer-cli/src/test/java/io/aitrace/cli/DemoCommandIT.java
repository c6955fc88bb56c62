package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aitrace demo} run from the packaged jar as a real process, as the README's first command runs it. */
class DemoCommandIT {
    private static final Pattern VIEWER = Pattern.compile("Viewer with these traces at (http://127\\.0\\.0\\.1:\\d+)");
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = Fixtures.packagedJar();
    }

    private Process start(Path out, Path err, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Duser.home=" + dir, "-jar", jar.toString(), "demo"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("COLUMNS");
        return builder.start();
    }

    @Test
    void withNoServeItPrintsTheTreesIntoTheDemoDirectoryAndExitsCleanly() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process demo = start(out, err, "--no-serve");

        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo ended within a minute").isTrue();
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(Files.readString(err)).isEmpty();
        assertThat(demo.exitValue()).isZero();
        Path file = dir.resolve(".config/aitrace/demo/traces/demo.jsonl");
        assertThat(printed).containsSubsequence("── Example 1: sequential tool calling",
                "Trace: [agent] weather_agent", "── Example 2: parallel fan-out", "── Example 3: retry and fallback",
                "↻ retry of kb_search", "── Example 4: multi-agent router", "── Example 5: e-commerce checkout",
                "✗", "── Example 6: chatbot conversation", "Trace: [agent] chat_turn",
                "── Example 9: LangChain4j AI Service", "Trace: [agent] travel_desk",
                "── Example 10: LangChain4j agentic workflow", "Trace: [agent] trip_planner",
                "12 traces from 8 examples written to " + file);
        assertThat(printed).doesNotContain("Viewer", "\u001b[");
        assertThat(file).isRegularFile();
    }

    @Test
    void withoutNoServeItServesTheViewerWithTheDemoTraces() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process demo = start(out, err, "--port", "0", "--dir", dir.resolve("demo").toString());
        try {
            assertThat(Await.until(() -> VIEWER.matcher(read(out)).find(), Duration.ofSeconds(60)))
                    .as("the viewer's address was printed; stdout:%n%s%nstderr:%n%s", read(out), read(err)).isTrue();
            Matcher viewer = VIEWER.matcher(read(out));
            assertThat(viewer.find()).isTrue();
            assertThat(read(out)).doesNotContain("still importing");
            String lastTrace = lastTraceId(read(out));

            HttpClient client = HttpClient.newHttpClient();
            URI traceUri = URI.create(viewer.group(1) + "/api/trace/" + lastTrace);
            HttpResponse<String> trace = client.send(HttpRequest.newBuilder(traceUri).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(trace.statusCode()).isEqualTo(200);
            assertThat(trace.body()).contains("trip_planner", "invoke_workflow");
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(viewer.group(1) + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("the viewer page at /").isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("text/html"));
            assertThat(page.body()).contains("viewer.js");
            assertThat(demo.isAlive()).as("the demo keeps serving").isTrue();
        } finally {
            demo.destroy();
            assertThat(demo.waitFor(20, TimeUnit.SECONDS)).as("the demo stopped on SIGTERM").isTrue();
        }
        assertThat(dir.resolve("demo").resolve("demo.db")).isRegularFile();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastTraceId(String printed) {
        Matcher ids = Pattern.compile("(?m)^trace ([0-9a-f]{32})$").matcher(printed);
        String last = null;
        while (ids.find()) {
            last = ids.group(1);
        }
        assertThat(last).as("a trace ID line in:%n%s", printed).isNotNull();
        return last;
    }
}
