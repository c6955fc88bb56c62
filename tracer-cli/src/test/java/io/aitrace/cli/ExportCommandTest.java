package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aitrace export --html}: one trace as a self-contained page. */
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheChosenTraceAsOneSelfContainedHtmlFile() throws IOException {
        Path file = Fixtures.copy("three-runs.jsonl", dir);
        Path html = dir.resolve("out/weather.html");

        Cli.Result result = Cli.run(dir, "export", file.toString(), "--html", "--out", html.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Wrote " + html + ": weather_agent · trace " + Fixtures.WEATHER_TRACE
                + ", 9 spans, 3 log lines\n").contains("holds 3 traces; this is the newest");
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("weather_agent · trace " + Fixtures.WEATHER_TRACE)
                .contains(Fixtures.WEATHER_TRACE).contains("classify_intent").contains("search timed out")
                .doesNotContain(Fixtures.OLDER_TRACE).doesNotContain(Fixtures.RUNNING_TRACE)
                .doesNotContain("src=\"http").doesNotContain("href=\"http");
    }

    @Test
    void traceOptionPicksAnotherTraceAndDashWritesToStdout() {
        Path file = Fixtures.copy("three-runs.jsonl", dir);

        Cli.Result result = Cli.run(dir, "export", file.toString(), "--html", "--trace", "0af7", "--out", "-");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("<!DOCTYPE html>").contains(Fixtures.OLDER_TRACE)
                .doesNotContain(Fixtures.WEATHER_TRACE);
    }

    @Test
    void theDefaultFileIsNamedAfterTheTrace() {
        Path file = Fixtures.copy("weather.jsonl", dir);
        Cli.Result result = Cli.run(dir, "export", file.toString(), "--html");

        Path written = Path.of("trace-4bf92f35.html");
        try {
            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).startsWith("Wrote trace-4bf92f35.html: ");
            assertThat(written).exists();
        } finally {
            written.toFile().delete(); // written to the working directory, as a user's shell would
        }
    }

    @Test
    void withoutAFormatItIsAUsageError() {
        Path file = Fixtures.copy("weather.jsonl", dir);

        Cli.Result result = Cli.run(dir, "export", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("aitrace: Missing required option: '--html'\n"
                + "Try 'aitrace export --help' for more information.\n");
    }
}
