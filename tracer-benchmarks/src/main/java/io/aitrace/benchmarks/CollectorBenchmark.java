package io.aitrace.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Benchmark 5, the collector: records per second ingested over HTTP into its SQLite store in NDJSON batches of
 * {@value IngestBatches#RECORDS_PER_BATCH} (one and four client threads; the score, ops/s with one op = one
 * record, is records per second acknowledged), and the latency of {@code GET /api/trace/{id}} and
 * {@code GET /api/traces} with a million records stored. Records the collector did not keep are counted
 * as dropped. The seed's figures to beat: ~10K records/s ingest, "good up to ~100K logs".
 * The collector runs in this JVM on a fresh database unless {@code -p url=http://host:port} names one.
 */
public class CollectorBenchmark {
    /** The collector under test with an empty store. */
    @State(Scope.Benchmark)
    public static class Empty {
        /** A running collector to measure instead of one started here; empty: start one in this JVM. */
        @Param("")
        public String url;

        /**
         * How the client threads post their batches: {@code jdk}, the JDK's {@code HttpClient} (the figures
         * recorded so far); {@code socket}, {@link SocketIngest}, which costs the shared cores much less.
         */
        @Param("jdk")
        public String client;

        /**
         * How long one store lives: {@code trial}, the whole run (warm-up included), so the later iterations ingest
         * into millions of records and, past {@code Store}'s bound of a million unindexed, pay for the full-text
         * index as they go (ingest that never pauses); {@code iteration}, a new collector on an empty store for
         * every iteration (a burst of a few seconds, indexed once ingest pauses). Ignored with {@code url}.
         */
        @Param("trial")
        public String store;

        CollectorUnderTest collector;

        @Setup(Level.Trial)
        public void start() throws IOException {
            if (!store.equals("trial") && !store.equals("iteration")) {
                throw new IllegalArgumentException("store must be trial or iteration, not " + store);
            }
            collector = new CollectorUnderTest(url, client);
        }

        @Setup(Level.Iteration)
        public void freshStore() throws IOException {
            if (store.equals("iteration") && url.isEmpty() && collector.used()) {
                collector.close();
                collector = new CollectorUnderTest(url, client);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            collector.close();
        }
    }

    /** The collector holding {@code stored} records, loaded by four client threads before measuring. */
    @State(Scope.Benchmark)
    public static class Loaded {
        /** As in {@link Empty}. */
        @Param("")
        public String url;

        /** Records stored before the queries are measured (CI's smoke run passes a small number). */
        @Param("1000000")
        public int stored;

        CollectorUnderTest collector;

        @Setup(Level.Trial)
        public void start() throws IOException {
            collector = new CollectorUnderTest(url);
            collector.load(stored, 4);
        }

        @TearDown(Level.Trial)
        public void stop() {
            collector.close();
        }
    }

    /** A collector, embedded or remote, the client talking to it and the batches it is sent. */
    static final class CollectorUnderTest implements AutoCloseable {
        final Path dir;
        final EmbeddedCollector embedded;
        final CollectorClient client;
        final IngestBatches batches;
        final AtomicLong lost = new AtomicLong();
        /** Each client thread's connection when the batches go through {@link SocketIngest}; null otherwise. */
        private final ThreadLocal<SocketIngest> sockets;
        private final List<SocketIngest> opened = new CopyOnWriteArrayList<>();
        private final URI base;

        CollectorUnderTest(String url) {
            this(url, "jdk");
        }

        CollectorUnderTest(String url, String clientKind) {
            this(url, clientKind, IngestBatches.RECORDS_PER_BATCH);
        }

        CollectorUnderTest(String url, String clientKind, int recordsPerBatch) {
            batches = new IngestBatches(recordsPerBatch);
            if (!clientKind.equals("jdk") && !clientKind.equals("socket")) {
                throw new IllegalArgumentException("client must be jdk or socket, not " + clientKind);
            }
            sockets = clientKind.equals("socket") ? new ThreadLocal<>() : null;
            if (url.isEmpty()) {
                dir = Workload.tempDir("collector");
                embedded = EmbeddedCollector.start(dir.resolve("logs.db"));
                base = embedded.uri();
            } else {
                dir = null;
                embedded = null;
                base = URI.create(url);
            }
            client = new CollectorClient(base);
            Drops.source = lost::get;
        }

        /** Whether a batch was sent to it. */
        boolean used() {
            return batches.traces() > 0;
        }

        void ingestOne() throws IOException, InterruptedException {
            if (sockets == null) {
                lost.addAndGet(client.ingest(batches.next(), batches.perBatch));
                return;
            }
            SocketIngest socket = sockets.get();
            if (socket == null) {
                socket = new SocketIngest(base.toString().endsWith("/") ? base : URI.create(base + "/"));
                sockets.set(socket);
                opened.add(socket);
            }
            lost.addAndGet(socket.ingest(batches.next(), batches.perBatch));
        }

        void load(int records, int threads) throws IOException {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                AtomicLong left = new AtomicLong(records / batches.perBatch);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        while (left.getAndDecrement() > 0) {
                            ingestOne();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (Exception e) {
                throw new IOException("loading " + records + " records failed", e);
            } finally {
                pool.shutdown();
            }
            if (lost.get() > 0) {
                System.err.println("collector kept " + (records - lost.get()) + " of " + records + " records");
            }
        }

        /** Records stored and not yet in the full-text index ({@code unindexed} of {@code /api/stats}). */
        long unindexed() throws IOException, InterruptedException {
            return client.getJson("api/stats").path("unindexed").asLong();
        }

        String randomTraceId() {
            return batches.traceId(1 + ThreadLocalRandom.current().nextLong(batches.traces()));
        }

        @Override
        public void close() {
            for (SocketIngest socket : opened) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            if (embedded != null) {
                embedded.close();
                Workload.delete(dir);
            }
        }
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(IngestBatches.RECORDS_PER_BATCH)
    public void ingestOneClient(Empty state, Drops drops) throws IOException, InterruptedException {
        state.collector.ingestOne();
    }

    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(IngestBatches.RECORDS_PER_BATCH)
    public void ingestFourClients(Empty state, Drops drops) throws IOException, InterruptedException {
        state.collector.ingestOne();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int getTraceOfMillionRecords(Loaded state) throws IOException, InterruptedException {
        return state.collector.client.get("api/trace/" + state.collector.randomTraceId());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int listTracesOfMillionRecords(Loaded state) throws IOException, InterruptedException {
        return state.collector.client.get("api/traces");
    }
}
