package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    void thePageCarriesThePriceTableInspectUsesTheUsersOverTheBundledOne() throws IOException {
        TraceText trace = new TraceText("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
        trace.span("mystery", "llm", null, 0, 500).usage("my-finetune", 500, 100);
        Path file = trace.write(dir.resolve("run.jsonl"));
        Path prices = Files.writeString(dir.resolve("prices.json"),
                "{\"models\":{\"my-finetune*\":{\"input\":1.0,\"output\":2.0}}}");
        String before = System.getProperty("aitrace.prices");
        System.setProperty("aitrace.prices", prices.toString());
        Cli.Result inspect;
        Cli.Result export;
        try {
            inspect = Cli.run(dir, "inspect", file.toString(), "--width", "0");
            export = Cli.run(dir, "export", file.toString(), "--html", "--out", "-");
        } finally {
            if (before == null) {
                System.clearProperty("aitrace.prices");
            } else {
                System.setProperty("aitrace.prices", before);
            }
        }

        assertThat(inspect.out()).contains("500→100 tok $0.0007");
        String page = export.out();
        String open = "<script type=\"application/json\" id=\"aitrace-prices\">";
        int start = page.indexOf(open) + open.length();
        JsonNode table = new ObjectMapper().readTree(page.substring(start, page.indexOf("</script>", start)));
        assertThat(table.path("layers").get(0).path("models").path("my-finetune*").path("input").asDouble())
                .isEqualTo(1.0);
        assertThat(table.path("layers").get(1).path("models").has("gpt-4o-mini*")).as("the bundled table").isTrue();
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
