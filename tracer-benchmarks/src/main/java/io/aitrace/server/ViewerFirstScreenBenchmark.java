package io.aitrace.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The viewer's first screen of a huge trace (issue 18's goal: 100,000 spans in under 1 s, 1,000,000 in under 2 s):
 * headless Chromium navigates to {@code /#trace={id}} on a collector holding one trace of {@code spans} spans, and
 * an operation ends when the tree's first rows are drawn (a DOM condition, watched in the page from its start). {@code shape} says whether the collector has the trace's shape kept from an earlier opening
 * ({@code kept}), or must build it for this opening ({@code never-opened}: the trace's summary row is touched
 * before each operation, as a span stored since would, so the kept shape no longer counts).
 *
 * <p>Besides the wall time of each operation (WebDriver's navigation and the wait included), three secondary
 * results: {@code pageMs}, the same moment measured inside the page from its navigation start
 * ({@code performance.now()}); {@code heapMb}, the tab's JavaScript heap in use at that moment
 * ({@code performance.memory}, precise with {@code --enable-precise-memory-info}); and {@code collectorCpuMs}, the
 * CPU time this JVM (the collector) spent in the operation. One operation is one iteration, and JMH sums secondary
 * results over the iterations: read their {@code (min, avg, max)} line, or the average in the table divided by
 * the iterations. The trace (an agent run: steps of 999 calls each) is written straight into
 * a database with the collector's schema once and kept in {@code java.io.tmpdir} for later runs (storing a million
 * spans through ingest takes minutes); each trial works on a copy of it.
 *
 * <pre>
 * mvn -B -ntp -q -Pbench -pl tracer-benchmarks -am package -DskipTests
 * java -jar tracer-benchmarks/target/benchmarks.jar ViewerFirstScreenBenchmark
 * </pre>
 *
 * Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (or {@code -Daitrace.chromium},
 * {@code -Daitrace.chromedriver}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3)
@Measurement(iterations = 8)
public class ViewerFirstScreenBenchmark {
    static final String TRACE = "5d".repeat(16);
    /** Rows the first screen shows at the least (the window is 900 pixels high). */
    static final int ROWS = 10;
    private static final String CHROMIUM = System.getProperty("aitrace.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("aitrace.chromedriver", "/usr/bin/chromedriver");
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");
    /**
     * Run in the page before its own scripts: notes the page's clock and JavaScript heap in the first frame drawn
     * with at least {@link #ROWS} rows of the tree in the DOM.
     */
    private static final String WATCH_ROWS = "new MutationObserver((changes, watch) => {"
            + " if (document.querySelectorAll('#tree-host .span-row').length < " + ROWS + ") return;"
            + " watch.disconnect();"
            + " requestAnimationFrame(() => { window.aitraceFirstRows = [performance.now(),"
            + " performance.memory.usedJSHeapSize]; });"
            + "}).observe(document, {childList: true, subtree: true});";
    /** Resolves with what {@link #WATCH_ROWS} noted, once it has. */
    private static final String FIRST_ROWS = "const done = arguments[arguments.length - 1];"
            + "const check = () => window.aitraceFirstRows ? done(window.aitraceFirstRows) : setTimeout(check, 5);"
            + "check();";

    @Param({"100000", "1000000"})
    public int spans;

    @Param({"never-opened", "kept"})
    public String shape;

    private Path dir;
    private AitraceServer server;
    private Connection db;
    private ChromeDriver chromium;
    private Path profile;
    private String url;
    private long touched;

    /** Secondary results of an operation (one operation an iteration, so each is that operation's figure). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Tab {
        /** Milliseconds from the page's navigation start to the first rows drawn, measured in the page. */
        public double pageMs;
        /** The tab's JavaScript heap in use when the first rows are drawn, in MiB. */
        public double heapMb;
        /**
         * CPU time of this JVM (the collector, and WebDriver's client) during the operation: steadier than wall
         * time on a busy machine.
         */
        public double collectorCpuMs;
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("viewer-first-screen");
        Path file = dir.resolve("logs.db");
        Files.copy(store(spans), file, StandardCopyOption.REPLACE_EXISTING);
        server = AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(0).database(file).build());
        db = DriverManager.getConnection("jdbc:sqlite:" + file);
        db.createStatement().execute("PRAGMA busy_timeout = 10000");
        url = server.url() + "/#trace=" + TRACE;
        profile = Files.createTempDirectory("viewer-first-screen-chromium");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--enable-precise-memory-info",
                "--user-data-dir=" + profile);
        chromium = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build(), options);
        chromium.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        chromium.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        chromium.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH_ROWS));
        touched = System.currentTimeMillis() * 1000;
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            chromium.quit();
        } finally {
            server.close();
            db.close();
            delete(profile);
            delete(dir);
        }
    }

    /**
     * Before each operation: a blank tab (nothing of the viewer cached in its memory; the browser's HTTP cache
     * stays, as for a user opening a second trace) and the shape kept or not, as {@code shape} says.
     */
    @Setup(Level.Invocation)
    public void blank() throws Exception {
        chromium.get("about:blank");
        if (shape.equals("never-opened")) {
            try (Statement sql = db.createStatement()) {
                sql.executeUpdate("UPDATE traces SET updated_us = " + ++touched + " WHERE trace_id = '" + TRACE + "'");
            }
        } else {
            HttpResponse<Void> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/api/trace/" + TRACE + "?limit=200")).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (first.statusCode() != 200) {
                throw new IllegalStateException("first page: HTTP " + first.statusCode());
            }
        }
    }

    @Benchmark
    public Object firstScreen(Tab tab) {
        long cpu = PROCESS.getProcessCpuTime();
        chromium.get(url);
        List<?> drawn = (List<?>) chromium.executeAsyncScript(FIRST_ROWS);
        tab.collectorCpuMs += (PROCESS.getProcessCpuTime() - cpu) / 1e6;
        tab.pageMs += ((Number) drawn.get(0)).doubleValue();
        tab.heapMb += ((Number) drawn.get(1)).doubleValue() / (1024 * 1024);
        return drawn;
    }

    /** What the page waited for: its resources' timings, in ms from navigation start, and their sizes. */
    private static final String TIMINGS = "const n = performance.getEntriesByType('navigation')[0];"
            + "const out = ['navigation: response ' + n.responseEnd.toFixed(0) + ', DOM loaded '"
            + " + n.domContentLoadedEventEnd.toFixed(0) + ', load ' + n.loadEventEnd.toFixed(0)];"
            + "for (const r of performance.getEntriesByType('resource')) out.push(r.name.replace(location.origin, '')"
            + " + ': ' + r.startTime.toFixed(0) + ' -> first byte ' + r.responseStart.toFixed(0) + ' -> end '"
            + " + r.responseEnd.toFixed(0) + ', ' + r.encodedBodySize + ' bytes');"
            + "return out.join('\\n');";

    /**
     * Opens the trace {@code rounds} times with the shape as {@code shape} says and prints, for each opening, when
     * the first rows were drawn and what the page fetched until then: {@code java -cp benchmarks.jar
     * io.aitrace.server.ViewerFirstScreenBenchmark [spans [never-opened|kept [rounds]]]}.
     */
    public static void main(String[] args) throws Exception {
        ViewerFirstScreenBenchmark bench = new ViewerFirstScreenBenchmark();
        bench.spans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        bench.shape = args.length > 1 ? args[1] : "never-opened";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        bench.start();
        try {
            for (int round = 1; round <= rounds; round++) {
                bench.blank();
                long wall = System.nanoTime();
                Tab tab = new Tab();
                bench.firstScreen(tab);
                long drawn = System.nanoTime();
                Thread.sleep(3000); // the requests still open when the rows were drawn: listed once they end
                System.out.printf("round %d, %,d spans, %s: first rows after %.0f ms (page clock; %d ms wall),"
                        + " heap %.1f MiB, collector CPU %.0f ms%n%s%n", round, bench.spans, bench.shape, tab.pageMs,
                        (drawn - wall) / 1_000_000, tab.heapMb, tab.collectorCpuMs,
                        bench.chromium.executeScript(TIMINGS));
            }
        } finally {
            bench.stop();
        }
    }

    /** The database holding the trace of this many spans, written on first use and then kept in the temp dir. */
    static Path store(int spans) throws SQLException, IOException {
        Path kept = Path.of(System.getProperty("java.io.tmpdir"), "aitrace-viewer-first-screen-" + spans + ".db");
        if (!Files.exists(kept)) {
            Path partial = kept.resolveSibling(kept.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            new Store(partial, rows -> { }).close();
            fill(partial, spans);
            Files.move(partial, kept, StandardCopyOption.ATOMIC_MOVE);
        }
        return kept;
    }

    /**
     * One trace: agent_run, below it steps of 999 calls each (llm_call and tool_call in turn, every 97th failing),
     * a span starting each millisecond; and its summary row, so that the collector keeps the shape it builds.
     */
    private static void fill(Path file, int spans) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            db.setAutoCommit(false);
            String root = id(0);
            long t0 = T0.toEpochMilli() * 1000;
            int errors = 0;
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO spans (trace_id, span_id,"
                    + " parent_span_id, name, service, status, start_us, end_us, ended, record)"
                    + " VALUES (?, ?, ?, ?, 'agent', ?, ?, ?, 1, ?)")) {
                String step = null;
                for (int i = 0; i < spans; i++) {
                    String parent;
                    String name;
                    long ms;
                    if (i == 0) {
                        parent = null;
                        name = "agent_run";
                        ms = spans + 10L;
                    } else if (i % 1000 == 1) {
                        parent = root;
                        name = "step_" + i / 1000;
                        ms = 1000;
                        step = id(i);
                    } else {
                        parent = step;
                        name = i % 2 == 0 ? "llm_call" : "tool_call";
                        ms = 1;
                    }
                    String status = i % 97 == 96 ? "error" : "ok";
                    errors += status.equals("error") ? 1 : 0;
                    Instant start = T0.plusMillis(i);
                    insert.setString(1, TRACE);
                    insert.setString(2, id(i));
                    insert.setString(3, parent);
                    insert.setString(4, name);
                    insert.setString(5, status);
                    insert.setLong(6, t0 + i * 1000L);
                    insert.setLong(7, t0 + (i + ms) * 1000L);
                    insert.setString(8, "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\""
                            + id(i) + "\",\"parent_span_id\":" + (parent == null ? "null" : "\"" + parent + "\"")
                            + ",\"name\":\"" + name + "\",\"node_type\":\"step\",\"service\":\"agent\",\"start\":\""
                            + start + "\",\"end\":\"" + start.plusMillis(ms) + "\",\"status\":\"" + status + "\"}");
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            try (PreparedStatement summary = db.prepareStatement("INSERT INTO traces (trace_id, root_name, service,"
                    + " start_us, end_us, duration_ms, span_count, log_count, error_count, input_tokens,"
                    + " output_tokens, running, running_spans, root_span_id, root_parent_id, root_start_us,"
                    + " updated_us) VALUES (?, 'agent_run', 'agent', ?, ?, ?, ?, 0, ?, 0, 0, 0, 0, ?, NULL, ?, ?)")) {
                summary.setString(1, TRACE);
                summary.setLong(2, t0);
                summary.setLong(3, t0 + (spans + 10L) * 1000);
                summary.setDouble(4, spans + 10.0);
                summary.setInt(5, spans);
                summary.setInt(6, errors);
                summary.setString(7, root);
                summary.setLong(8, t0);
                summary.setLong(9, t0);
                summary.executeUpdate();
            }
            try (Statement sql = db.createStatement()) { // nothing for the full-text index to catch up on
                sql.executeUpdate("UPDATE text_index SET indexed_to = (SELECT MAX(rowid) FROM spans)"
                        + " WHERE name = 'span_text'");
            }
            db.commit();
        }
    }

    private static String id(int i) {
        return String.format("%016x", 0x5d00_0000_0000_0000L + i);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
