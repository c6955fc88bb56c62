package io.aitrace.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/** The timeline in a 1024 px wide window, on a run of many short tool calls and a few long model calls. */
class TimelineTest {
    static final String RUN = "7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c";
    /**
     * Every problem a reader would see: a text cut by its box or the track (unless shortened with an ellipsis and
     * whole in the tooltip), or two texts drawn over each other.
     */
    private static final String CUT_TEXTS = """
            const problems = [];
            const box = (e) => e.getBoundingClientRect();
            const cut = (e) => e.scrollWidth > e.clientWidth;
            const overlap = (a, b) => a.left < b.right && b.left < a.right;
            const axis = box(document.querySelector('.tl-axis'));
            const ticks = [...document.querySelectorAll('.tl-tick')];
            ticks.forEach((t, i) => {
              const r = box(t);
              if (r.left < axis.left || r.right > axis.right || r.bottom > axis.bottom) problems.push('tick cut: ' + t.textContent);
              if (i > 0 && overlap(box(ticks[i - 1]), r)) problems.push('ticks overlap: ' + t.textContent);
            });
            for (const label of document.querySelectorAll('.tl-label')) if (cut(label)) problems.push('row label cut: ' + label.textContent);
            for (const track of document.querySelectorAll('.tl-track')) {
              const t = box(track), shown = [];
              for (const bar of track.querySelectorAll('.tl-bar')) {
                const text = bar.querySelector('.tl-text');
                if (getComputedStyle(text).display === 'none') continue;
                const r = box(text), b = box(bar);
                const outside = bar.classList.contains('label-right') || bar.classList.contains('label-left');
                if (r.left < t.left - 0.5 || r.right > t.right + 0.5) problems.push('label off the track: ' + text.textContent);
                if (bar.classList.contains('label-short')) {
                  if (getComputedStyle(text).textOverflow !== 'ellipsis' || !bar.title.startsWith(text.textContent + ' ·'))
                    problems.push('label shortened without ellipsis or tooltip: ' + text.textContent);
                } else if (cut(text)) problems.push('label cut: ' + text.textContent);
                if (!outside && (r.left < b.left - 0.5 || r.right > b.right + 0.5)) problems.push('label cut by its bar: ' + text.textContent);
                if (outside) for (const other of track.querySelectorAll('.tl-bar')) {
                  if (other !== bar && overlap(box(other), r)) problems.push('label over a bar: ' + text.textContent);
                }
                for (const s of shown) if (overlap(s, r)) problems.push('labels overlap: ' + text.textContent);
                shown.push(r);
              }
            }
            return problems;""";
    private static Browser browser;
    @TempDir
    static Path dir;
    private static Path page;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        browser.driver.manage().window().setSize(new Dimension(1024, 768));
        page = TraceFixtures.export(dir.resolve("timeline.html"), manyShortAndAFewLong(), "timeline");
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    /**
     * A 95 s agent run: a 30 s plan, 40 fetches of 20-60 ms, a 45 s summary that first counts tokens (30 ms), and a
     * 1 s check ending with a 50 ms citation lookup.
     */
    static List<String> manyShortAndAFewLong() {
        String root = TraceFixtures.id('e', 1);
        List<String> out = new ArrayList<>();
        out.add(TraceFixtures.json(TraceFixtures.span(RUN, root, null, "research_agent", "agent", 0, 95_000.0, "ok")));
        out.add(TraceFixtures.json(TraceFixtures.span(RUN, TraceFixtures.id('e', 2), root, "plan_with_large_model",
                "llm", 0, 30_000.0, "ok")));
        for (int i = 0; i < 40; i++) {
            out.add(TraceFixtures.json(TraceFixtures.span(RUN, TraceFixtures.id('e', 10 + i), root,
                    "fetch_document_" + i, "tool", 30_000 + i * 400, 20.0 + i, i == 7 ? "error" : "ok")));
        }
        String summary = TraceFixtures.id('e', 3);
        out.add(TraceFixtures.json(TraceFixtures.span(RUN, summary, root, "summarize_sources", "llm", 47_000,
                45_000.0, "ok")));
        out.add(TraceFixtures.json(TraceFixtures.span(RUN, TraceFixtures.id('e', 5), summary, "count_tokens", "step",
                47_000, 30.0, "ok")));
        String check = TraceFixtures.id('e', 4);
        out.add(TraceFixtures.json(TraceFixtures.span(RUN, check, root, "check", "guardrail", 93_000, 1_000.0, "ok")));
        out.add(TraceFixtures.json(TraceFixtures.span(RUN, TraceFixtures.id('e', 6), check, "lookup_citations", "tool",
                93_950, 50.0, "ok")));
        return out;
    }

    private static WebElement bar(int n) {
        return browser.visible(".tl-bar[data-span-id='" + TraceFixtures.id('e', n) + "']");
    }

    @Test
    void at1024PixelsNoLabelIsCutAndShortBarsAreLabelledOutside() throws IOException {
        browser.open(page.toUri() + "#trace=" + RUN);
        browser.visible("#tab-timeline").click();
        browser.visible(".tl-bar");
        browser.screenshot("timeline-1024");

        assertThat(browser.script(CUT_TEXTS)).asList().isEmpty();
        assertThat(bar(3).getAttribute("class")).as("a long bar").doesNotContain("label-");
        assertThat(bar(3).getText()).isEqualTo("summarize_sources");
        assertThat(bar(2).getAttribute("class")).as("a bar a bit short for its name").contains("label-short");
        assertThat(bar(2).getAttribute("title")).startsWith("plan_with_large_model · 30.00 s");
        WebElement shortBar = bar(5);
        assertThat(shortBar.getAttribute("class")).contains("label-right");
        WebElement text = shortBar.findElement(By.cssSelector(".tl-text"));
        assertThat(text.getText()).isEqualTo("count_tokens");
        assertThat(text.getRect().getX()).isGreaterThanOrEqualTo(shortBar.getRect().getX() + shortBar.getRect().getWidth());
        WebElement atTheEnd = bar(6);
        assertThat(atTheEnd.getAttribute("class")).as("no room on the right").contains("label-left");
        assertThat(atTheEnd.findElement(By.cssSelector(".tl-text")).getRect().getX()
                + atTheEnd.findElement(By.cssSelector(".tl-text")).getRect().getWidth())
                .isLessThanOrEqualTo(atTheEnd.getRect().getX());
    }

    @Test
    void theAxisShowsRoundTimesWithTheirUnit() {
        browser.open(page.toUri() + "#trace=" + RUN);
        browser.visible("#tab-timeline").click();
        browser.visible(".tl-bar");

        assertThat(browser.all(".tl-tick")).extracting(WebElement::getText).containsExactly("0 s", "30 s", "60 s", "90 s");

        browser.driver.manage().window().setSize(new Dimension(1600, 768));
        browser.waitFor(d -> browser.all(".tl-tick").size() > 4);
        assertThat(browser.all(".tl-tick")).extracting(WebElement::getText).allMatch(t -> t.matches("\\d+ s"));
        assertThat(browser.script(CUT_TEXTS)).asList().isEmpty();
        browser.driver.manage().window().setSize(new Dimension(1024, 768));
    }
}
