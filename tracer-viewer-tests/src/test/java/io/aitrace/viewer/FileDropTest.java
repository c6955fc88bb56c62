package io.aitrace.viewer;

import static io.aitrace.viewer.TraceFixtures.WEATHER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The viewer's page opened from disk with no records: a JSON-lines file dropped onto it (or picked) is read in
 * the browser with the Java reader's merge rules.
 */
class FileDropTest {
    private static Browser browser;
    @TempDir
    static Path dir;
    private static Path page;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        page = ViewerFiles.copyTo(dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aDroppedFileIsReadWithTheMergeRulesAndItsBrokenLinesCounted() throws IOException {
        String started = TraceFixtures.json(TraceFixtures.span(WEATHER, TraceFixtures.id('a', 9), TraceFixtures.id('a', 1),
                "late_step", "step", 1000, null, null));
        String python = "{\"timestamp\":\"2026-11-21T18:00:00.900000Z\",\"level\":\"info\",\"event\":\"llm_start\","
                + "\"trace_id\":\"" + WEATHER + "\",\"span_id\":\"e000000000000001\",\"parent_span_id\":\""
                + TraceFixtures.id('a', 1) + "\",\"model\":\"gpt-4o\"}";
        List<String> lines = new ArrayList<>(TraceFixtures.weather(WEATHER, 'a', false));
        lines.add(1, started.replace("\"late_step\"", "\"early_name\""));
        lines.add(started);
        lines.add(python);
        lines.add("{\"v\":1,\"type\":\"span\",\"trace_id\":\"cut");
        lines.add("not json");
        Path file = TraceFixtures.writeJsonl(dir.resolve("run.jsonl"), lines);
        browser.open(page);
        browser.visible("#view-empty");

        drop(file);

        browser.withText("#trace-title", "weather_agent");
        assertThat(browser.visible("#status").getText())
                .isEqualTo("run.jsonl: 8 spans, 3 logs, 2 unreadable lines skipped");
        WebElement late = browser.spanRow("late_step");
        assertThat(late.getText()).contains("…", "running");
        assertThat(browser.texts(".span-row .name")).doesNotContain("early_name").contains("(span e0000000)");
        assertThat(browser.texts(".log-row .event")).contains("llm_start");
        browser.screenshot("file-drop");
    }

    @Test
    void aPickedFileOpensTooAndShowsTheListWhenItHoldsSeveralTraces() throws IOException {
        Path file = TraceFixtures.writeJsonl(dir.resolve("three.jsonl"), TraceFixtures.threeTraces());
        browser.open(page);

        browser.driver.findElement(org.openqa.selenium.By.id("file2")).sendKeys(file.toString());

        browser.waitFor(d -> browser.all(".trace-row").size() == 3);
        assertThat(browser.texts(".trace-row .c-name .name").lines().toList())
                .containsExactly("news_digest", "weather_agent", "weather_agent");
        browser.screenshot("list");
    }

    /** What a drag from the desktop does: a drop event whose DataTransfer holds the file. */
    private static void drop(Path file) {
        WebElement input = (WebElement) browser.script("const i = document.createElement('input'); i.type = 'file';"
                + " i.id = 'test-drop-source'; document.body.append(i); return i;");
        input.sendKeys(file.toString());
        browser.script("const dt = new DataTransfer(); dt.items.add(arguments[0].files[0]);"
                + " document.querySelector('main').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));"
                + " arguments[0].remove();", input);
    }

}
