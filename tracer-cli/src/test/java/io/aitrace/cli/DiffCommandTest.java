package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aitrace diff}: each kind of difference, the verdict and the exit codes 0, 1 and 2. */
class DiffCommandTest {
    private static final String TRACE_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String TRACE_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    @TempDir
    Path dir;

    /** One run of a small agent; tests change a field to make the second run differ in one way. */
    private static final class Run {
        String query = "weather in Paris";
        String intent = "weather";
        double answerMs = 480;
        boolean secondSearchFails;
        boolean secondSearch = true;
        boolean fallback;
        boolean classifyStep = true;

        TraceText trace(String traceId) {
            TraceText trace = new TraceText(traceId);
            TraceText.SpanText agent = trace.span("agent", "agent", null, 0, 1000);
            if (classifyStep) {
                TraceText.SpanText classify = trace.span("classify", "llm", agent, 10, 300)
                        .input(Map.of("query", query)).output(Map.of("intent", intent, "confidence", 0.9));
                trace.span("tokenize", "step", classify, 20, 30);
            }
            trace.span("search", "tool", agent, 310, 400).error("java.io.IOException", "timeout");
            if (secondSearch) {
                TraceText.SpanText retry = trace.span("search", "tool", agent, 410, 500);
                if (secondSearchFails) {
                    retry.error("java.io.IOException", "timeout");
                }
            }
            if (fallback) {
                trace.span("fallback", "tool", agent, 505, 508);
            }
            trace.span("answer", "llm", agent, 510, 510 + answerMs).output("18°C, partly cloudy");
            return trace;
        }

        Path write(Path file, String traceId) {
            return trace(traceId).write(file);
        }
    }

    private Cli.Result diff(Run a, Run b, String... options) {
        Path left = a.write(dir.resolve("a.jsonl"), TRACE_A);
        Path right = b.write(dir.resolve("b.jsonl"), TRACE_B);
        String[] args = new String[options.length + 3];
        args[0] = "diff";
        args[1] = left.toString();
        args[2] = right.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return Cli.run(dir, args);
    }

