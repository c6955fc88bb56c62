package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aitrace diff} sees tokens, cost, models, prompts and evaluations, and names the biggest change first. */
class DiffAnswersTest {
    @TempDir
    Path dir;

    /** One run of a research agent; tests change a field to make the second run differ. */
    private static final class Run {
        long analyzeInput = 2000;
        String answerModel = "gpt-4o";
        String question = "Compare the GDP of France and Italy";
        double faithfulness = 0.9;
        double toolMs = 10;

        Path write(Path file, String traceId) {
            TraceText trace = new TraceText(traceId);
            TraceText.SpanText root = trace.span("research", "agent", null, 0, 3000);
            trace.span("plan", "llm", root, 0, 400).usage("gpt-4o-mini", 800, 120)
                    .attribute("gen_ai.input.messages", List.of(
                            Map.of("role", "system", "parts", List.of(Map.of("type", "text",
                                    "content", "You plan research steps."))),
                            Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", question)))));
            trace.span("search", "tool", root, 400, 400 + toolMs);
            trace.span("analyze", "llm", root, 500, 2000).usage("gpt-4o", analyzeInput, 300);
            trace.span("answer", "llm", root, 2000, 3000).usage(answerModel, 1500, 400)
                    .evaluation("faithfulness", faithfulness, faithfulness >= 0.5 ? "pass" : "fail", null, false);
            return trace.write(file);
        }
    }

    private Cli.Result diff(Run a, Run b, String... options) {
        Path fileA = a.write(dir.resolve("a.jsonl"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Path fileB = b.write(dir.resolve("b.jsonl"), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        String[] args = new String[options.length + 3];
        args[0] = "diff";
        args[1] = fileA.toString();
        args[2] = fileB.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return Cli.run(dir, args);
    }

    @Test
    void aStepWithTenTimesTheTokensIsNamedFirstWithItsTokenAndCostChange() {
        Run b = new Run();
        b.analyzeInput = 20000;
        b.answerModel = "gpt-4o-mini";
        b.toolMs = 14; // +40%: beyond the duration threshold, but jitter

        Cli.Result result = diff(new Run(), b);

        assertThat(result.exitCode()).isEqualTo(1);
        // gpt-4o: 2000 × $2.50 + 300 × $10 = $0.008 per million; 20000 × $2.50 + 300 × $10 = $0.053
        assertThat(result.out())
                .contains("\n$ tokens     research/analyze [llm]: in 2k→20k (+900%), out 300"
                        + " · cost $0.0080 → $0.0530 (+563%)\n")
                .contains("\nBiggest changes: research/analyze [llm] tokens 2.3k→20.3k (+783%),"
                        + " cost $0.0080 → $0.0530; research/answer [llm] model gpt-4o → gpt-4o-mini\n")
                .doesNotContain("~ duration   research/search")
                .contains("~ duration   1 duration-only change under 50 ms folded (--fold-under 0 lists them)")
                .endsWith("\nDifferent: 1 duration change, 1 token change, 1 model change.\n");
    }

    @Test
    void foldingCanBeTurnedOff() {
        Run b = new Run();
        b.toolMs = 14;

        Cli.Result result = diff(new Run(), b, "--fold-under", "0");

        assertThat(result.out()).contains("\n~ duration   research/search [tool]: 10 ms → 14 ms (+40%)\n")
                .doesNotContain("folded");
    }

    @Test
    void aChangedPromptShowsAsATextDiffOfTheMessages() {
        Run b = new Run();
        b.question = "Compare the GDP of France and Spain";

        Cli.Result result = diff(new Run(), b);

        assertThat(result.out()).contains("\n≠ input      research/plan [llm]\n"
                + "                 system: You plan research steps.\n"
                + "               - user: Compare the GDP of France and Italy\n"
                + "               + user: Compare the GDP of France and Spain\n")
                .endsWith("\nDifferent: 1 input change.\n");
    }

    @Test
    void aModelChangeAndItsCostAreReported() {
        Run b = new Run();
        b.answerModel = "gpt-4o-mini";

        Cli.Result result = diff(new Run(), b);

        // 1500 × $2.50 + 400 × $10 = $0.00775; 1500 × $0.15 + 400 × $0.60 = $0.000465
        assertThat(result.out()).contains("\n≠ model      research/answer [llm]: gpt-4o → gpt-4o-mini\n")
                .endsWith("\nDifferent: 1 model change.\n");
    }

    @Test
    void anEvaluationScoreChangeIsReported() {
        Run b = new Run();
        b.faithfulness = 0.3;

        Cli.Result result = diff(new Run(), b);

        assertThat(result.out()).contains("\n≈ evaluation research/answer [llm]\n"
                + "               faithfulness 0.9 pass → 0.3 fail (-0.60)\n")
                .endsWith("\nDifferent: 1 evaluation change.\n");
    }
}
