package io.aitrace.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aitrace.core.target.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpTargetTest {
    private static final String STAMP = "20261121_180000";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path spillDir;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<HttpTarget> targets = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (HttpTarget target : targets) {
            target.close();
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
        System.setErr(originalErr);
    }

    @Test
    void sendsEveryRecordAsGzipNdjsonToApiIngest() {
        HttpTestCollector collector = collector();
        HttpTarget target = target(collector.uri());
        List<String> records = spans(0, 1200);

        writeAll(target, records);
        target.flush();

        assertThat(collector.taken()).containsExactlyElementsOf(records);
        assertThat(collector.requests()).hasSize(3).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/ingest");
            assertThat(request.contentEncoding()).isEqualTo("gzip");
            assertThat(request.contentType()).isEqualTo("application/x-ndjson");
            assertThat(request.authorization()).isNull();
        });
        assertThat(target.delivered()).isEqualTo(1200);
        assertThat(target.spillFile()).isNull();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void sendsTheBearerTokenWhenOneIsSet() {
        HttpTestCollector collector = collector();
        HttpTarget target = keep(new HttpTarget(collector.uri(), spillDir, STAMP, "s3cret-token"));

        writeAll(target, spans(0, 2));
        target.flush();

        assertThat(collector.requests()).extracting(HttpTestCollector.Request::authorization)
                .containsExactly("Bearer s3cret-token");
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForAFlush() throws InterruptedException {
        HttpTestCollector collector = collector();
        HttpTarget target = target(collector.uri());

        writeAll(target, spans(0, HttpTarget.BATCH_RECORDS));

        assertThat(collector.awaitTaken(HttpTarget.BATCH_RECORDS, PATIENCE)).hasSize(HttpTarget.BATCH_RECORDS);
    }

    @Test
    void aCollectorUrlWithoutAPathMeansItsApiIngestAndAFullIngestUrlIsKept() {
        assertThat(keep(new HttpTarget(URI.create("http://localhost:8000"), spillDir, STAMP)).describe())
                .isEqualTo("collector http://localhost:8000/api/ingest");
        assertThat(keep(new HttpTarget(URI.create("http://localhost:8000/"), spillDir, STAMP)).describe())
                .isEqualTo("collector http://localhost:8000/api/ingest");
        assertThat(keep(new HttpTarget(URI.create("http://localhost:8000/api/ingest"), spillDir, STAMP)).describe())
                .isEqualTo("collector http://localhost:8000/api/ingest");
        assertThat(keep(new HttpTarget(URI.create("https://traces.example.com/aitrace/"), spillDir, STAMP)).describe())
                .isEqualTo("collector https://traces.example.com/aitrace/api/ingest");
        assertThatThrownBy(() -> new HttpTarget(URI.create("ftp://localhost/"), spillDir, STAMP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://localhost/");
    }

    @Test
    void aBatchAnsweredWith500IsRetriedAndDeliveredOnce() {
        HttpTestCollector collector = collector();
        collector.answerNext(500);
        HttpTarget target = target(collector.uri());
        List<String> records = spans(0, 3);

        writeAll(target, records);
        target.flush();

        assertThat(collector.requests()).extracting(HttpTestCollector.Request::status).containsExactly(500, 200);
        assertThat(collector.taken()).containsExactlyElementsOf(records);
        assertThat(target.delivered()).isEqualTo(3);
        assertThat(target.spillFile()).isNull();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void aBatchAnsweredWith400IsNotRetriedAndIsReportedWithTheCollectorsAnswerAndKept() throws IOException {
        HttpTestCollector collector = collector();
        collector.answerNext(400);
        collector.errorBody("line 1: missing trace_id " + "x".repeat(300));
        HttpTarget target = target(collector.uri());
        List<String> refused = spans(0, 2);
        List<String> later = spans(2, 4);

        writeAll(target, refused);
        target.flush();
        writeAll(target, later);
        target.flush();

        assertThat(collector.requests()).extracting(HttpTestCollector.Request::status).containsExactly(400, 200);
        assertThat(collector.taken()).containsExactlyElementsOf(later);
        Path rejectedFile = spillDir.resolve(STAMP + "-" + ProcessHandle.current().pid() + "-rejected.jsonl");
        assertThat(Files.readAllLines(rejectedFile)).containsExactlyElementsOf(refused);
        assertThat(target.rejected()).isEqualTo(2);
        assertThat(stderr())
                .contains("aitrace: collector " + collector.uri() + "/api/ingest rejected 2 records (HTTP 400: "
                        + "line 1: missing trace_id xxx")
                .contains("); kept them in " + rejectedFile)
                .doesNotContain("x".repeat(200));
    }

    @Test
    void recordsWrittenWhileTheCollectorIsDownArriveExactlyOnceAndInOrderWhenItIsBack() throws InterruptedException {
        HttpTestCollector collector = collector();
        HttpTarget target = target(collector.uri());
        List<String> before = spans(0, 100);
        List<String> during = spans(100, 700);
        List<String> after = spans(700, 750);

        writeAll(target, before);
        target.flush();
        collector.stop();
        writeAll(target, during);
        target.flush();
        assertThat(target.spilled()).isEqualTo(during.size());
        assertThat(target.spillFile()).exists();
        collector.restart();
        writeAll(target, after);
        target.flush();
        List<String> all = Stream.of(before, during, after).flatMap(List::stream).toList();
        collector.awaitTaken(all.size(), PATIENCE);
        target.close();

        assertThat(collector.taken()).containsExactlyElementsOf(all);
        assertThat(target.delivered()).isEqualTo(all.size());
        assertThat(target.spilled()).isZero();
        assertThat(target.spillFile()).doesNotExist();
        assertThat(target.htmlFile()).isNull();
        assertThat(stderr())
                .contains("aitrace: collector " + collector.uri() + "/api/ingest unreachable (")
                .contains("); spilling records to " + target.spillFile())
                .containsPattern("aitrace: collector \\S+ reachable again; re-sent \\d+ spilled records");
    }

    @Test
    void closeMakesOneLastAttemptToResendTheSpill() {
        HttpTestCollector collector = collector();
        HttpTarget target = target(collector.uri()).probeInterval(Duration.ofHours(1));
        List<String> records = spans(0, 10);
        collector.stop();

        writeAll(target, records);
        target.flush();
        collector.restart();
        target.close();

        assertThat(collector.taken()).containsExactlyElementsOf(records);
        assertThat(target.spillFile()).doesNotExist();
        assertThat(target.htmlFile()).isNull();
        assertThat(stderr()).contains("reachable again; re-sent 10 spilled records");
    }

    @Test
    void closeOnAnInterruptedWriterThreadStillResendsTheSpillAndKeepsTheInterrupt() {
        HttpTestCollector collector = collector();
        HttpTarget target = target(collector.uri()).probeInterval(Duration.ofHours(1));
        List<String> records = spans(0, 10);
        collector.stop();
        writeAll(target, records);
        target.flush();
        collector.restart();

        Thread.currentThread().interrupt(); // a writer may use interrupts to wake itself for closing
        target.close();
        boolean stillInterrupted = Thread.interrupted();

        assertThat(stillInterrupted).isTrue();
        assertThat(collector.taken()).containsExactlyElementsOf(records);
        assertThat(target.htmlFile()).isNull();
    }

    @Test
    void withTheCollectorNeverStartedCloseLeavesTheSpillAndAnHtmlTraceAndNamesBoth() throws IOException {
        URI nobody = URI.create("http://127.0.0.1:" + freePort());
        HttpTarget target = target(nobody);
        List<String> records = List.of(
                span("plan_trip", 1, 0, false), span("search_flights", 2, 1, false),
                log("searching flights to Paris", 2),
                span("search_flights", 2, 1, true), span("book_hotel", 3, 1, true), span("plan_trip", 1, 0, true));

        writeAll(target, records);
        target.close();

        Path spill = spillDir.resolve(STAMP + "-" + ProcessHandle.current().pid() + ".jsonl");
        Path html = spillDir.resolve(STAMP + "-" + ProcessHandle.current().pid() + ".html");
        assertThat(target.spillFile()).isEqualTo(spill);
        assertThat(Files.readAllLines(spill)).containsExactlyElementsOf(records);
        assertThat(target.htmlFile()).isEqualTo(html);
        assertThat(Files.readString(html)).contains("plan_trip", "search_flights", "book_hotel", "searching flights to Paris");
        assertThat(target.delivered()).isZero();
        assertThat(target.spilled()).isEqualTo(records.size());
        assertThat(stderr())
                .contains("aitrace: collector " + nobody + "/api/ingest unreachable (connection refused); spilling records to " + spill)
                .contains("aitrace: collector " + nobody + "/api/ingest unreachable; 6 records kept in " + spill
                        + ", trace written to " + html);
    }

    @Test
    void writeNeverWaitsForACollectorThatAcceptsButNeverAnswers() throws Exception {
        ServerSocket silent = silentCollector();
        HttpTarget target = target(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                .requestTimeout(Duration.ofMinutes(1))
                .flushTimeout(Duration.ofMillis(200));
        List<String> records = spans(0, 10_000);

        Thread writer = new Thread(() -> writeAll(target, records), "test-writer");
        writer.start();
        writer.join(PATIENCE.toMillis());

        assertThat(writer.isAlive()).as("writer thread still inside write()").isFalse();
        target.close();
        assertThat(target.spilled()).isEqualTo(10_000);
        assertThat(Files.readAllLines(target.spillFile())).containsExactlyElementsOf(records);
    }

    @Test
    void flushGivesUpAfterItsTimeoutWhenTheCollectorNeverAnswers() throws Exception {
        ServerSocket silent = silentCollector();
        HttpTarget target = target(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                .requestTimeout(Duration.ofMinutes(1))
                .flushTimeout(Duration.ofMillis(200));
        writeAll(target, spans(0, 1));

        Thread flusher = new Thread(target::flush, "test-flusher");
        flusher.start();
        flusher.join(PATIENCE.toMillis());

        assertThat(flusher.isAlive()).as("flush() still waiting").isFalse();
    }

    @Test
    void closingTwiceIsHarmless() {
        HttpTestCollector collector = collector();
        HttpTarget target = target(collector.uri());
        List<String> records = spans(0, 5);

        writeAll(target, records);
        target.close();
        target.close();
        writeAll(target, spans(5, 6));

        assertThat(collector.taken()).containsExactlyElementsOf(records);
        assertThat(stderr()).isEmpty();
    }

    // ---- helpers

    private HttpTestCollector collector() {
        HttpTestCollector collector = HttpTestCollector.start();
        servers.add(collector);
        return collector;
    }

    /** A port that takes connections (the OS backlog accepts them) and never reads nor answers. */
    private ServerSocket silentCollector() throws IOException {
        ServerSocket socket = new ServerSocket(0);
        servers.add(socket);
        return socket;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A target with short retry delays and probe interval, so tests do not wait seconds for them. */
    private HttpTarget target(URI collector) {
        return keep(new HttpTarget(collector, spillDir, STAMP)
                .retryDelays(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40))
                .probeInterval(Duration.ofMillis(50))
                .requestTimeout(Duration.ofSeconds(5)));
    }

    private HttpTarget keep(HttpTarget target) {
        targets.add(target);
        return target;
    }

    private String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private static void writeAll(Target target, List<String> records) {
        try {
            for (String record : records) {
                byte[] line = (record + "\n").getBytes(StandardCharsets.UTF_8);
                target.write(line, 0, line.length);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> spans(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> span("step_" + i, i + 1, 0, true)).toList();
    }

    static String span(String name, int id, int parent, boolean ended) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE_ID + "\",\"span_id\":\"" + spanId(id) + "\","
                + "\"parent_span_id\":" + (parent == 0 ? "null" : "\"" + spanId(parent) + "\"") + ","
                + "\"name\":\"" + name + "\",\"node_type\":\"step\",\"span_kind\":\"INTERNAL\","
                + "\"start\":\"2026-11-21T18:00:00.100000Z\","
                + "\"end\":" + (ended ? "\"2026-11-21T18:00:00.433333Z\",\"duration_ms\":333.333" : "null,\"duration_ms\":null")
                + ",\"status\":" + (ended ? "\"ok\"" : "null") + ",\"error\":null,\"thread\":\"main\"}";
    }

    static String log(String event, int spanId) {
        return "{\"v\":1,\"type\":\"log\",\"timestamp\":\"2026-11-21T18:00:00.200000Z\",\"level\":\"info\","
                + "\"logger\":\"com.acme.Agent\",\"event\":\"" + event + "\",\"trace_id\":\"" + TRACE_ID + "\","
                + "\"span_id\":\"" + spanId(spanId) + "\",\"parent_span_id\":null,\"thread\":\"main\"}";
    }

    private static String spanId(int id) {
        return String.format("%016x", id);
    }
}
