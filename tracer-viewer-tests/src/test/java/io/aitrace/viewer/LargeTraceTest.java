package io.aitrace.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/** A trace of 100,000 spans opens, and moving to its end keeps only the rows in view in the page. */
class LargeTraceTest {
    private static final int SPANS = 100_000;
    private static final String TRACE = "9f".repeat(16);
    private static Browser browser;
    @TempDir
    static Path dir;
    private static Path export;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        export = TraceFixtures.export(dir.resolve("large.html"), TraceFixtures.large(TRACE, SPANS), "large");
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aTraceOfOneHundredThousandSpansOpensAndScrollsToItsLastSpan() throws IOException {
        browser.open(export);

        browser.withText("#trace-title", "big_run");
        assertThat(browser.visible("#trace-meta").getText()).startsWith(SPANS + " spans");
        assertThat(browser.all(".row").size()).as("rows in the page").isBetween(10, 200);

        browser.visible(".tree-scroll").sendKeys(Keys.END);

        browser.withText(".row.selected .name", "last_span");
        assertThat(browser.all(".row").size()).as("rows in the page").isBetween(10, 200);
        Object openMs = browser.script("return Math.round(performance.now());");
        System.out.println("large trace: " + SPANS + " spans, page open and at the last span after " + openMs + " ms");
        browser.screenshot("large-trace");
    }

    @Test
    void findInTheTraceGoesToEachSpanHoldingTheTextInTurn() {
        browser.open(export);
        browser.withText("#trace-title", "big_run");

        browser.visible("#trace-find").sendKeys("step_99", Keys.ENTER);

        browser.withText(".row.selected .name", "step_9901");
        browser.withText("#find-count", "1 of 11");
        browser.visible("#trace-find").sendKeys(Keys.ENTER);
        browser.withText(".row.selected .name", "step_99001");
        browser.withText("#find-count", "2 of 11");
        browser.visible("#trace-find").sendKeys(Keys.chord(Keys.CONTROL, "a"), "no such words", Keys.ENTER);
        browser.withText("#find-count", "no span holds “no such words”");
    }

    @Test
    void closingTheRootOfTheLargeTraceLeavesOneRow() {
        browser.open(export);
        browser.withText("#trace-title", "big_run");
        browser.visible(".tree-scroll").sendKeys(Keys.HOME, Keys.ARROW_LEFT);

        browser.waitFor(d -> browser.all(".row").size() == 1);
        browser.visible(".tree-scroll").sendKeys(Keys.ARROW_RIGHT);
        browser.waitFor(d -> browser.all(".row").size() > 10);
    }
}
