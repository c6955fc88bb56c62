package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code aitrace inspect} prints for the fixture traces, compared with golden files: each verbosity, the JSON
 * summary, a file with several traces and a file with malformed lines.
 */
class InspectGoldenTest {
    @TempDir
    Path dir;

    @Test
    void minimalVerbosityShowsOneLinePerSpanWithEdgesAndParallelMarks() {
        Cli.Result result = inspect("weather.jsonl", "--verbosity", "minimal");

        Fixtures.assertGolden(result.out(), dir, "inspect-minimal.txt");
    }

    @Test
    void standardVerbosityAddsErrorsAnnotationsAndLogLinesInTimeOrder() {
        Cli.Result result = inspect("weather.jsonl");

        Fixtures.assertGolden(result.out(), dir, "inspect-standard.txt");
    }

    @Test
    void fullVerbosityAddsInputsOutputsAttributesAndStacksWrappedToTheWidth() {
        Cli.Result result = inspect("weather.jsonl", "--verbosity", "full", "--width", "100");

        Fixtures.assertGolden(result.out(), dir, "inspect-full.txt");
    }

    @Test
    void jsonSummaryHasCountsErrorsDurationsTokensAndTheCriticalPath() {
        Cli.Result result = inspect("weather.jsonl", "--json");

        Fixtures.assertGolden(result.out(), dir, "inspect-summary.json");
    }

    @Test
    void aFileWithSeveralTracesListsThemNewestFirstAndShowsTheNewest() {
        Cli.Result result = inspect("three-runs.jsonl", "--verbosity", "minimal");

        Fixtures.assertGolden(result.out(), dir, "inspect-three-runs.txt");
    }

    @Test
    void malformedLinesAreSkippedAndCountedInTheFooter() {
        Cli.Result result = inspect("weather-with-bad-lines.jsonl", "--verbosity", "minimal");

        Fixtures.assertGolden(result.out(), dir, "inspect-bad-lines.txt");
    }

    private Cli.Result inspect(String fixture, String... options) {
        Path file = Fixtures.copy(fixture, dir);
        String[] args = new String[options.length + 2];
        args[0] = "inspect";
        args[1] = file.toString();
        System.arraycopy(options, 0, args, 2, options.length);
        Cli.Result result = Cli.run(dir.resolve("no-default-dir"), args);
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        return result;
    }
}
