package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect} answers which step used the most tokens and money, what was evaluated, and a conversation. */
class InspectAnswersTest {
    static final String TRACE = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

    @TempDir
    Path dir;

    /**
     * plan: gpt-4o-mini 1000 in, 200 out = 150 + 120 = $0.00027; summarize: claude-sonnet-4 10000 in, 1000 out =
     * 30000 + 15000 = $0.045; mystery: no price; answer: gpt-4o 2000 in, 500 out = 5000 + 5000 = $0.01.
     */
    private Path research() {
        TraceText trace = new TraceText(TRACE);
        TraceText.SpanText root = trace.span("research", "agent", null, 0, 3000);
        trace.span("plan", "llm", root, 0, 500).usage("gpt-4o-mini", 1000, 200);
        TraceText.SpanText sub = trace.span("sub_agent", "agent", root, 500, 2500);
        trace.span("summarize", "llm", sub, 500, 2000).usage("claude-sonnet-4-20250514", 10000, 1000);
        trace.span("mystery", "llm", sub, 2000, 2500).usage("my-finetune", 500, 100);
        trace.span("answer", "llm", root, 2500, 3000).usage("gpt-4o", 2000, 500)
                .evaluation("relevance", null, "relevant", null, false)
                .evaluation("faithfulness", 0.4, "fail", "one claim has no source", true);
        return trace.write(dir.resolve("research.jsonl"));
    }

    @Test
    void theTreeShowsTokensAndCostPerStepWithSubtreeTotals() {
        Cli.Result result = Cli.run(dir, "inspect", research().toString(), "--width", "0");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .containsPattern("Trace: \\[agent] research \\(3.00 s\\) ✓ +Σ 13.5k→1.8k tok \\$0.0553\\+\n")
                .containsPattern("├── \\[llm] plan \\(500 ms\\) ✓ ◆ +1k→200 tok \\$0.0003\n")
                .containsPattern("├── \\[agent] sub_agent \\(2.00 s\\) ✓ ◆ +Σ 10.5k→1.1k tok \\$0.0450\\+\n")
                .containsPattern("│   ├── \\[llm] summarize \\(1.50 s\\) ✓ ◆ +10k→1k tok \\$0.0450\n")
                .containsPattern("│   └── \\[llm] mystery \\(500 ms\\) ✓ ◆ +500→100 tok no price\n")
                .contains("cost $0.0553 + no price for 1 span (my-finetune)")
                .contains("◆ critical path: plan → sub_agent → summarize → mystery → answer");
    }

    @Test
    void theColumnsLineUp() {
        Cli.Result result = Cli.run(dir, "inspect", research().toString(), "--width", "0");

        java.util.regex.Pattern column = java.util.regex.Pattern.compile("  +(Σ \\d|\\d)[^ ]*→");
        assertThat(result.out().lines().filter(line -> line.contains(" tok ")).map(line -> {
            java.util.regex.Matcher usage = column.matcher(line);
            return usage.find() ? usage.start(1) : -1;
        }).distinct()).containsExactly(38);
    }

    @Test
    void evaluationsSetInCodeAndSentLaterArePrintedUnderTheirSpan() {
        Cli.Result result = Cli.run(dir, "inspect", research().toString());

        assertThat(result.out()).contains("    ├── eval: relevance relevant\n")
                .contains("    └── eval: faithfulness 0.4 fail — one claim has no source\n");
    }

    @Test
    void theJsonSummaryHasTraceTotalsCostAndEvaluations() throws Exception {
        Cli.Result result = Cli.run(dir, "inspect", research().toString(), "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("tokens").path("input").asLong()).isEqualTo(13500);
        assertThat(json.path("tokens").path("output").asLong()).isEqualTo(1800);
        assertThat(json.path("cost").path("usd").asDouble()).isEqualTo(0.05527);
        assertThat(json.path("cost").path("complete").asBoolean()).isFalse();
        assertThat(json.path("cost").path("unpriced_models").toString()).isEqualTo("[\"my-finetune\"]");
        assertThat(json.path("evaluations")).hasSize(2);
        assertThat(json.path("evaluations").get(1).path("path").asText()).isEqualTo("research/answer");
        assertThat(json.path("evaluations").get(1).path("score").asDouble()).isEqualTo(0.4);
    }

    @Test
    void aConversationIsShownTurnByTurnInOrder() throws Exception {
        StringBuilder file = new StringBuilder();
        String[][] turns = {
            {"c0000000000000000000000000000002", "60000", "And tomorrow?", "Sunny, 21°C."},
            {"c0000000000000000000000000000001", "0", "Weather in Paris?", "18°C, partly cloudy."},
            {"c0000000000000000000000000000003", "120000", "Should I take an umbrella?", null},
        };
        for (String[] turn : turns) {
            TraceText trace = new TraceText(turn[0]);
            double start = Double.parseDouble(turn[1]);
            TraceText.SpanText root = trace.span("chat_turn", "agent", null, start, start + 1000)
                    .attribute("gen_ai.conversation.id", "conv-7").input(Map.of("question", turn[2]));
            TraceText.SpanText llm = trace.span("chat", "llm", root, start + 100, start + 900)
                    .attribute("gen_ai.conversation.id", "conv-7").usage("gpt-4o-mini", 1000, 100);
            if (turn[3] == null) {
                llm.error("java.io.IOException", "model timed out");
                root.error("java.io.IOException", "model timed out");
            } else {
                root.output(Map.of("answer", turn[3]));
            }
            file.append(trace.jsonl());
        }
        new TraceText("d0000000000000000000000000000000").span("other", "agent", null, 0, 10)
                .attribute("gen_ai.conversation.id", "conv-8");
        Path path = Files.writeString(dir.resolve("chat.jsonl"), file.toString());

        Cli.Result result = Cli.run(dir, "inspect", path.toString(), "--conversation", "conv-7");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Conversation conv-7 · 3 turns · tokens 3000 in / 300 out · cost $0.0006\n")
                .containsSubsequence(
                        "Turn 1 · 2026-11-21 18:00:00Z · chat_turn · 1.00 s ✓ · 1k→100 tok $0.0002 · trace c0000000",
                        "  user: Weather in Paris?", "  assistant: 18°C, partly cloudy.",
                        "Turn 2 · 2026-11-21 18:01:00Z", "  user: And tomorrow?", "  assistant: Sunny, 21°C.",
                        "Turn 3 · 2026-11-21 18:02:00Z · chat_turn · 1.00 s ✗", "  user: Should I take an umbrella?",
                        "  error: chat_turn: java.io.IOException: model timed out",
                        "  error: chat: java.io.IOException: model timed out");
    }

    @Test
    void anUnknownConversationIsAnErrorNamingIt() {
        Cli.Result result = Cli.run(dir, "inspect", research().toString(), "--conversation", "nope");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("no trace of").contains("has gen_ai.conversation.id nope");
    }
}
