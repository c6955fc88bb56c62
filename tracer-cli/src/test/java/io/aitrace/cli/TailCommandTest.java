package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aitrace tail} on files that grow while it runs. */
class TailCommandTest {
    private static final String TIME = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3}";

    @TempDir
    Path dir;

    private Thread tailThread;
    private final AtomicInteger exitCode = new AtomicInteger(-1);

    @AfterEach
    void stopTail() throws InterruptedException {
        if (tailThread != null) {
            tailThread.interrupt();
            tailThread.join(10_000);
        }
    }

    private Cli.Running startTail(String... args) {
        Cli.Running running = new Cli.Running(dir);
        String[] all = new String[args.length + 3];
        all[0] = "tail";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--interval";
        all[args.length + 2] = "10";
        tailThread = new Thread(() -> exitCode.set(running.commandLine.execute(all)), "tail-under-test");
        tailThread.start();
        assertThat(Await.until(() -> running.err().contains("aitrace: following "))).as("tail started").isTrue();
        return running;
    }

    private static void append(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                StandardOpenOption.CREATE);
    }

    private static List<String> weatherLines() {
        return Fixtures.text("fixtures/weather.jsonl").lines().toList();
    }

    @Test
    void printsSpansAsTheyStartAndEndWhileTheFileGrowsIndentedByDepth() throws Exception {
        Path file = dir.resolve("run.jsonl");
        List<String> lines = weatherLines();
        append(file, lines.subList(0, 3)); // the agent and classify_intent have started, one log line
        Cli.Running tail = startTail(file.toString());

        append(file, lines.subList(3, lines.size()));
        assertThat(Await.until(() -> tail.out().contains("✓ [agent] weather_agent (1.25 s)"))).isTrue();
        tailThread.interrupt();
        tailThread.join(10_000);

        assertThat(exitCode.get()).isZero();
        String out = tail.out();
        assertThat(out).doesNotContain("▶ [agent] weather_agent").doesNotContain("calling model")
                .containsPattern(TIME + "   ✓ \\[llm] classify_intent \\(333 ms\\)\n"
                        + TIME + "       annotation: \"High confidence, routing to weather tool\"\n"
                        + TIME + "   ▶ \\[tool] search\n"
                        + TIME + "       WARN search timed out after 10 ms\n"
                        + TIME + "   ✗ \\[tool] search \\(12 ms\\)\n"
                        + TIME + "       error: java.io.IOException: timeout\n")
                .containsPattern(TIME + "   ✓ \\[tool] search \\(15 ms\\)  ↻ retry of search\n")
                .containsPattern(TIME + " ✓ \\[agent] weather_agent \\(1.25 s\\)\n$");
    }

    @Test
    void aChain20000DeepPrintsEverySpanWithoutGrowingItsIndentation() throws Exception {
        Path file = SpanLines.chain(dir.resolve("deep.jsonl"), 20_000, "error");

        Cli.Running tail = startTail(file.toString(), "--from-start", "--verbosity", "minimal", "--no-color");
        assertThat(Await.until(() -> tail.out().contains("✓ [tool] agent"), Duration.ofMinutes(2)))
                .as("the root's end printed").isTrue();

        List<String> lines = tail.out().lines().toList();
        assertThat(lines).hasSize(1 + 2 * 20_001); // the trace header, a start and an end line per span
        assertThat(lines).anyMatch(l -> l.matches(TIME + " {81}\\(depth 20000\\) ✗ \\[tool] step \\([^)]+\\)"));
        assertThat(lines).anyMatch(l -> l.matches(TIME + "   ▶ \\[tool] step"));
        assertThat(lines.stream().mapToInt(String::length).max().orElse(0)).isLessThan(150);
    }

    @Test
    void aRecordWrittenInTwoPiecesIsReadOnceItIsWhole() throws Exception {
        Path file = dir.resolve("run.jsonl");
        List<String> lines = weatherLines();
        append(file, lines.subList(0, 3));
        Cli.Running tail = startTail(file.toString());
        String classifyEnd = lines.get(3);
        String searchStart = lines.get(4);
        int half = searchStart.length() / 2;

        Files.writeString(file, classifyEnd + "\n" + searchStart.substring(0, half), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertThat(Await.until(() -> tail.out().contains("✓ [llm] classify_intent"))).isTrue();
        Files.writeString(file, searchStart.substring(half) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(Await.until(() -> tail.out().contains("▶ [tool] search"))).isTrue();

        assertThat(tail.err()).doesNotContain("malformed");
    }

    @Test
    void fromStartPrintsWhatTheFileAlreadyHoldsAndANewTraceGetsAHeader() throws Exception {
        Path file = Fixtures.copy("weather.jsonl", dir);

        Cli.Running tail = startTail(file.toString(), "--from-start", "--verbosity", "minimal");

        assertThat(tail.out()).startsWith("── trace " + Fixtures.WEATHER_TRACE + "\n")
                .containsPattern("^── trace \\w+\n" + TIME + " ▶ \\[agent] weather_agent\n")
                .doesNotContain("calling model");
    }

    @Test
    void aDirectoryIsFollowedIncludingFilesThatAppearLater() throws Exception {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        Cli.Running tail = startTail(traces.toString());

        TraceText trace = new TraceText(Fixtures.OLDER_TRACE);
        trace.span("late_agent", "agent", null, 0, 10);
        trace.write(traces.resolve("20261121_180000.jsonl"));

        assertThat(Await.until(() -> tail.out().contains("✓ [agent] late_agent (10 ms)"))).isTrue();
        assertThat(tail.out()).contains("── trace " + Fixtures.OLDER_TRACE);
    }

    @Test
    void malformedLinesAreReportedOnStderrAndSkipped() throws Exception {
        Path file = dir.resolve("run.jsonl");
        append(file, weatherLines().subList(0, 1));
        Cli.Running tail = startTail(file.toString());

        append(file, List.of("not json at all", weatherLines().get(1)));

        assertThat(Await.until(() -> tail.out().contains("▶ [llm] classify_intent"))).isTrue();
        assertThat(Await.until(() -> tail.err().contains("aitrace: skipped 1 malformed line (line 2: invalid JSON"))).isTrue();
    }

    @Test
    void aMissingFileIsAnErrorUnlessWaitIsGiven() {
        Path missing = dir.resolve("later.jsonl");

        Cli.Result result = Cli.run(dir, "tail", missing.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo(
                "aitrace: no such file or directory: " + missing + " (--wait waits for it to appear)\n");
    }

    @Test
    void waitFollowsAFileThatAppearsLater() throws Exception {
        Path later = dir.resolve("later.jsonl");
        Cli.Running tail = startTail(later.toString(), "--wait");

        Fixtures.copy("weather.jsonl", dir).toFile().renameTo(later.toFile());

        assertThat(Await.until(() -> tail.out().contains("✓ [agent] weather_agent"))).isTrue();
        assertThat(tail.err()).startsWith("aitrace: waiting for " + later + " to appear\n");
    }

    @Test
    void followsACollectorsLiveStreamAndSaysSoWhenTheCollectorCloses() throws Exception {
        AitraceServer server = AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .database(dir.resolve("collector.db")).build());
        Cli.Running tail;
        try {
            tail = startTail(server.url());
            assertThat(tail.err()).startsWith("aitrace: following " + server.url() + "/api/stream");

            HttpResponse<String> ingest = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/api/ingest"))
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", weatherLines()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);

            assertThat(Await.until(() -> tail.out().contains("✓ [agent] weather_agent (1.25 s)")))
                    .as("the stream's spans printed; got:%n%s", tail.out()).isTrue();
            assertThat(tail.out()).contains("── trace " + Fixtures.WEATHER_TRACE, "✓ [llm] classify_intent");
        } finally {
            server.close();
        }
        assertThat(Await.until(() -> exitCode.get() == 2)).as("tail ends when the collector goes away").isTrue();
        assertThat(tail.err()).contains("aitrace: the collector at " + server.url() + " closed the stream");
    }

    @Test
    void aCollectorThatIsNotThereIsOneLineAndExitCode2() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Cli.Result result = Cli.run(dir, "tail", "http://127.0.0.1:" + port);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("aitrace: cannot reach the collector at http://127.0.0.1:" + port
                + ": connection refused\n");
    }
}
