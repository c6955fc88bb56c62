package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way of not finding a trace: one clear line on stderr naming the problem, exit code 2, nothing on stdout
 * and no stack trace unless {@code --debug}.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private Cli.Result failing(String... args) {
        Cli.Result result = Cli.run(dir, args);
        assertThat(result.exitCode()).as("exit code of %s", String.join(" ", args)).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1).startsWith("aitrace: ").doesNotContain("Exception").doesNotContain("\tat ");
        return result;
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("nope.jsonl");

        assertThat(failing("inspect", missing.toString()).err())
                .isEqualTo("aitrace: no such file or directory: " + missing + "\n");
    }

    @Test
    void aDirectoryWithoutTraceFiles() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThat(failing("inspect", empty.toString()).err())
                .isEqualTo("aitrace: no traces in " + empty + ": it holds no *.jsonl or *.jsonl.gz files\n");
    }

    @Test
    void aDirectoryWhoseFilesHoldNoRecords() throws IOException {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        Files.writeString(traces.resolve("a.jsonl"), "");
        Files.writeString(traces.resolve("b.jsonl"), "\n");

        assertThat(failing("inspect", traces.toString()).err())
                .isEqualTo("aitrace: no traces in " + traces + ": its 2 files are empty\n");
    }

    @Test
    void anEmptyFile() throws IOException {
        Path file = Files.writeString(dir.resolve("empty.jsonl"), "");

        assertThat(failing("inspect", file.toString()).err())
                .isEqualTo("aitrace: no traces in " + file + ": the file is empty\n");
    }

    @Test
    void aFileOfMalformedLinesOnly() throws IOException {
        Path file = Files.writeString(dir.resolve("junk.jsonl"), "junk\n{\"v\":1,\n", StandardCharsets.UTF_8);

        assertThat(failing("inspect", file.toString()).err())
                .startsWith("aitrace: no traces in " + file + ": the file holds no records, only 2 malformed lines "
                        + "(line 1: invalid JSON");
    }

    @Test
    void anUnknownTraceIdInAFile() {
        Path file = Fixtures.copy("weather.jsonl", dir);

        assertThat(failing("inspect", file.toString(), "--trace", "ffff").err())
                .isEqualTo("aitrace: no trace ffff in " + file + " (it holds 1 trace: " + Fixtures.WEATHER_TRACE
                        + ")\n");
    }

    @Test
    void anAmbiguousTraceIdPrefix() throws IOException {
        Path file = dir.resolve("two.jsonl");
        TraceText first = new TraceText("abc00000000000000000000000000001");
        first.span("first", "agent", null, 0, 1);
        TraceText second = new TraceText("abc00000000000000000000000000002");
        second.span("second", "agent", null, 10, 11);
        Files.writeString(file, first.jsonl() + second.jsonl(), StandardCharsets.UTF_8);

        assertThat(failing("inspect", file.toString(), "--trace", "abc").err())
                .isEqualTo("aitrace: trace ID abc is ambiguous in " + file + ": it starts 2 traces: "
                        + "abc00000000000000000000000000002, abc00000000000000000000000000001; give more of it\n");
    }

    @Test
    void anUnknownBareTraceIdIsLookedForInTheDefaultDirectory() {
        Fixtures.copy("weather.jsonl", dir);

        assertThat(failing("inspect", "0123456789abcdef").err())
                .isEqualTo("aitrace: no trace 0123456789abcdef in " + dir + " (it holds 1 trace: "
                        + Fixtures.WEATHER_TRACE + ")\n");
    }

    @Test
    void aBareTraceIdWithoutADefaultDirectory() {
        Path none = dir.resolve("no-such-dir");
        Cli.Result result = Cli.run(none, "inspect", "0123456789abcdef");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("aitrace: no such file, and no trace directory to find trace "
                + "0123456789abcdef in: " + none + " does not exist\n");
    }

    @Test
    void anUnreachableServer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        assertThat(failing("inspect", Fixtures.WEATHER_TRACE, "--server", url).err())
                .isEqualTo("aitrace: cannot reach the collector at " + url + ": connection refused\n");
    }

    @Test
    void aServerUrlThatIsNotOne() {
        assertThat(failing("inspect", Fixtures.WEATHER_TRACE, "--server", "localhost:8000").err())
                .startsWith("aitrace: not a server URL: localhost:8000");
    }

    @Test
    void serverWithoutATraceId() {
        assertThat(failing("inspect", "--server", "http://127.0.0.1:8000").err())
                .startsWith("aitrace: --server needs a trace ID");
    }

    @Test
    void debugAddsTheStackTrace() {
        Path missing = dir.resolve("nope.jsonl");

        Cli.Result result = Cli.run(dir, "inspect", missing.toString(), "--debug");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("io.aitrace.cli.CliError: no such file or directory")
                .contains("\tat io.aitrace.cli.TraceSource.load(")
                .endsWith("aitrace: no such file or directory: " + missing + "\n");
    }

    @Test
    void anUnknownOptionPointsToHelp() {
        Cli.Result result = Cli.run(dir, "inspect", "--colour");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("aitrace: Unknown option: '--colour'\n")
                .endsWith("Try 'aitrace inspect --help' for more information.\n");
    }

    @Test
    void noSubcommandPrintsTheUsageOnStderr() {
        Cli.Result result = Cli.run(dir);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Usage: aitrace ").contains("inspect").contains("diff")
                .contains("tail").contains("export").contains("serve").contains("\n  demo ");
    }
}
