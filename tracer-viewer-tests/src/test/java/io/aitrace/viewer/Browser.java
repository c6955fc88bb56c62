package io.aitrace.viewer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class, driven through Debian's chromedriver (nothing is downloaded).
 * Where Chromium is missing (a developer machine) the test class is skipped with a message saying so.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("aitrace.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("aitrace.chromedriver", "/usr/bin/chromedriver"));
    /** How long a condition may take before the test fails. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium, or skips the calling test class when it is not installed. */
    static Browser start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                        + " is missing (apt-get install chromium chromium-driver)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("aitrace-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(PATIENCE);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
        return new Browser(driver, profile);
    }

    /** Loads the page afresh (going by about:blank, so that a URL differing only in its #hash loads too). */
    void open(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    void open(Path file) {
        open(file.toUri().toString());
    }

    /** Waits until the condition holds (non-null, non-false), failing after {@link #PATIENCE}. */
    <T> T waitFor(Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // the tree redraws its rows as it scrolls
        return wait.until(condition);
    }

    /** The first visible element matching the CSS selector, waiting for it. */
    WebElement visible(String css) {
        return waitFor(d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst()
                .orElse(null));
    }

    /** Waits until an element matching the selector shows exactly this text; returns it. */
    WebElement withText(String css, String text) {
        return waitFor(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.isDisplayed() && e.getText().equals(text)).findFirst().orElse(null));
    }

    /** The tree row of the span with this name, waiting for it. */
    WebElement spanRow(String name) {
        return waitFor(d -> all(".span-row").stream()
                .filter(r -> r.findElement(By.cssSelector(".name")).getText().equals(name)).findFirst().orElse(null));
    }

    /** The row of the trace list showing this trace, waiting for it. */
    WebElement traceRow(String traceId) {
        return waitFor(d -> all(".trace-row").stream().filter(r -> traceId.equals(r.getAttribute("data-trace-id")))
                .findFirst().orElse(null));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** The text of every element matching the selector, one per line. */
    String texts(String css) {
        StringBuilder out = new StringBuilder();
        for (WebElement e : all(css)) {
            out.append(e.getText()).append('\n');
        }
        return out.toString();
    }

    /** Saves a screenshot of the window when screenshots are asked for ({@code -Daitrace.screenshots=dir}). */
    void screenshot(String name) throws IOException {
        String dir = System.getProperty("aitrace.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).resolve(name + ".png");
        Files.createDirectories(target.getParent());
        Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            Folders.delete(profile);
        }
    }
}
