package io.aitrace.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A huge trace's shape built from a store ({@link TraceShape}, issue 18), against the build before span IDs became
 * longs ({@link TraceShapeBefore}), and the first page of a trace never opened before: {@code GET
 * /api/trace/{id}?limit=200} from a collector on the same database. The store holds one trace of {@code spans}
 * spans (an eightfold tree, random span IDs), written straight into the database with the collector's schema (storing
 * a million spans through ingest takes minutes); it has no summary row, so no shape is kept and every request builds
 * it afresh, as for a trace opened for the first time.
 *
 * <p>{@code main} measures the same builds in thread CPU time, for a machine too busy for JMH's wall-clock figures,
 * and the heap a built shape holds per span: {@code java -cp tracer-benchmarks/target/benchmarks.jar
 * io.aitrace.server.TraceShapeBenchmark [spans [rounds]]}.
 */
@State(Scope.Benchmark)
public class TraceShapeBenchmark {
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    @Param("1000000")
    public int spans;

    private Path dir;
    private Connection db;
    private AitraceServer server;
    private HttpClient http;
    private URI firstPage;

    @Setup
    public void store() throws Exception {
        dir = Files.createTempDirectory("trace-shape");
        Path file = dir.resolve("logs.db");
        fill(file, spans);
        db = DriverManager.getConnection("jdbc:sqlite:" + file);
        server = AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(0).database(file).build());
        http = HttpClient.newHttpClient();
        firstPage = URI.create(server.url() + "/api/trace/" + TRACE + "?limit=200");
    }

    @TearDown
    public void delete() throws Exception {
        server.close();
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TraceShape build() throws SQLException {
        return TraceShape.build(db, TRACE, "");
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TraceShapeBefore buildBefore() throws SQLException {
        return TraceShapeBefore.build(db, TRACE, "");
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int firstPage() throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(firstPage).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("first page: HTTP " + answer.statusCode());
        }
        return answer.body().length;
    }

    /**
     * A database with the collector's schema holding one trace of {@code spans} spans: span i starts 10 µs after
     * span i - 1 and its parent is span (i - 1) / 8.
     */
    static void fill(Path file, int spans) throws SQLException, IOException {
        new Store(file, rows -> { }).close();
        SplittableRandom random = new SplittableRandom(18);
        String[] ids = new String[spans];
        for (int i = 0; i < spans; i++) {
            ids[i] = String.format("%016x", random.nextLong() | 1L);
        }
        long t0 = 1_764_000_000_000_000L;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO spans (trace_id, span_id,"
                    + " parent_span_id, name, service, status, start_us, end_us, ended, record)"
                    + " VALUES (?, ?, ?, 'step', 'bench', ?, ?, ?, 1, ?)")) {
                for (int i = 0; i < spans; i++) {
                    String parent = i == 0 ? null : ids[(i - 1) / 8];
                    String status = i % 97 == 0 ? "error" : "ok";
                    long start = t0 + i * 10L;
                    insert.setString(1, TRACE);
                    insert.setString(2, ids[i]);
                    insert.setString(3, parent);
                    insert.setString(4, status);
                    insert.setLong(5, start);
                    insert.setLong(6, start + 5);
                    insert.setString(7, "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\""
                            + ids[i] + "\",\"parent_span_id\":" + (parent == null ? "null" : "\"" + parent + "\"")
                            + ",\"name\":\"step\",\"status\":\"" + status + "\",\"attributes\":{}}");
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            try (Statement sql = db.createStatement()) { // nothing for the full-text index to catch up on
                sql.executeUpdate("UPDATE text_index SET indexed_to = (SELECT MAX(rowid) FROM spans)"
                        + " WHERE name = 'span_text'");
            }
            db.commit();
        }
    }

    public static void main(String[] args) throws Exception {
        int spans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("trace-shape");
        Path file = dir.resolve("logs.db");
        try {
            fill(file, spans);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                for (int round = 1; round <= rounds; round++) {
                    long base = usedAfterGc();
                    long start = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    TraceShape after = TraceShape.build(db, TRACE, "");
                    long afterCpu = threads.getCurrentThreadCpuTime() - start;
                    long afterWall = System.nanoTime() - wall;
                    after.position(); // built on first search: counted as held
                    long afterHeap = usedAfterGc() - base;
                    long counted = after.bytes();
                    Reference.reachabilityFence(after);
                    after = null;
                    base = usedAfterGc();
                    start = threads.getCurrentThreadCpuTime();
                    wall = System.nanoTime();
                    TraceShapeBefore before = TraceShapeBefore.build(db, TRACE, "");
                    long beforeCpu = threads.getCurrentThreadCpuTime() - start;
                    long beforeWall = System.nanoTime() - wall;
                    before.position();
                    long beforeHeap = usedAfterGc() - base;
                    Reference.reachabilityFence(before);
                    before = null;
                    System.out.printf("round %d, %,d spans: shape built in %d ms thread CPU (%d ms wall), before %d ms"
                            + " (%d ms wall): %.2fx; heap %d bytes/span (counted %d), before %d bytes/span%n",
                            round, spans, afterCpu / 1_000_000, afterWall / 1_000_000, beforeCpu / 1_000_000,
                            beforeWall / 1_000_000, (double) beforeCpu / afterCpu, afterHeap / spans,
                            counted / spans, beforeHeap / spans);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Heap in use after a full collection. */
    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
