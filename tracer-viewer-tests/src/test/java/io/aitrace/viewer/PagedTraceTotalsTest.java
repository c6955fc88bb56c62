package io.aitrace.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A trace above the paging threshold ({@code AitraceLazy.FROM_SPANS}) shows what a small trace shows: the whole
 * trace's token and cost totals in the trace bar, the critical path marked in the tree (and a button stepping along
 * it), and a span's log lines under it once the span is selected, all asked of the collector.
 */
class PagedTraceTotalsTest {
    static final String TRACE = "7a".repeat(16);
    static final int STEPS = 100;
    /** Calls per step besides the step's wait: 100 × (1 + 1 + 198) + the root = 20,001 spans. */
    static final int CALLS = 198;
    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");
    @RegisterExtension
    static final ServedViewer served = new ServedViewer(null);
    private static Browser browser;
    private static Collector collector;
    private static String loggedCall;

    @BeforeAll
    static void start() throws Exception {
        browser = served.browser();
        collector = served.collector();
        ingest();
        // each answer is computed once, then kept: both requests of each endpoint answer the same trace
        for (String endpoint : List.of("critical-path", "totals", "critical-path", "totals")) {
            assertThat(collector.get("/api/trace/" + TRACE + "/" + endpoint)).startsWith("{\"trace_id\":\"" + TRACE);
        }
    }

