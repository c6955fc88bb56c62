package io.aitrace.viewer;

import static io.aitrace.viewer.TraceFixtures.WEATHER;
import static io.aitrace.viewer.TraceFixtures.WEATHER_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The viewer served by the real collector at {@code /}, reading its JSON API and its event stream. */
class ServedPageTest {
    private static final String LIVE = "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a";
    @RegisterExtension
    static final ServedViewer served = new ServedViewer("s3cret");
    private static Browser browser;
    private static Collector collector;

    @BeforeAll
    static void start() throws Exception {
        browser = served.browser();
        collector = served.collector();
        collector.ingest(TraceFixtures.threeTraces());
    }

    @Test
    void theListComesFromTheApiAndFiltersThere() {
        browser.open(collector.url() + "/#token=s3cret");

        waitForTheThreeTraces();
        assertThat(traceIds()).as("newest first").containsSubsequence(TraceFixtures.NEWS, WEATHER, WEATHER_FAILED);
        browser.visible("#f-errors").click();
        browser.waitFor(d -> browser.all(".trace-row").size() == 1);
        assertThat(browser.all(".trace-row").get(0).getAttribute("data-trace-id")).isEqualTo(WEATHER_FAILED);
        browser.visible("#f-errors").click();
        browser.visible("#f-service").sendKeys("news-agent");
        browser.waitFor(d -> browser.texts(".trace-row .c-name .name").equals("news_digest\n"));
    }

    @Test
    void openingATraceFromTheListShowsItsTreeAndDetails() throws IOException {
        browser.open(collector.url() + "/#token=s3cret");
        waitForTheThreeTraces();
        browser.traceRow(WEATHER).click();

        browser.withText("#trace-title", "weather_agent");
        browser.spanRow("classify_intent").click();
        assertThat(browser.visible("#detail .lens-llm").getText()).contains("gpt-4o", "What's the weather in Paris?");
        browser.screenshot("served-trace");
    }

    @Test
    void aSearchHitFromTheApiOpensTheTraceAtTheHit() {
        browser.open(collector.url() + "/#token=s3cret");
        waitForTheThreeTraces();
        browser.visible("#search").sendKeys("meteo", Keys.ENTER);

        WebElement hit = browser.visible(".hit");
        assertThat(hit.findElements(By.cssSelector("mark")).stream().map(WebElement::getText)).contains("meteo");
        hit.click();

        browser.waitFor(d -> browser.all(".row.selected .name").stream().anyMatch(e -> e.getText().equals("search")));
    }

    @Test
    void withLiveOnASpanThatStartsAfterThePageLoadedAppearsRunningAndThenCompletes() throws Exception {
        collector.ingest(List.of(TraceFixtures.json(
                TraceFixtures.span(LIVE, TraceFixtures.id('f', 1), null, "live_agent", "agent", 0, null, null))));
        browser.open(collector.url() + "/#token=s3cret");
        browser.waitFor(d -> browser.all(".trace-row").stream().anyMatch(r -> LIVE.equals(r.getAttribute("data-trace-id"))));
        if (!browser.visible("#live").isSelected()) {
            browser.visible("#live").click();
        }
        browser.traceRow(LIVE).click();
        browser.withText("#trace-title", "live_agent");
        browser.withText("#status", "live");

        Map<String, Object> step = TraceFixtures.span(LIVE, TraceFixtures.id('f', 2), TraceFixtures.id('f', 1),
                "late_tool_call", "tool", 50, null, null);
        collector.ingest(List.of(TraceFixtures.json(step)));

        WebElement running = browser.spanRow("late_tool_call");
        assertThat(running.getText()).contains("…", "running");
        browser.screenshot("live");
        collector.ingest(List.of(TraceFixtures.json(TraceFixtures.span(LIVE, TraceFixtures.id('f', 2),
                TraceFixtures.id('f', 1), "late_tool_call", "tool", 50, 25.0, "ok"))));
        browser.waitFor(d -> browser.spanRow("late_tool_call").getText().contains("✓")
                && browser.spanRow("late_tool_call").getText().contains("25 ms"));
        browser.visible("#live").click();
    }

    @Test
    void withoutTheTokenThePageSaysWhatTheCollectorAnsweredAndTakesTheToken() {
        browser.open(collector.url() + "/");
        browser.script("sessionStorage.clear()");
        browser.open(collector.url() + "/?fresh");

        browser.waitFor(d -> browser.visible("#status").getText().contains("401"));
        assertThat(browser.all(".trace-row")).isEmpty();
        browser.visible("#token").sendKeys("s3cret", Keys.ENTER);

        waitForTheThreeTraces();
    }

    @Test
    void aPageOpenedOnATraceDrawsItFirstAndShowsTheListOnTheWayBack() {
        browser.open(collector.url() + "/");
        browser.script("sessionStorage.clear()");
        // the token in the address: the first page asked for before the scripts ran lacked it, and is asked again
        browser.open(collector.url() + "/#trace=" + WEATHER + "&token=s3cret");

        browser.withText("#trace-title", "weather_agent");
        browser.spanRow("classify_intent");
        assertThat(browser.all(".trace-row")).as("the list, not asked for yet").isEmpty();
        browser.visible("#back").click();
        waitForTheThreeTraces();

        browser.open(collector.url() + "/#trace=" + "0f".repeat(16));
        browser.waitFor(d -> browser.visible("#status").getText().contains("404"));
        waitForTheThreeTraces(); // a trace that cannot be shown leaves the list
        assertThat(browser.visible("#view-list").isDisplayed()).isTrue();
    }

    /** The live test adds a fourth trace; the others need not care whether it ran first. */
    private static void waitForTheThreeTraces() {
        browser.waitFor(d -> traceIds().containsAll(List.of(TraceFixtures.NEWS, WEATHER, WEATHER_FAILED)));
    }

    private static List<String> traceIds() {
        return browser.all(".trace-row").stream().map(r -> r.getAttribute("data-trace-id")).toList();
    }

}
