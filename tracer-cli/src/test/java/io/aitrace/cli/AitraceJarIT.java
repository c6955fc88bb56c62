package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aitrace.core.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code aitrace.jar} (and the {@code bin/aitrace} launcher) run as real processes. Bound to the
 * integration-test phase, after the jar is built; skipped when run without it (e.g. from the test phase).
 */
class AitraceJarIT {
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = Fixtures.packagedJar();
    }

    /** A finished process: exit code and output. */
    private record Run(int exitCode, String out, String err) {
    }

    /** A process with its output collected as it comes. */
    private static final class Started {
        final Process process;
        final StringBuffer out = new StringBuffer();
        final StringBuffer err = new StringBuffer();
        private final List<Thread> readers = new ArrayList<>();

        Started(List<String> command, Path workDir) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            builder.environment().remove("COLUMNS");
            process = builder.start();
            readers.add(collect(process.getInputStream(), out));
            readers.add(collect(process.getErrorStream(), err));
        }

        private static Thread collect(InputStream stream, StringBuffer into) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                ByteArrayOutputStream pending = new ByteArrayOutputStream();
                try (stream) {
                    for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
                        pending.write(buffer, 0, n);
                        int end = lastNewline(pending.toByteArray());
                        if (end >= 0) { // whole lines only, so no UTF-8 character is split
                            byte[] bytes = pending.toByteArray();
                            into.append(new String(bytes, 0, end + 1, StandardCharsets.UTF_8));
                            pending.reset();
                            pending.write(bytes, end + 1, bytes.length - end - 1);
                        }
                    }
                    into.append(pending.toString(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    into.append("\n[reading failed: ").append(e).append(']');
                }
            }, "process-output");
            reader.setDaemon(true);
            reader.start();
            return reader;
        }

        private static int lastNewline(byte[] bytes) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        Run finish() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
            for (Thread reader : readers) {
                reader.join(10_000); // each ends at the end of its stream, once the process is gone
            }
            return new Run(process.exitValue(), out.toString(), err.toString());
        }
    }

    private Run aitrace(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new Started(command, dir).finish();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void inspectPrintsTheTreeAsUtf8WithExitCodeZero() throws Exception {
        Path file = Fixtures.copy("weather.jsonl", dir);

        Run run = aitrace("inspect", file.toString(), "--verbosity", "minimal");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(Fixtures.text("golden/inspect-minimal.txt"));
    }

    @Test
    void diffExitsWithOneWhenTheTracesDifferAndZeroWhenTheyAreTheSame() throws Exception {
        Path a = Fixtures.copy("weather.jsonl", dir);
        Path b = dir.resolve("b.jsonl");
        Files.writeString(b, Files.readString(a).replace("\"intent\":\"weather_lookup\"", "\"intent\":\"news\""));

        Run different = aitrace("diff", a.toString(), b.toString());
        Run same = aitrace("diff", a.toString(), a.toString());

        assertThat(different.exitCode()).isEqualTo(1);
        assertThat(different.out()).contains("≠ output     weather_agent/classify_intent [llm]")
                .endsWith("Different: 1 output change.\n");
        assertThat(same.exitCode()).isZero();
    }

    @Test
    void aMissingFileIsOneLineOnStderrWithExitCodeTwo() throws Exception {
        Run run = aitrace("inspect", "missing.jsonl");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("aitrace: no such file or directory: missing.jsonl\n");
    }

    @Test
    void tailPrintsWhatIsAppendedWhileItRuns() throws Exception {
        Path file = dir.resolve("run.jsonl");
        List<String> lines = Fixtures.text("fixtures/weather.jsonl").lines().toList();
        Files.writeString(file, lines.get(0) + "\n");
        Started tail = new Started(List.of(javaBinary(), "-jar", jar.toString(), "tail", file.toString(),
                "--interval", "20"), dir);
        try {
            assertThat(Await.until(() -> tail.err.toString().contains("aitrace: following"))).isTrue();
            Files.writeString(file, String.join("\n", lines.subList(1, lines.size())) + "\n",
                    StandardOpenOption.APPEND);
            assertThat(Await.until(() -> tail.out.toString().contains("✓ [agent] weather_agent (1.25 s)")))
                    .as("tail printed the root's end; it printed:%n%s", tail.out).isTrue();
            assertThat(tail.out.toString()).contains("  ▶ [llm] classify_intent").contains("INFO calling model");
        } finally {
            tail.process.destroy();
            tail.process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLauncherScriptRunsTheJar() throws Exception {
        String launcher = System.getProperty("aitrace.cli.launcher");
        assumeTrue(launcher != null && Files.isExecutable(Path.of(launcher)) && Files.exists(Path.of("/bin/sh")),
                "bin/aitrace runs where there is a POSIX shell");
        Started started = new Started(List.of(launcher, "--version"), dir);

        Run run = started.finish();

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("aitrace ");
    }
}
