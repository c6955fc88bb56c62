package io.aitrace.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aitrace.core.Await;
import io.aitrace.core.Stderr;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.record.Timestamps;
import io.aitrace.NodeType;
import io.aitrace.read.Node;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
    @TempDir
    Path dir;

    private static TracerConfig.Builder config(String target) {
        return TracerConfig.builder().target(target).serviceName("targets-test").environment(Map.of())
                .systemProperties(new Properties()).configFile(Path.of("/nonexistent/aitrace.properties"));
    }

    private static void traceOneRun(Tracer tracer) {
        try (Span run = tracer.span("agent", NodeType.AGENT)) {
            tracer.run("tool", NodeType.TOOL, () -> { });
            run.output("answer", "done");
        }
    }

    /** Whether the file holds the end record of the run's root span (its last record). */
    private static boolean rootEnded(Path file) {
        try {
            return TraceReader.read(file).nodes().stream()
                    .anyMatch(node -> node.name().equals("agent") && node.end() != null);
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void dashWritesRecordsToStdout() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TracerRuntime runtime = TracerRuntime.create(config("-").build())) {
            traceOneRun(runtime.tracer("stdout"));
            runtime.flush();
        } finally {
            System.setOut(original);
        }
        TraceGraph graph = TraceReader.parse(captured.toString(StandardCharsets.UTF_8));
        assertThat(graph.nodes()).extracting(Node::name).containsExactlyInAnyOrder("agent", "tool");
        assertThat(graph.skippedLines()).isZero();
    }

    @Test
    void aFileTargetExpandsTildeAndTheTimePlaceholderAndCreatesDirectories() throws IOException {
        String home = System.getProperty("user.home");
        System.setProperty("user.home", dir.toString());
        try (TracerRuntime runtime = TracerRuntime.create(config("~/logs/run-<YYYYMMDD_HHMMSS>.jsonl").build())) {
            traceOneRun(runtime.tracer("file"));
            runtime.flush();
        } finally {
            System.setProperty("user.home", home);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir.resolve("logs"))) {
            files = listing.toList();
        }
        assertThat(files).hasSize(1);
        String name = files.get(0).getFileName().toString();
        assertThat(name).matches("run-\\d{8}_\\d{6}\\.jsonl");
        Instant processStart = ProcessHandle.current().info().startInstant().orElseThrow();
        assertThat(name).isEqualTo("run-" + Timestamps.fileStamp(processStart) + ".jsonl");
        assertThat(TraceReader.read(files.get(0)).nodes()).extracting(Node::name).contains("agent", "tool");
    }

    @Test
    void aCommaSeparatedListWritesEveryRecordToEachTarget() throws IOException {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("nested/b.jsonl");
        try (TracerRuntime runtime = TracerRuntime.create(config(a + " , " + b).build())) {
            traceOneRun(runtime.tracer("two"));
            runtime.flush();
        }
        assertThat(Files.readAllLines(a)).isNotEmpty().isEqualTo(Files.readAllLines(b));
        assertThat(TraceReader.read(a).nodes()).extracting(Node::name, Node::status)
                .containsExactlyInAnyOrder(tuple("agent", "ok"), tuple("tool", "ok"));
    }

    @Test
    void theEndOfARootSpanFlushesTheFileWithoutWaitingForTheInterval() throws IOException {
        Path file = dir.resolve("root.jsonl");
        try (TracerRuntime runtime = TracerRuntime.create(config(file.toString())
                .flushInterval(Duration.ofHours(1)).build())) {
            traceOneRun(runtime.tracer("root"));
            assertThat(Await.until(() -> rootEnded(file), Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aFileThatCannotBeCreatedIsReportedAndTheOtherTargetsStillGetTheRecords() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "a file where a directory should be");
        Path good = dir.resolve("good.jsonl");
        String err = Stderr.capture(() -> {
            try (TracerRuntime runtime = TracerRuntime.create(config(blocker.resolve("x.jsonl") + "," + good).build())) {
                traceOneRun(runtime.tracer("bad"));
                runtime.flush();
            }
        });
        assertThat(err).contains("aitrace: cannot write to file " + blocker.resolve("x.jsonl"));
        List<String> written = Files.readAllLines(good);
        assertThat(err).contains(written.size() + " records could not be written to file");
        assertThat(TraceReader.read(good).nodes()).extracting(Node::name, Node::status)
                .containsExactlyInAnyOrder(tuple("agent", "ok"), tuple("tool", "ok"));
    }
}
