package io.aitrace.viewer;

import static io.aitrace.viewer.TraceFixtures.WEATHER;
import static io.aitrace.viewer.TraceFixtures.WEATHER_FAILED;
import static io.aitrace.viewer.TraceFixtures.XSS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** The HTML export opened from disk (file://, no server): list, tree, details, lenses, timeline, compare, search. */
class ExportPageTest {
    private static Browser browser;
    @TempDir
    static Path dir;
    private static Path threeTraces;
    private static Path oneTrace;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        threeTraces = TraceFixtures.export(dir.resolve("three.html"), TraceFixtures.threeTraces(), "three runs");
        oneTrace = TraceFixtures.export(dir.resolve("weather.html"), TraceFixtures.weather(WEATHER, 'a', false),
                "weather_agent · trace " + WEATHER);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theExportOfOneTraceOpensFromDiskStraightIntoItsTree() throws IOException {
        browser.open(oneTrace);

        assertThat(browser.withText("#trace-title", "weather_agent").isDisplayed()).isTrue();
        assertThat(browser.driver.getTitle()).isEqualTo("weather_agent · trace " + WEATHER);
        assertThat(rowNames()).startsWith("weather_agent", "classify_intent", "search", "search", "fetch_forecast", XSS);
        assertThat(browser.texts(".log-row .event")).contains("calling model", "done with <b>warnings</b>");
        assertThat(browser.all("#aitrace-fallback").get(0).isDisplayed()).as("the outline for readers without JavaScript").isFalse();
        browser.screenshot("export-tree");
    }

    @Test
    void theListFiltersByTextErrorsServiceDurationAndAttribute() {
        browser.open(threeTraces);
        waitForListNames("news_digest", "weather_agent", "weather_agent");

        type("#f-q", "news");
        waitForListNames("news_digest");
        type("#f-q", "");
        browser.visible("#f-errors").click();
        waitForListIds(WEATHER_FAILED);
        browser.visible("#f-errors").click();
        type("#f-service", "news-agent");
        waitForListNames("news_digest");
        type("#f-service", "");
        type("#f-min", "2000");
        waitForListNames("news_digest");
        type("#f-min", "");
        type("#f-attr", "gen_ai.conversation.id=conv-42");
        waitForListIds(WEATHER_FAILED);
    }

    @Test
    void openingATraceAndClosingAndOpeningANodeWithMouseAndArrows() {
        browser.open(threeTraces);
        browser.waitFor(d -> browser.all(".trace-row").size() == 3);
        browser.traceRow(WEATHER).click();
        browser.withText("#trace-title", "weather_agent");
        browser.withText(".log-row .event", "calling model");

        browser.spanRow("classify_intent").findElement(By.cssSelector(".caret")).click();
        browser.waitFor(d -> !browser.texts(".log-row .event").contains("calling model"));
        browser.spanRow("classify_intent").findElement(By.cssSelector(".caret")).click();
        browser.withText(".log-row .event", "calling model");

        browser.spanRow("classify_intent").click();
        browser.visible(".tree-scroll").sendKeys(Keys.ARROW_LEFT);
        browser.waitFor(d -> !browser.texts(".log-row .event").contains("calling model"));
        browser.visible(".tree-scroll").sendKeys(Keys.ARROW_RIGHT);
        browser.withText(".log-row .event", "calling model");
        browser.visible(".tree-scroll").sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN);
        browser.waitFor(d -> selectedName().equals("search"));
        assertThat(browser.visible("#detail .detail-name").getText()).isEqualTo("search");
    }

    @Test
    void simpleValuesShowAsChipsAndComplexOnesAsJsonTreesOpenToDepthTwo() throws IOException {
        browser.open(fileUrl(threeTraces) + "#trace=" + WEATHER_FAILED);
        browser.spanRow("search").click();

        WebElement input = browser.withText("#detail .fields h4", "INPUT").findElement(By.xpath(".."));
        assertThat(input.findElement(By.cssSelector(".chip")).getText()).isEqualTo("q\nParis weather");
        WebElement options = input.findElement(By.cssSelector(".json"));
        assertThat(options.getText()).contains("\"lang\": \"en\"", "\"filters\"", "\"site\"", "[1 item]")
                .doesNotContain("meteo.fr");
        assertThat(options.findElements(By.cssSelector("button")).stream().map(WebElement::getText))
                .containsExactly("copy", "download");
        WebElement site = options.findElements(By.cssSelector(".jt-sum")).stream()
                .filter(e -> e.getText().equals("[1 item]")).findFirst().orElseThrow();
        site.click();
        browser.waitFor(d -> options.getText().contains("\"meteo.fr\""));
        assertThat(browser.visible("#detail .error-box").getText())
                .contains("java.io.IOException: search timed out", "at com.acme.Search.query(Search.java:42)");
        browser.screenshot("details");
    }

    @Test
    void anLlmSpanShowsItsConversationModelAndTokens() throws IOException {
        browser.open(fileUrl(threeTraces) + "#trace=" + WEATHER);
        browser.spanRow("classify_intent").click();

        WebElement lens = browser.visible("#detail .lens-llm");
        assertThat(lens.findElements(By.cssSelector(".chip")).stream().map(WebElement::getText)).containsExactly(
                "model\ngpt-4o", "response model\ngpt-4o-2024-08-06", "input tokens\n52", "output tokens\n7");
        assertThat(lens.findElements(By.cssSelector(".msg")).stream().map(WebElement::getText)).containsExactly(
                "SYSTEM\nClassify the user's intent.", "USER\nWhat's the weather in Paris?", "ASSISTANT\nweather_lookup\n→ forecast({\"city\":\"Paris\"})  [call_1]");
        browser.screenshot("llm-lens");
    }

    @Test
    void clickingABarOfTheTimelineSelectsItsSpanInTheTree() throws IOException {
        browser.open(fileUrl(threeTraces) + "#trace=" + WEATHER);
        browser.visible("#tab-timeline").click();
        WebElement bar = browser.visible(".tl-bar[data-span-id='" + TraceFixtures.id('a', 5) + "']");
        assertThat(browser.all(".tl-bar.critical")).extracting(WebElement::getText).contains("weather_agent", XSS);
        browser.screenshot("timeline");

        bar.click();

        browser.visible("#tree-host .tree-scroll");
        browser.waitFor(d -> selectedName().equals("fetch_forecast"));
        assertThat(browser.visible("#detail .detail-name").getText()).isEqualTo("fetch_forecast");
    }

    @Test
    void compareMarksTheSearchWhoseStatusChanged() throws IOException {
        browser.open(threeTraces);
        browser.waitFor(d -> browser.all(".trace-row").size() == 3);
        pick(WEATHER_FAILED);
        pick(WEATHER);
        browser.visible("#compare").click();

        WebElement changed = browser.waitFor(d -> browser.all(".cmp-row.cmp-status").stream().findFirst().orElse(null));
        assertThat(changed.getText()).contains("search", "error → ok", "output changed");
        assertThat(browser.all(".cmp-row.cmp-status")).hasSize(1);
        assertThat(browser.visible(".cmp-verdict").getText()).isEqualTo("Different: 1 status change, 1 output change.");
        browser.screenshot("compare");
    }

    @Test
    void aSpanNamedLikeMarkupShowsThoseCharactersAndRunsNothing() throws IOException {
        browser.open(fileUrl(threeTraces) + "#trace=" + WEATHER);

        browser.spanRow(XSS).click();

        assertThat(browser.visible("#detail .detail-name").getText()).isEqualTo(XSS);
        assertThat(browser.visible("#detail .fields .chip").getText()).isEqualTo("html\n</script><script>alert(2)</script>");
        assertThat(browser.all("img")).isEmpty();
        assertThat(alertShown()).isFalse();
    }

    @Test
    void aSearchHitIsHighlightedAndOpensTheTraceAtTheHit() throws IOException {
        browser.open(threeTraces);
        browser.waitFor(d -> browser.all(".trace-row").size() == 3);
        browser.driver.findElement(By.tagName("body")).sendKeys("/");
        browser.waitFor(d -> "search".equals(d.switchTo().activeElement().getAttribute("id")));
        browser.driver.switchTo().activeElement().sendKeys("timed out", Keys.ENTER);

        WebElement hit = browser.visible(".hit");
        assertThat(hit.findElement(By.cssSelector("mark")).getText()).isEqualTo("timed out");
        assertThat(browser.all(".hit")).hasSize(1);
        browser.screenshot("search");
        hit.click();

        browser.waitFor(d -> selectedName().equals("search"));
        assertThat(browser.visible("#trace-id").getText()).isEqualTo(WEATHER_FAILED);
        assertThat(browser.visible("#detail .error-box").getText()).contains("search timed out");
    }

    @Test
    void anEdgeBadgeJumpsToTheSpanItPointsAt() throws IOException {
        browser.open(fileUrl(threeTraces) + "#trace=" + WEATHER_FAILED);

        browser.visible(".span-row .edge-badge").click();

        browser.waitFor(d -> browser.all(".row.selected").size() == 1
                && TraceFixtures.id('b', 3).equals(browser.all(".row.selected").get(0).getAttribute("data-span-id")));
        assertThat(browser.visible("#detail .error-box").getText()).contains("search timed out");
    }

    @Test
    void relativeTimesAreASettingThatSticks() throws IOException {
        browser.open(fileUrl(threeTraces) + "#trace=" + WEATHER);
        browser.spanRow("classify_intent");
        if (browser.visible("#relative").isSelected()) {
            browser.visible("#relative").click();
        }
        browser.waitFor(d -> browser.spanRow("classify_intent").findElement(By.cssSelector(".time")).getText()
                .equals("2026-11-21T18:00:00.010000Z"));

        browser.visible("#relative").click();
        browser.waitFor(d -> browser.spanRow("classify_intent").findElement(By.cssSelector(".time")).getText().equals("+10.0 ms"));
        browser.driver.navigate().refresh();

        browser.waitFor(d -> browser.spanRow("classify_intent").findElement(By.cssSelector(".time")).getText().equals("+10.0 ms"));
        assertThat(browser.visible("#relative").isSelected()).isTrue();
        browser.visible("#relative").click();
    }

    // ---- helpers

    private static String fileUrl(Path file) {
        return file.toUri().toString();
    }


    private static java.util.List<String> rowNames() {
        browser.visible(".span-row");
        return browser.all(".span-row .name").stream().map(WebElement::getText).toList();
    }

    private static String selectedName() {
        return browser.all(".row.selected .name").stream().map(WebElement::getText).findFirst().orElse("");
    }

    private static void type(String css, String text) {
        WebElement field = browser.visible(css);
        field.clear();
        if (!text.isEmpty()) {
            field.sendKeys(text);
        } else {
            browser.script("arguments[0].dispatchEvent(new Event('input'))", field);
        }
    }

    private static void waitForListNames(String... names) {
        browser.waitFor(d -> browser.all(".trace-row .c-name .name").stream().map(WebElement::getText).toList()
                .equals(java.util.List.of(names)));
    }

    private static void waitForListIds(String... ids) {
        browser.waitFor(d -> browser.all(".trace-row").stream().map(r -> r.getAttribute("data-trace-id")).toList()
                .equals(java.util.List.of(ids)));
    }

    private static void pick(String traceId) {
        browser.traceRow(traceId).findElement(By.cssSelector(".pick")).click();
    }

    private static boolean alertShown() {
        try {
            browser.driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }
}
