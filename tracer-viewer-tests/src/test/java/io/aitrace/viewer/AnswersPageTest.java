package io.aitrace.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.TraceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Tokens, cost, evaluations, the critical path and conversations in the viewer (export from disk and served), the
 * JS cost port against the shared fixture, and the fixes: open-file in an export, live list, stacks.
 */
class AnswersPageTest {
    static final String RESEARCH = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    static final String RUNNING = "6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Browser browser;
    @TempDir
    static Path dir;
    private static Path research;
    private static Path conversation;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        List<String> both = new ArrayList<>(researchRecords());
        both.addAll(TraceFixtures.weather(TraceFixtures.WEATHER, 'a', false));
        research = HtmlExport.write(dir.resolve("research.html"), both, TraceReader.readLines(both), "two runs");
        conversation = HtmlExport.write(dir.resolve("conversation.html"), conversationRecords(),
                TraceReader.readLines(conversationRecords()), "conversation");
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    private static Map<String, Object> llm(String trace, int n, String parent, String name, double start, double ms,
            String model, long in, long out) {
        Map<String, Object> span = TraceFixtures.span(trace, TraceFixtures.id('b', n), parent, name, "llm", start, ms, "ok");
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) span.get("attributes");
        attributes.put("gen_ai.request.model", model);
        attributes.put("gen_ai.usage.input_tokens", in);
        attributes.put("gen_ai.usage.output_tokens", out);
        return span;
    }

    /**
     * plan: gpt-4o-mini 1000/200 = $0.00027; summarize: claude-sonnet-4 10000/1000 = $0.045; mystery: no price;
     * answer: gpt-4o 2000/500 = $0.01, evaluated in code (relevance) and later (faithfulness 0.4).
     */
    static List<String> researchRecords() {
        String root = TraceFixtures.id('b', 1);
        String sub = TraceFixtures.id('b', 3);
        Map<String, Object> rootSpan = TraceFixtures.span(RESEARCH, root, null, "research", "agent", 0, 3000.0, "ok");
        rootSpan.put("input", Map.of("question", "Compare the GDP of France and Italy"));
        Map<String, Object> answer = llm(RESEARCH, 6, root, "answer", 2500, 500.0, "gpt-4o", 2000, 500);
        answer.put("evaluations", List.of(Map.of("name", "relevance", "label", "relevant")));
        return List.of(TraceFixtures.json(rootSpan),
                TraceFixtures.json(llm(RESEARCH, 2, root, "plan", 0, 500.0, "gpt-4o-mini", 1000, 200)),
                TraceFixtures.json(TraceFixtures.span(RESEARCH, sub, root, "sub_agent", "agent", 500, 2000.0, "ok")),
                TraceFixtures.json(llm(RESEARCH, 4, sub, "summarize", 500, 1500.0, "claude-sonnet-4-20250514", 10000, 1000)),
                TraceFixtures.json(llm(RESEARCH, 5, sub, "mystery", 2000, 500.0, "my-finetune", 500, 100)),
                TraceFixtures.json(answer),
                TraceFixtures.json(Map.of("v", 1, "type", "evaluation", "trace_id", RESEARCH,
                        "span_id", TraceFixtures.id('b', 6), "name", "faithfulness", "score", 0.4, "label", "fail",
                        "explanation", "one claim has no source")));
    }

    static List<String> conversationRecords() {
        List<String> records = new ArrayList<>();
        String[][] turns = {{"c2", "60000", "And tomorrow?", "Sunny, 21°C."}, {"c1", "0", "Weather in Paris?", "18°C."},
            {"c3", "120000", "Umbrella?", null}};
        for (String[] turn : turns) {
            String trace = turn[0] + "c".repeat(30);
            double start = Double.parseDouble(turn[1]);
            Map<String, Object> root = TraceFixtures.span(trace, TraceFixtures.id('c', records.size() + 1), null,
                    "chat_turn", "agent",
                    start, 1000.0, turn[3] == null ? "error" : "ok");
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = (Map<String, Object>) root.get("attributes");
            attributes.put("gen_ai.conversation.id", "conv-7");
            root.put("input", Map.of("question", turn[2]));
            if (turn[3] == null) {
                root.put("error", Map.of("type", "java.io.IOException", "message", "model timed out",
                        "stack", "java.io.IOException: model timed out\n\tat com.acme.Chat.call(Chat.java:42)\n"
                                + "\tat com.acme.Agent.turn(Agent.java:17)"));
            } else {
                root.put("output", Map.of("answer", turn[3]));
            }
            records.add(TraceFixtures.json(root));
        }
        return records;
    }

    @Test
    void theCostPortGivesTheHandComputedCostsOfTheSharedFixture() throws Exception {
        JsonNode fixture = JSON.readTree(Path.of("../tracer-core/src/test/resources/cost-fixture.json").toFile());
        browser.open(research);
        browser.visible(".trace-row");
        String results = (String) browser.script("const fx = JSON.parse(arguments[0]);"
                + "const A = AitraceAnswers; A.setPrices(fx.prices); const out = {};"
                + "for (const run of fx.runs) { const g = AitraceReader.graph(AitraceReader.fromRecords(run.records));"
                + "  const by = (n) => g.nodes.find((x) => x.name === n);"
                + "  const r = out[run.name] = {spans: {}, subtrees: {}, trace: A.traceCost(g)};"
                + "  r.trace.format = A.format(r.trace);"
                + "  for (const n of Object.keys(run.expected.spans)) r.spans[n] = A.cost(by(n));"
                + "  for (const n of Object.keys(run.expected.subtrees)) r.subtrees[n] = A.subtreeCost(by(n)); }"
                + "return JSON.stringify(out);", fixture.toString());
        JsonNode got = JSON.readTree(results);
        int checked = 0;
        for (JsonNode run : fixture.path("runs")) {
            JsonNode mine = got.path(run.path("name").asText());
            for (Iterator<Map.Entry<String, JsonNode>> it = run.path("expected").path("spans").fields(); it.hasNext(); checked++) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode cost = mine.path("spans").path(e.getKey());
                if (e.getValue().has("tokens")) {
                    assertThat(cost.path("priced").asInt() + cost.path("unpriced").asInt()).as(e.getKey()).isZero();
                } else if (e.getValue().path("usd").isNull()) {
                    assertThat(cost.path("models").get(0).asText()).isEqualTo(e.getValue().path("unpriced_model").asText());
                } else {
                    assertThat(cost.path("usd").asDouble()).as(e.getKey())
                            .isCloseTo(e.getValue().path("usd").asDouble(), within(1e-12));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = run.path("expected").path("subtrees").fields(); it.hasNext(); checked++) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode cost = mine.path("subtrees").path(e.getKey());
                assertThat(cost.path("usd").asDouble()).isCloseTo(e.getValue().path("usd").asDouble(), within(1e-12));
                assertThat(cost.path("priced").asInt()).isEqualTo(e.getValue().path("priced").asInt());
                assertThat(cost.path("unpriced").asInt()).isEqualTo(e.getValue().path("unpriced").asInt());
            }
            JsonNode trace = mine.path("trace");
            assertThat(trace.path("usd").asDouble()).isCloseTo(run.path("expected").path("trace").path("usd").asDouble(),
                    within(1e-12));
            assertThat(trace.path("format").asText()).isEqualTo(run.path("expected").path("trace").path("format").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(18);
    }

    @Test
    void theTreeShowsTokensAndCostWithSubtreeTotalsEvaluationChipsAndTheCriticalPath() throws IOException {
        browser.open(research);
        browser.traceRow(RESEARCH).click();
        browser.withText("#trace-title", "research");

        assertThat(usage("research")).isEqualTo("Σ 13.5k→1.8k $0.0553+");
        assertThat(usage("plan")).isEqualTo("1k→200 $0.0003");
        assertThat(usage("summarize")).isEqualTo("10k→1k $0.0450");
        assertThat(usage("mystery")).isEqualTo("500→100 no price");
        assertThat(browser.spanRow("answer").findElements(By.cssSelector(".eval-chip")))
                .extracting(WebElement::getText).containsExactly("relevance relevant", "faithfulness 0.4 fail");
        assertThat(browser.spanRow("answer").findElement(By.cssSelector(".eval-fail")).getText())
                .startsWith("faithfulness");
        assertThat(browser.spanRow("plan").findElements(By.cssSelector(".critical-mark"))).hasSize(1);
        assertThat(browser.spanRow("research").findElements(By.cssSelector(".critical-mark"))).as("a root").isEmpty();

        browser.spanRow("sub_agent").findElement(By.cssSelector(".caret")).click();
        browser.waitFor(d -> browser.all(".span-row .name").stream().noneMatch(e -> e.getText().equals("summarize")));
        assertThat(usage("sub_agent")).as("a collapsed node shows its subtree").isEqualTo("Σ 10.5k→1.1k $0.0450+");
        assertThat(browser.visible("#trace-meta").getText()).contains("13.5k in / 1.8k out tokens", "$0.0553+");
        browser.screenshot("answers-tree");
    }

    @Test
    void anExportWithTheUsersPriceTableShowsTheCostsItGives() throws IOException {
        String table = PriceTable.bundled().over(PriceTable.parse(
                "{\"models\":{\"my-finetune*\":{\"input\":1.0,\"output\":2.0}}}", "prices.json")).toJson();
        Path page = HtmlExport.write(dir.resolve("research-own-prices.html"), researchRecords(),
                TraceReader.readLines(researchRecords()), "own prices", table);
        browser.open(page);
        browser.withText("#trace-title", "research"); // the one trace of the page opens at once

        // mystery: 500 in at $1/M + 100 out at $2/M = $0.0007; the trace: $0.05527 + $0.0007, every span priced
        assertThat(usage("mystery")).isEqualTo("500→100 $0.0007");
        assertThat(usage("research")).isEqualTo("Σ 13.5k→1.8k $0.0560");
        assertThat(usage("summarize")).as("the bundled table under it").isEqualTo("10k→1k $0.0450");
    }

    @Test
    void theListShowsEachTracesInputCostAndEvaluationsAndFiltersByAnEvaluation() throws IOException {
        browser.open(research);
        browser.waitFor(d -> browser.all(".trace-row").size() == 2);

        WebElement row = browser.traceRow(RESEARCH);
        assertThat(row.findElement(By.cssSelector(".c-input")).getText()).isEqualTo("Compare the GDP of France and Italy");
        assertThat(row.findElement(By.cssSelector(".c-cost")).getText()).isEqualTo("$0.0553+");
        assertThat(row.findElements(By.cssSelector(".c-evals .eval-chip"))).extracting(WebElement::getText)
                .containsExactly("relevance relevant", "faithfulness 0.4 fail");

        browser.visible("#f-eval").sendKeys("faithfulness<0.5");
        browser.waitFor(d -> browser.all(".trace-row").size() == 1);
        assertThat(browser.all(".trace-row").get(0).getAttribute("data-trace-id")).isEqualTo(RESEARCH);
        browser.screenshot("answers-list");
    }

    /**
     * The research run against itself with ten times the tokens in the answer and another prompt for the plan:
     * compare names the answer first with its token and cost change and opens the prompt as a line diff.
     */
    @Test
    void compareNamesTheStepWithTenTimesTheTokensFirstAndShowsAChangedPromptAsALineDiff() throws IOException {
        String other = "5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b";
        List<String> both = new ArrayList<>();
        for (String line : researchRecords()) {
            both.add(withPrompt(line, "Plan the research: GDP of France and Italy"));
            JsonNode record = JSON.readTree(withPrompt(line, "Plan the research: GDP of France, Italy and Spain")
                    .replace(RESEARCH, other).replace("\"b00000000000000", "\"c00000000000000")); // its own IDs
            if (record.path("name").asText().equals("answer")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) record.path("attributes"))
                        .put("gen_ai.usage.input_tokens", 20000).put("gen_ai.usage.output_tokens", 5000);
            }
            both.add(record.toString());
        }
        Path page = HtmlExport.write(dir.resolve("two-research-runs.html"), both, TraceReader.readLines(both), "two");
        browser.open(page);
        browser.waitFor(d -> browser.all(".trace-row").size() == 2);
        browser.traceRow(RESEARCH).findElement(By.cssSelector(".pick")).click();
        browser.traceRow(other).findElement(By.cssSelector(".pick")).click();
        browser.visible("#compare").click();

        // answer: gpt-4o 2000/500 = $0.01 against 20000/5000 = $0.10
        assertThat(browser.visible(".cmp-biggest").getText()).isEqualTo(
                "Biggest changes: answer (tokens 2.5k → 25k (+900%), $0.0100 → $0.1000 (+900%))");
        assertThat(browser.visible(".cmp-verdict").getText()).contains("1 tokens change", "1 cost change",
                "1 prompt change");
        browser.withText(".diff-prompt", "prompt changed").click();
        assertThat(browser.visible(".cmp-text").getText()).isEqualTo(
                "- user: Plan the research: GDP of France and Italy\n+ user: Plan the research: GDP of France, Italy and Spain");
        browser.screenshot("compare-answers");
    }

    /** The record with a one-message prompt when it is the plan step. */
    private static String withPrompt(String line, String prompt) throws IOException {
        JsonNode record = JSON.readTree(line);
        if (record.path("name").asText().equals("plan")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) record.path("attributes")).set("gen_ai.input.messages",
                    JSON.valueToTree(List.of(Map.of("role", "user", "parts",
                            List.of(Map.of("type", "text", "content", prompt))))));
        }
        return record.toString();
    }

    @Test
    void aConversationShowsItsTurnsInOrderWithTheirErrors() throws IOException {
        browser.open(conversation);
        browser.waitFor(d -> browser.all(".trace-row").size() == 3);
        browser.script("window.aitraceViewer.openConversation('conv-7')");

        browser.withText("#conversation-id", "conv-7");
        browser.waitFor(d -> browser.all(".turn").size() == 3);
        assertThat(browser.texts(".turn .msg-user .msg-text"))
                .isEqualTo("Weather in Paris?\nAnd tomorrow?\nUmbrella?\n");
        assertThat(browser.texts(".turn .msg-assistant .msg-text")).isEqualTo("18°C.\nSunny, 21°C.\n");
        assertThat(browser.all(".turn").get(2).getText()).contains("Turn 3", "✗", "java.io.IOException: model timed out");
        browser.screenshot("answers-conversation");
    }

    @Test
    void aStackTraceShowsOneFramePerLine() throws IOException {
        browser.open(conversation);
        browser.traceRow("c3" + "c".repeat(30)).click();
        browser.withText("#trace-title", "chat_turn");

        assertThat(browser.texts("#detail .stack .frame")).isEqualTo("java.io.IOException: model timed out\n"
                + "at com.acme.Chat.call(Chat.java:42)\nat com.acme.Agent.turn(Agent.java:17)\n");
    }

    @Test
    void openFileInAnExportShowsTheOpenedTraceNotAnEmptyOne() throws IOException {
        Path jsonl = Files.write(dir.resolve("other.jsonl"), conversationRecords().subList(0, 1));
        browser.open(research);
        browser.traceRow(RESEARCH).click();
        browser.withText("#trace-title", "research");

        browser.driver.findElement(By.id("file")).sendKeys(jsonl.toString());

        browser.withText("#trace-title", "chat_turn");
        assertThat(browser.all(".span-row")).hasSize(1);
    }

    @Test
    void servedWithLiveOnARunningTraceIsListedBeforeItEnds() throws Exception {
        try (Collector collector = Collector.start(null)) {
            collector.ingest(TraceFixtures.weather(TraceFixtures.WEATHER, 'a', false));
            browser.open(collector.url() + "/");
            browser.waitFor(d -> !browser.all(".trace-row").isEmpty());
            if (!browser.visible("#live").isSelected()) {
                browser.visible("#live").click();
            }
            browser.withText("#status", "live");

            collector.ingest(List.of(TraceFixtures.json(TraceFixtures.span(RUNNING, TraceFixtures.id('d', 1), null,
                    "long_agent", "agent", 0, null, null))));

            browser.waitFor(d -> browser.all(".trace-row").stream()
                    .anyMatch(r -> RUNNING.equals(r.getAttribute("data-trace-id"))));
            assertThat(browser.traceRow(RUNNING).getText()).contains("long_agent", "running");
            browser.visible("#live").click();
        }
    }

    /**
     * Served: an evaluation the application makes in code (the real tracer writing to the collector) and one an
     * evaluator posts later to {@code POST /api/evaluations} are both chips of the span and of the list row, and the
     * list's evaluation filter (the collector's {@code eval=}) finds the trace by the later one.
     */
    @Test
    void servedAnEvaluationSetInCodeAndOnePostedLaterAppearOnTheSpanTheRowAndTheFilter() throws Exception {
        try (Collector collector = Collector.start(null)) {
            collector.ingest(TraceFixtures.weather(TraceFixtures.WEATHER, 'a', false));
            String traceId;
            String spanId;
            try (TracerRuntime app = application(collector, null)) {
                Tracer tracer = app.tracer("RagAgent");
                try (Span run = tracer.span("rag_agent", NodeType.AGENT)) {
                    traceId = run.traceId();
                    try (Span answer = tracer.span("answer", NodeType.LLM)) {
                        spanId = answer.spanId();
                        answer.evaluate("relevance", null, "relevant", null);
                    }
                }
                app.flush();
            }
            collector.post("/api/evaluations", "{\"trace_id\":\"" + traceId + "\",\"span_id\":\"" + spanId
                    + "\",\"name\":\"faithfulness\",\"score\":0.4,\"label\":\"fail\"}");

            browser.open(collector.url() + "/");
            WebElement row = browser.traceRow(traceId);
            assertThat(row.findElements(By.cssSelector(".c-evals .eval-chip"))).extracting(WebElement::getText)
                    .containsExactlyInAnyOrder("relevance relevant", "faithfulness 0.4 fail");
            browser.visible("#f-eval").sendKeys("faithfulness<0.5");
            browser.waitFor(d -> browser.all(".trace-row").size() == 1);
            browser.traceRow(traceId).click();
            browser.withText("#trace-title", "rag_agent");
            assertThat(browser.spanRow("answer").findElements(By.cssSelector(".eval-chip")))
                    .extracting(WebElement::getText).containsExactly("relevance relevant", "faithfulness 0.4 fail");
        }
    }

    /**
     * As a user sees it: an application traced with the real tracer and {@code aitrace.target} pointing at the
     * collector, its agent still running (root span open, no flush called), and the viewer in live mode: the
     * trace is listed as running, its view shows the steps as they start and end, and it completes in place.
     */
    @Test
    void liveARunningAgentOfAnApplicationIsListedAndShownRunningBeforeItEnds() throws Exception {
        try (Collector collector = Collector.start(null)) {
            TracerRuntime app = application(collector, "200"); // the default second, shorter for the test's sake
            try {
                browser.open(collector.url() + "/"); // a fresh collector: nothing listed yet
                browser.withText("#list-count", "0 traces");
                if (!browser.visible("#live").isSelected()) {
                    browser.visible("#live").click();
                }
                browser.withText("#status", "live");
                Tracer tracer = app.tracer("LiveAgent");
                String traceId;
                try (Span agent = tracer.span("research_agent", NodeType.AGENT)) {
                    traceId = agent.traceId();
                    browser.waitFor(d -> !browser.traceRow(traceId).findElements(By.cssSelector(".running-badge"))
                            .isEmpty());
                    WebElement row = browser.traceRow(traceId);
                    assertThat(row.findElement(By.cssSelector(".name")).getText()).isEqualTo("research_agent");
                    agent.input("question", "Is it still running?").snapshot(); // the start record had no input yet
                    browser.waitFor(d -> browser.traceRow(traceId).findElement(By.cssSelector(".c-input")).getText()
                            .equals("Is it still running?"));
                    row = browser.traceRow(traceId);

                    row.click();
                    browser.withText("#trace-title", "research_agent");
                    assertThat(browser.spanRow("research_agent").findElement(By.cssSelector(".dur")).getText())
                            .isEqualTo("running");
                    try (Span llm = tracer.span("plan", NodeType.LLM)) {
                        browser.waitFor(d -> browser.spanRow("plan").findElement(By.cssSelector(".dur")).getText()
                                .equals("running"));
                        llm.output("plan", "search, then summarize");
                    }
                    browser.waitFor(d -> !browser.spanRow("plan").findElement(By.cssSelector(".dur")).getText()
                            .equals("running"));
                    assertThat(browser.spanRow("research_agent").findElement(By.cssSelector(".dur")).getText())
                            .isEqualTo("running");
                }
                browser.waitFor(d -> !browser.spanRow("research_agent").findElement(By.cssSelector(".dur")).getText()
                        .equals("running"));
                browser.visible("#back").click();
                browser.waitFor(d -> browser.traceRow(traceId).findElements(By.cssSelector(".running-badge")).isEmpty());
            } finally {
                app.close();
                browser.visible("#live").click();
            }
        }
    }

    /** The tracer of an application configured with {@code aitrace.target=<the collector's URL>}. */
    private static TracerRuntime application(Collector collector, String flushIntervalMillis) {
        Properties settings = new Properties();
        settings.setProperty("aitrace.target", collector.url());
        if (flushIntervalMillis != null) {
            settings.setProperty("aitrace.flush.interval", flushIntervalMillis);
        }
        return TracerRuntime.create(TracerConfig.builder().environment(Map.of()).systemProperties(settings)
                .configFile(dir.resolve("no-config.properties")).build());
    }

    private static String usage(String spanName) {
        return browser.spanRow(spanName).findElement(By.cssSelector(".usage")).getText().replace('\n', ' ');
    }
}
