package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.http.HttpTestCollector;
import io.aitrace.core.target.MemoryTraces;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret three levels deep in an input never leaves the process, whichever target records go to. */
class MaskingEveryTargetTest {
    private static final String SECRET = "sk-live-9f8e7d6c5b4a";

    @TempDir
    Path dir;

    @Test
    void aSecretNestedThreeLevelsDeepIsMaskedInFileStdoutMemoryConsoleAndHttpTargets() throws Exception {
        Path file = dir.resolve("run.jsonl");
        MemoryTraces memory = new MemoryTraces();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try (HttpTestCollector collector = HttpTestCollector.start()) {
            try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget())
                    .target(file + ",-,console," + collector.uri()).addTarget(memory).build())) {
                Tracer tracer = runtime.tracer("masking");
                try (Span call = tracer.span("call_model", NodeType.LLM)) {
                    call.input("request", Map.of("client", Map.of("provider", Map.of("api_key", SECRET,
                            "region", "eu-west-1"))));
                }
                runtime.flush();
            }
            // The runtime is closed: every record has reached the collector (the end record, and the start
            // record unless the writer left it out because the end record followed it in the same batch).
            List<String> http = collector.awaitTaken(1, Duration.ofSeconds(10));
            assertThat(http).isNotEmpty().anySatisfy(line -> assertThat(line).contains("\"status\":\"ok\""));
            assertThat(String.join("\n", http)).doesNotContain(SECRET)
                    .contains("\"api_key\":\"***\"", "\"region\":\"eu-west-1\"");
        } finally {
            System.setOut(original);
        }
        String fileText = Files.readString(file);
        assertThat(fileText).doesNotContain(SECRET).contains("\"api_key\":\"***\"");
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain(SECRET);
        assertThat(printed.lines().filter(line -> line.startsWith("{")))      // the JSON lines of "-"
                .isNotEmpty().anySatisfy(line -> assertThat(line).contains("\"api_key\":\"***\""));
        assertThat(printed.lines().filter(line -> line.contains("input: ")))  // the tree of "console"
                .singleElement().asString().contains("\"api_key\":\"***\"");
        TraceGraph graph = memory.last().orElseThrow();
        Node call = graph.roots().get(0);
        assertThat(call.input()).isEqualTo(Map.of("request", Map.of("client", Map.of("provider",
                Map.of("api_key", "***", "region", "eu-west-1")))));
    }
}
