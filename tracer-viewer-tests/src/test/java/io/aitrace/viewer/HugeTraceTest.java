package io.aitrace.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * A trace of a million spans stored in the real collector opens in Chromium page by page: the first screen comes
 * from the first page, a span 1,000 levels down is reached by searching inside the trace, a collapsed span with
 * 100,000 children opens and loads them as the tree scrolls, the timeline's slices jump into the tree, and the tab's
 * JavaScript heap stays far below what downloading the trace whole would take.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HugeTraceTest {
    static final int SPANS = 1_000_000;
    static final int CHAIN = 1_000;
    static final int FAN = 100_000;
    static final String TRACE = "4b".repeat(16);
    private static final long HEAP_LIMIT = 500L * 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");
    @RegisterExtension
    static final ServedViewer served = new ServedViewer(null);
    private static Browser browser;
    private static Collector collector;

    @BeforeAll
    static void start() throws Exception {
        browser = served.browser();
        collector = served.collector();
        ingestAMillionSpans(collector);
        // the first page builds the trace's shape, the second is answered from the shape kept
        for (int page = 0; page < 2; page++) {
            assertThat(collector.get("/api/trace/" + TRACE + "?limit=200")).contains("\"span_count\":" + SPANS);
        }
    }

    /**
     * huge_run, with below it: a chain level_1 … level_1000 ending in deep_target; steps of 999 calls each; and
     * last batch / stage / fanout with 100,000 leaves.
     */
    static void ingestAMillionSpans(Collector collector) throws IOException, InterruptedException {
        List<String> batch = new ArrayList<>(10_000);
        int[] n = {0};
        String root = add(collector, batch, n, null, "huge_run", SPANS + 10);
        String parent = root;
        for (int depth = 1; depth <= CHAIN; depth++) {
            parent = add(collector, batch, n, parent, depth == CHAIN ? "deep_target" : "level_" + depth, SPANS);
        }
        String step = null;
        for (int k = 0; n[0] < SPANS - FAN - 3; k++) {
            step = k % 1000 == 0 ? add(collector, batch, n, root, "step_" + k / 1000, 1000) : step;
            if (n[0] < SPANS - FAN - 3) {
                add(collector, batch, n, step, "call", 1);
            }
        }
        String stage = add(collector, batch, n, add(collector, batch, n, root, "batch", FAN + 3), "stage", FAN + 2);
        String fanout = add(collector, batch, n, stage, "fanout", FAN + 1);
        for (int i = 0; i < FAN; i++) {
            add(collector, batch, n, fanout, "leaf_" + i, 1);
        }
        collector.ingest(batch);
    }

    /** A span starting one millisecond after the one before, lasting ms; posts every 10,000. */
    private static String add(Collector collector, List<String> batch, int[] n, String parent, String name, long ms)
            throws IOException, InterruptedException {
        int at = n[0]++;
        String id = TraceFixtures.id('e', at);
        batch.add(record(TRACE, id, parent, name, T0.plus(at, ChronoUnit.MILLIS), ms));
        if (batch.size() == 10_000) {
            collector.ingest(batch);
            batch.clear();
        }
        return id;
    }

    /** A span record with only what the tree needs, written without a JSON library (a million of them). */
    private static String record(String trace, String id, String parent, String name, Instant start, long ms) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + id
                + "\",\"parent_span_id\":" + (parent == null ? "null" : "\"" + parent + "\"") + ",\"name\":\"" + name
                + "\",\"node_type\":\"step\",\"start\":\"" + start + "\",\"end\":\"" + start.plus(ms, ChronoUnit.MILLIS)
                + "\",\"status\":\"ok\"}";
    }

    @Test
    @Order(1)
    void theFirstScreenOfAMillionSpanTraceComesFromItsFirstPage() {
        served.openTrace(TRACE);

        browser.withText("#trace-title", "huge_run");
        browser.spanRow("level_3");
        assertThat(browser.visible("#trace-meta").getText()).startsWith(SPANS + " spans · loaded page by page");
        // read in one wait: the rows are drawn again when the prices and the critical path come, after the first
        // screen, and a row read across that redraw is gone from the page
        String below = browser.waitFor(d -> browser.spanRow("level_3").findElement(By.cssSelector(".below-count"))
                .getText());
        assertThat(below).isEqualTo("997 below");
        assertThat(browser.all(".row").size()).as("rows in the page").isBetween(10, 200);
        assertThat(served.loadedSpans()).as("spans loaded").isLessThan(1_000);
    }

    @Test
    @Order(2)
    void aSpanAThousandLevelsDownIsReachedBySearchingInsideTheTrace() {
        WebElement found = openAndFind("deep_target");

        assertThat(found.findElement(By.cssSelector(".depth-mark")).getText()).isEqualTo("↳" + CHAIN);
        browser.withText("#find-count", "1 of 1");
        browser.withText(".detail-name", "deep_target");
        assertThat(browser.all(".row").size()).as("rows in the page").isBetween(10, 200);
        assertThat(served.loadedSpans()).as("spans loaded").isLessThan(3_000);
    }

    @Test
    @Order(3)
    void aCollapsedSpanWithAHundredThousandChildrenOpensAndLoadsThemWhileScrolling() {
        WebElement fanout = openAndFind("fanout");
        assertThat(fanout.findElement(By.cssSelector(".below-count")).getText()).isEqualTo("100,000 below");

        fanout.findElement(By.cssSelector(".caret")).click();

        browser.spanRow("leaf_0");
        browser.script("const s = document.querySelector('.tree-scroll'); s.scrollTop = s.scrollHeight;");
        browser.spanRow("leaf_200"); // the second page, loaded when the end of the first came into view
        assertThat(browser.all(".row").size()).as("rows in the page").isBetween(10, 200);
    }

    @Test
    @Order(4)
    void aSliceOfTheTimelineOpensItsFirstSpanInTheTree() {
        served.openTrace(TRACE);
        browser.withText("#trace-title", "huge_run");
        browser.visible("#tab-timeline").click();
        browser.waitFor(d -> browser.all(".ov-bin").size() == 400);

        browser.all(".ov-bin").get(200).click();

        WebElement selected = browser.visible(".row.selected .name");
        assertThat(selected.getText()).as("a span that started half way through").matches("call|step_\\d+");
        assertThat(browser.visible("#tree-host").isDisplayed()).isTrue();
    }

    @Test
    @Order(5)
    void theTabsHeapStaysUnderFiveHundredMegabytes() {
        openAndFind("deep_target");

        browser.driver.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
        browser.driver.executeCdpCommand("Performance.enable", Map.of());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) browser.driver
                .executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics");
        long heap = metrics.stream().filter(m -> "JSHeapTotalSize".equals(m.get("name")))
                .mapToLong(m -> ((Number) m.get("value")).longValue()).findFirst().orElseThrow();
        System.out.println("huge trace: JS heap " + heap / (1024 * 1024) + " MB");
        assertThat(heap).isPositive().isLessThan(HEAP_LIMIT);
    }

    @Test
    @Order(6)
    void twoHugeTracesAreComparedOnTheirFirstThousandSpans() throws Exception {
        String other = "4c".repeat(16);
        List<String> lines = new ArrayList<>();
        String root = TraceFixtures.id('f', 0);
        lines.add(record(other, root, null, "huge_run", T0, 30_000));
        for (int i = 1; i <= 20_000; i++) {
            lines.add(record(other, TraceFixtures.id('f', i), root, "call", T0.plus(i, ChronoUnit.MILLIS), 1));
        }
        collector.ingest(lines);
        browser.open(collector.url() + "/");
        browser.traceRow(other);

        browser.script("window.aitraceViewer.compare(arguments[0], arguments[1]);", TRACE, other);

        browser.withText(".cmp-partial", "Compared on the first 1000 spans in tree order of A (" + SPANS
                + " spans) and B (20001 spans); the spans after them are not compared, so rows near that end may show"
                + " as only in one trace.");
        assertThat(browser.all(".cmp-row").size()).as("rows of the table").isBetween(1_000, 2_001);
    }

    /** Opens the trace, finds the words in it once the first screen is there, returns the selected row. */
    private static WebElement openAndFind(String words) {
        served.openTrace(TRACE);
        browser.spanRow("level_3");
        browser.visible("#trace-find").sendKeys(words, Keys.ENTER);
        return browser.withText(".row.selected .name", words).findElement(By.xpath(".."));
    }

}
