package io.aitrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterPatternsTest {
    @TempDir
    Path dir;

    @Test
    void everyPatternLeavesItsRecordsWhereItSays() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        WriterPatterns.Results results;
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            results = new WriterPatterns(dir, capture).runAll();
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);

        // 1. flush() while the root runs: the root's start record and the three ended steps, each an end record
        // (and its start record, unless the step ended before the writer got to it: then it is left out).
        assertThat(results.linesBeforeEnd()).isBetween(4L, 7L);
        // 2. the root's end record arrives without flush(), with a one-minute flush interval.
        assertThat(results.linesAfterRootEnd()).isEqualTo(results.linesBeforeEnd() + 1);
        TraceGraph flushed = TraceReader.read(results.explicitFlushFile());
        assertThat(flushed.roots()).singleElement().satisfies(root -> {
            assertThat(root.name()).isEqualTo("nightly_batch");
            assertThat(root.isEnded()).isTrue();
            assertThat(root.children()).hasSize(3);
        });
        // 3. the placeholder became the process start time.
        assertThat(results.stampedFile().getParent()).isEqualTo(dir);
        assertThat(results.stampedFile().getFileName().toString()).matches("run-\\d{8}_\\d{6}\\.jsonl");
        assertThat(TraceReader.read(results.stampedFile()).roots()).extracting(Node::name).containsExactly("stamped_run");
        // 4. stdout: the JSON line of the span.
        assertThat(out).containsPattern("\\{\"v\":1,\"type\":\"span\".*\"name\":\"stdout_run\"");
        // 5. console: the tree, printed when the root ended.
        assertThat(out).containsSubsequence("5. console target", "Trace: [agent] console_run", "[step] step",
                "annotation: \"printed at root end\"");
        // 6. a collector that is down: spilled records and an HTML copy, both in the demo directory.
        assertThat(results.spillFile()).isNotNull().startsWith(dir.resolve("spill"));
        assertThat(TraceReader.read(results.spillFile()).nodes()).extracting(Node::name)
                .contains("offline_run", "step");
        assertThat(results.htmlFile()).isNotNull().startsWith(dir.resolve("spill"));
        assertThat(Files.readString(results.htmlFile())).contains("offline_run");
        assertThat(out).contains("1. explicit flush: " + results.linesBeforeEnd() + " records",
                "2. flush at root end: " + results.linesAfterRootEnd() + " records",
                "spilled to " + results.spillFile(), "HTML copy " + results.htmlFile());
    }
}