    @Test
    void identicalRunsAreTheSameWithExitCodeZero() {
        Cli.Result result = diff(new Run(), new Run());

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).endsWith("\nSame: 6 spans aligned, no differences (durations within 20%).\n");
    }

    @Test
    void aFileComparedWithItselfIsTheSame() {
        Path file = Fixtures.copy("weather.jsonl", dir);

        Cli.Result result = Cli.run(dir, "diff", file.toString(), file.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Same: 9 spans aligned");
    }

    @Test
    void aSpanOnlyInAIsReportedWithExitCodeOne() {
        Run b = new Run();
        b.secondSearch = false;

        Cli.Result result = diff(new Run(), b);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("\n- only in A  agent/search#2 [tool]\n")
                .endsWith("\nDifferent: 1 only in A.\n");
    }

    @Test
    void aSpanOnlyInBIsReportedWhereBHasIt() {
        Run b = new Run();
        b.fallback = true;

        Cli.Result result = diff(new Run(), b);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("\n+ only in B  agent/fallback [tool]\n")
                .endsWith("\nDifferent: 1 only in B.\n");
    }

    @Test
    void aMissingSubtreeIsOneDifferenceReportedAtItsTop() {
        Run b = new Run();
        b.classifyStep = false;

        Cli.Result result = diff(new Run(), b);

        assertThat(result.out()).contains("\n- only in A  agent/classify [llm] (and 1 span below)\n")
                .doesNotContain("tokenize")
                .endsWith("\nDifferent: 1 only in A.\n");
    }

    @Test
    void aStatusChangeNamesTheErrorAndRepeatedSiblingsAlignByOrder() {
        Run b = new Run();
        b.secondSearchFails = true;

        Cli.Result result = diff(new Run(), b);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out())
                .contains("\n! status     agent/search#2 [tool]: ok → error (java.io.IOException: timeout)\n")
                .doesNotContain("agent/search [tool]")
                .endsWith("\nDifferent: 1 status change.\n");
    }

    @Test
    void aDurationChangeBeyondTheThresholdIsReported() {
        Run b = new Run();
        b.answerMs = 700;

        Cli.Result result = diff(new Run(), b);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("\n~ duration   agent/answer [llm]: 480 ms → 700 ms (+46%)\n")
                .endsWith("\nDifferent: 1 duration change.\n");
    }

    @Test
    void aDurationChangeWithinTheThresholdIsNotADifference() {
        Run b = new Run();
        b.answerMs = 520;

        assertThat(diff(new Run(), b).exitCode()).as("+8%% within the default 20%%").isZero();
        assertThat(diff(new Run(), b, "--threshold", "5%").exitCode()).as("+8%% beyond 5%%").isEqualTo(1);
        assertThat(diff(new Run(), b, "--threshold", "30ms").exitCode()).as("40 ms beyond 30 ms").isEqualTo(1);
        assertThat(diff(new Run(), b, "--threshold", "1s").exitCode()).as("40 ms within 1 s").isZero();
    }

    @Test
    void ignoredKindsAreNotCompared() {
        Run b = new Run();
        b.answerMs = 900;
        b.intent = "news";

        Cli.Result result = diff(new Run(), b, "--ignore", "duration,output");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).endsWith("\nSame: 6 spans aligned, no differences (durations not compared).\n");
    }

    @Test
    void changedInputsAndOutputsShowACompactValueDiff() {
        Run b = new Run();
        b.query = "weather in Rome";
        b.intent = "news";

        Cli.Result result = diff(new Run(), b);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out())
                .contains("\n≠ input      agent/classify [llm]\n"
                        + "               query: \"weather in Paris\" → \"weather in Rome\"\n")
                .contains("\n≠ output     agent/classify [llm]\n"
                        + "               intent: \"weather\" → \"news\"\n")
                .doesNotContain("confidence")
                .endsWith("\nDifferent: 1 input change, 1 output change.\n");
    }

    @Test
    void everyKindOfDifferenceInOneReport() {
        Run b = new Run();
        b.secondSearchFails = true;
        b.fallback = true;
        b.classifyStep = false;
        b.answerMs = 700;

        Cli.Result result = diff(new Run(), b);

        assertThat(result.exitCode()).isEqualTo(1);
        Fixtures.assertGolden(result.out(), dir, "diff-report.txt");
    }

    @Test
    void twoTraceIdsInOneFileAreComparedWithIn() throws IOException {
        Run b = new Run();
        b.intent = "news";
        Path both = dir.resolve("both.jsonl");
        Files.writeString(both, new Run().trace(TRACE_A).jsonl() + b.trace(TRACE_B).jsonl(), StandardCharsets.UTF_8);

        Cli.Result result = Cli.run(dir, "diff", "aaaa", "bbbb", "--in", both.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("trace " + TRACE_A).contains("trace " + TRACE_B)
                .endsWith("\nDifferent: 1 output change.\n");
    }

    @Test
    void jsonReportListsTheChangesWithTheirPaths() throws IOException {
        Run b = new Run();
        b.secondSearch = false;
        b.answerMs = 700;

        Cli.Result result = diff(new Run(), b, "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertThat(report.path("equal").asBoolean()).isFalse();
        assertThat(report.path("a").path("trace_id").asText()).isEqualTo(TRACE_A);
        assertThat(report.path("counts").path("only_in_a").asInt()).isEqualTo(1);
        assertThat(report.path("changes").findValuesAsText("path"))
                .containsExactly("agent/search#2", "agent/answer");
    }

    @Test
    void aBadThresholdIsAUsageErrorWithExitCodeTwo() {
        Cli.Result result = diff(new Run(), new Run(), "--threshold", "fast");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("aitrace: Invalid value for option '--threshold': 'fast': expected a "
                + "percentage like 20% or a duration like 250ms or 1.5s");
    }

    @Test
    void aMissingSideIsAnErrorWithExitCodeTwo() {
        Path a = new Run().write(dir.resolve("a.jsonl"), TRACE_A);

        Cli.Result result = Cli.run(dir, "diff", a.toString(), dir.resolve("gone.jsonl").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("aitrace: no such file or directory: " + dir.resolve("gone.jsonl") + "\n");
    }
}
