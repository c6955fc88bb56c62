package io.aitrace.cli;

import static io.aitrace.cli.SpanLines.LAST;
import static io.aitrace.cli.SpanLines.TRACE;
import static io.aitrace.cli.SpanLines.id;
import static io.aitrace.cli.SpanLines.root;
import static io.aitrace.cli.SpanLines.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aitrace inspect} (and {@code diff}) in a JVM of its own with a small heap ({@code -Xmx256m}, as on a small
 * CI runner) on files that once ended in {@code OutOfMemoryError} or {@code StackOverflowError}: each gives the
 * tree of what could be read and says what was skipped. The files are generated in a temporary folder and deleted
 * after.
 */
class InspectHugeInputTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** What the child process did: exit code, the tree it wrote (-o) and its stderr. */
    private record Run(int exitCode, String out, String err) {
    }

    private Run inspect(String heap, Path file, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("inspect", file.toString(), "-o", dir.resolve("out.txt")
                .toString()));
        arguments.addAll(Arrays.asList(options));
        return aitrace(heap, ProcessBuilder.Redirect.DISCARD, arguments);
    }

    /** {@code aitrace diff A B} with its standard output kept. */
    private Run diff(String heap, Path a, Path b) throws Exception {
        Path out = dir.resolve("out.txt");
        return aitrace(heap, ProcessBuilder.Redirect.to(out.toFile()), List.of("diff", a.toString(), b.toString()));
    }

    /** Runs {@code aitrace ARGUMENTS} in a JVM of its own; what it wrote to out.txt (by -o or stdout) is the output. */
    private Run aitrace(String heap, ProcessBuilder.Redirect stdout, List<String> arguments) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Files.deleteIfExists(out);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                AitraceCommand.class.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(stdout).redirectError(err.toFile()).start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("aitrace finished").isTrue();
        String errText = Files.readString(err);
        assertThat(errText).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
        return new Run(process.exitValue(), Files.exists(out) ? Files.readString(out) : "", errText);
    }

    /** A file that starts with one good root span, then {@code rest} writes whatever comes after it. */
    private Path file(String name, boolean gzip, Body rest) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) {
                 {
                     def.setLevel(Deflater.BEST_COMPRESSION);
                 }
             } : raw) {
            out.write(root().getBytes(StandardCharsets.UTF_8));
            rest.write(out);
        }
        return file;
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static void repeat(OutputStream out, byte value, long count) throws IOException {
        byte[] block = new byte[1 << 16];
        Arrays.fill(block, value);
        for (long left = count; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }

    /** A chain: each span the child of the one before, the first under the root. */
    private Path chain(String name, int depth) throws IOException {
        return chain(name, depth, "ok");
    }

    /** A chain whose deepest span ended with {@code lastStatus}. */
    private Path chain(String name, int depth, String lastStatus) throws IOException {
        return SpanLines.chain(dir.resolve(name), depth, lastStatus);
    }

    @Test
    void aRecordOf200MbOnOneLineIsSkippedAndCounted() throws Exception {
        String head = "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + id(2)
                + "\",\"parent_span_id\":\"" + id(1) + "\",\"name\":\"huge\",\"input\":\"";
        Path file = file("big-record.jsonl", false, out -> {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            repeat(out, (byte) 'x', 200 * MIB);
            out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
        });

        Run run = inspect("256m", file, "-v", "minimal");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("[tool] agent").contains("1 malformed line skipped")
                .contains("line 2: line of " + (head.length() + 200 * MIB + 2) + " characters")
                .doesNotContain("huge");
    }

    @Test
    void twoHundredMegabytesOfGarbageWithoutANewlineAreSkippedAndCounted() throws Exception {
        Path file = file("garbage.jsonl", false, out -> repeat(out, (byte) '#', 200 * MIB));

        Run run = inspect("256m", file, "-v", "minimal");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("[tool] agent").contains("1 malformed line skipped")
                .contains("line 2: line of " + 200 * MIB + " characters, longer than the 16 MiB a record may have");
    }

    @Test
    void aGzipFileInflatingToOneGibibyteIsReadWithoutHoldingIt() throws Exception {
        Path file = file("bomb.jsonl.gz", true, out -> repeat(out, (byte) ' ', 1024 * MIB));
        assertThat(Files.size(file)).isLessThan(2 * MIB);

        Run run = inspect("256m", file, "-v", "minimal");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("[tool] agent")
                .contains("line 2: line of " + 1024 * MIB + " characters, longer than the 16 MiB");
    }

    @Test
    void aParentChain3000DeepPrintsEverySpan() throws Exception {
        Run run = inspect("256m", chain("deep.jsonl", 3000), "-v", "minimal");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("(depth 3000) [tool] step").contains("3001 spans");
    }

    @Test
    void aParentChain10000DeepGivesItsJsonSummary() throws Exception {
        Run run = inspect("256m", chain("deep.jsonl", 10_000), "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode summary = new ObjectMapper().readTree(run.out());
        assertThat(summary.path("spans").asInt()).isEqualTo(10_001);
        assertThat(summary.path("critical_path").size()).isEqualTo(10_001);
        assertThat(summary.path("critical_path").get(10_000).path("path").asText())
                .isEqualTo("agent/step/step/step/step/step/step/step/…(9985 more)…/step/step/step/step/step/step/step/step");
    }

    @Test
    void aParentChain100000DeepPrintsWithoutGrowingItsIndentation() throws Exception {
        Run run = inspect("256m", chain("deeper.jsonl", 100_000), "-v", "minimal");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("(depth 100000) [tool] step").contains("100001 spans");
        assertThat(run.out().lines().mapToInt(String::length).max().orElse(0)).isLessThan(250);
    }

    @Test
    void twoParentChains100000DeepAreComparedStepByStep() throws Exception {
        Path a = chain("a.jsonl", 100_000, "ok");
        Path b = chain("b.jsonl", 100_000, "error");

        Run run = diff("256m", a, b);

        assertThat(run.exitCode()).as("the traces differ; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.out()).contains("agent/step/step/step/step/step/step/step/…(99985 more)…/step")
                .contains("ok → error");
    }

    @Test
    void aParentCycleOf50000SpansIsCutIntoAChain() throws Exception {
        int spans = 50_000;
        Path file = file("cycle.jsonl", false, out -> {
            try (Writer text = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                // span 2's parent is the last span, every other span's parent the one before it: a loop no root reaches
                for (int i = 2; i <= spans + 1; i++) {
                    text.write(span(id(i), id(i == 2 ? spans + 1 : i - 1), "loop", i, LAST - i));
                }
            }
        });

        Run run = inspect("256m", file, "-v", "minimal");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("(2 roots)").contains("[tool] loop").contains("50001 spans");
    }

    @Test
    void aMillionTinySpansAndLogLinesShowWhatFitsAndCountTheRest() throws Exception {
        Path file = file("million.jsonl", false, out -> {
            try (Writer text = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                for (int i = 2; i <= 500_001; i++) {
                    text.write(span(id(i), id(1), "step", i, i + 1));
                    text.write("{\"v\":1,\"type\":\"log\",\"timestamp\":\"2026-11-21T18:00:00.000000Z\",\"level\":"
                            + "\"info\",\"event\":\"tool called\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\""
                            + id(i) + "\"}\n");
                }
            }
        });

        Run run = inspect("256m", file, "-v", "minimal", "--width", "0");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("[tool] agent").containsPattern("lines skipped in .*million.jsonl")
                .containsPattern("first: line \\d+ on: \\d+ lines not read, the heap \\(\\d+ MB\\) is full; give the JVM"
                        + " more \\(-Xmx, AITRACE_JAVA_OPTS for aitrace\\)");
    }
}