    /**
     * big_run, then steps one after the other, each with calls of a millisecond (gpt-5: 100 tokens in, 20 of them
     * cached, 10 out; one failed) and a wait_k lasting the whole step: the waits are what the trace's end waited on.
     */
    private static void ingest() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>(20_010);
        String root = TraceFixtures.id('a', 0);
        int n = 1;
        lines.add(span(root, null, "big_run", 0, STEPS * 200 + 5, "ok", "{}"));
        String usage = "{\"gen_ai.request.model\":\"gpt-5\",\"gen_ai.usage.input_tokens\":100,"
                + "\"gen_ai.usage.output_tokens\":10,\"gen_ai.usage.cache_read.input_tokens\":20}";
        for (int k = 0; k < STEPS; k++) {
            int at = k * 200;
            String step = TraceFixtures.id('a', n++);
            lines.add(span(step, root, "step_" + k, at, 199, "ok", "{}"));
            lines.add(span(TraceFixtures.id('a', n++), step, "wait_" + k, at, 199, "ok", "{}"));
            for (int i = 0; i < CALLS; i++) {
                String id = TraceFixtures.id('a', n++);
                boolean logged = k == 60 && i == 5;
                lines.add(span(id, step, logged ? "logged_call" : "call", at + i, 1,
                        k == 30 && i == 0 ? "error" : "ok", usage));
                if (logged) {
                    loggedCall = id;
                    for (int line = 1; line <= 3; line++) {
                        lines.add("{\"v\":1,\"type\":\"log\",\"timestamp\":\"" + T0.plus(at + i, ChronoUnit.MILLIS)
                                .plusNanos(line * 100_000L) + "\",\"level\":\"INFO\",\"logger\":\"agent\",\"event\":"
                                + "\"tool said " + line + "\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + id
                                + "\",\"attrs\":{}}");
                    }
                }
            }
        }
        for (int from = 0; from < lines.size(); from += 5_000) {
            collector.ingest(lines.subList(from, Math.min(lines.size(), from + 5_000)));
        }
    }

    private static String span(String id, String parent, String name, int at, int ms, String status, String attrs) {
        return span(TRACE, id, parent, name, at, ms, status, attrs);
    }

    private static String span(String trace, String id, String parent, String name, int at, int ms, String status,
            String attrs) {
        Instant start = T0.plus(at, ChronoUnit.MILLIS);
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + id
                + "\",\"parent_span_id\":" + (parent == null ? "null" : "\"" + parent + "\"") + ",\"name\":\"" + name
                + "\",\"node_type\":\"" + (attrs.length() > 2 ? "llm" : "step") + "\",\"start\":\"" + start
                + "\",\"end\":\"" + start.plus(ms, ChronoUnit.MILLIS) + "\",\"status\":\"" + status
                + "\",\"attributes\":" + attrs + "}";
    }

    @Test
    void thePagedTraceShowsItsTotalsCriticalPathAndASpansLogLines() {
        served.openTrace(TRACE);
        browser.withText("#trace-title", "big_run");

        // totals of all 19,800 calls, though the page holds only the first few hundred spans:
        // (1,980,000 - 396,000) × $1.25 + 396,000 × $0.125 + 198,000 × $10 per million = $4.01
        WebElement meta = browser.waitFor(d -> {
            WebElement m = d.findElement(By.id("trace-meta"));
            return m.getText().contains("tokens") ? m : null;
        });
        assertThat(meta.getText()).startsWith("20001 spans · loaded page by page · 3 logs · ")
                .contains(" · 1 errors · 2M in / 198k out tokens (396k cached) · $4.01 · ◆ 200 on the critical path");
        assertThat(served.loadedSpans()).as("spans loaded").isLessThan(1_000);
        // a row sums the loaded spans below it and says when that is not all of them
        assertThat(browser.spanRow("big_run").findElement(By.cssSelector(".usage .tok")).getText()).startsWith("Σ≥ ");

        // the critical path: each step and its wait, not the calls beside them
        WebElement wait = browser.spanRow("wait_0");
        browser.waitFor(d -> !browser.spanRow("wait_0").findElements(By.cssSelector(".critical-mark")).isEmpty());
        assertThat(browser.spanRow("step_0").findElements(By.cssSelector(".critical-mark"))).hasSize(1);
        assertThat(browser.spanRow("call").findElements(By.cssSelector(".critical-mark"))).isEmpty();
        assertThat(wait.isDisplayed()).isTrue();

        // stepping along the path loads the spans not yet in the page (the last step, 20,000 spans down)
        browser.visible(".critical-jump").click();
        browser.withText(".row.selected .name", "step_99");
        browser.visible(".critical-jump").click();
        browser.withText(".row.selected .name", "wait_99");
        assertThat(browser.spanRow("wait_99").findElements(By.cssSelector(".critical-mark"))).hasSize(1);

        // a span's log lines: fetched when it is selected, shown under it in the tree
        browser.script("window.aitraceViewer.openTrace(arguments[0], arguments[1]);", TRACE, loggedCall);
        browser.withText(".row.selected .name", "logged_call");
        browser.waitFor(d -> browser.texts(".log-row").contains("tool said 3"));
        assertThat(browser.texts(".log-row")).contains("tool said 1", "tool said 2", "tool said 3");
        browser.withText("#detail .note", "3 log lines in the tree under this span");
    }

    @Test
    void aBigTracesListRowShowsAPlaceholderUntilTheCollectorHasItsAnswersAndItsPathIsMarkedWhenOpened()
            throws Exception {
        browser.open("about:blank"); // no page of an earlier test asks for the list meanwhile
        // above the collector's bound for answering a row while the list waits (TraceAnswers.INLINE_SPANS, 2,000)
        // and the viewer's for paging a trace (10,000); the children one after the other, so all on the critical
        // path, a path longer than the viewer asks for at once (1,000)
        String trace = "7b".repeat(16);
        String root = TraceFixtures.id('b', 0);
        int children = 12_000;
        List<String> lines = new ArrayList<>();
        lines.add(span(trace, root, null, "long_run", 0, children + 5, "ok", "{}")
                .replace(",\"attributes\"", ",\"input\":{\"question\":\"Summarise the quarter\"},\"attributes\""));
        String usage = "{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":1000,"
                + "\"gen_ai.usage.output_tokens\":100}"; // $0.0035 a call
        for (int i = 1; i <= children; i++) {
            lines.add(span(trace, TraceFixtures.id('b', i), root, i <= 100 ? "call" : "step", i, 1, "ok",
                    i <= 100 ? usage : "{}"));
        }
        for (int from = 0; from < lines.size(); from += 5_000) {
            collector.ingest(lines.subList(from, Math.min(lines.size(), from + 5_000)));
        }

        browser.open(collector.url() + "/");
        WebElement pending = browser.waitFor(d -> {
            WebElement row = browser.traceRow(trace);
            return row.getAttribute("class").contains("answers-pending") ? row : null;
        });
        assertThat(pending.findElement(By.cssSelector(".c-cost")).getText()).isEqualTo("…");
        assertThat(pending.findElement(By.cssSelector(".c-input")).getText()).isEqualTo("…");

        // the list asks again by itself and shows the answers
        browser.waitFor(d -> browser.traceRow(trace).findElement(By.cssSelector(".c-cost")).getText().equals("$0.3500"));
        WebElement row = browser.traceRow(trace);
        assertThat(row.getAttribute("class")).doesNotContain("answers-pending");
        assertThat(row.findElement(By.cssSelector(".c-input")).getText()).contains("Summarise the quarter");

        // opened page by page: the first rows were loaded before the collector walked the path (at the end of
        // it, past the first 1,000 IDs), and are marked all the same
        row.click();
        browser.withText("#trace-title", "long_run");
        browser.withText(".critical-jump", "◆ " + children + " on the critical path");
        browser.waitFor(d -> !browser.spanRow("call").findElements(By.cssSelector(".critical-mark")).isEmpty());
        assertThat(served.loadedSpans()).as("spans loaded").isLessThan(1_000);
    }
}
