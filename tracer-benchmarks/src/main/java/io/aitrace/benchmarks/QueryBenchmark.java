package io.aitrace.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * The collector's queries over a large store: {@code GET /api/traces} (first page, a page deep in the list, filtered
 * by service, by status and by words) and {@code GET /api/search} (a word in every span, a word in one run in a thousand),
 * with {@code stored} records in the database ({@link StoredRecords}: built once, then reused from the temporary
 * directory). Sample time, so JMH reports p50, p99 and the rest; the goal is p99 under 200 ms at ten million.
 */
@State(Scope.Benchmark)
public class QueryBenchmark {
    /** Records stored (one root span and nine log lines per trace). */
    @Param("1000000")
    public int stored;

    private EmbeddedCollector collector;
    private CollectorClient client;
    private String deepCursor;

    @Setup
    public void start() throws IOException, InterruptedException {
        // no retention and no ingest: the queries leave the cached store as they found it
        Path database = StoredRecords.database(stored);
        deepCursor = StoredRecords.cursorAt(database, stored / StoredRecords.RECORDS_PER_TRACE / 2);
        collector = EmbeddedCollector.start(database);
        client = new CollectorClient(collector.uri());
    }

    @TearDown
    public void stop() {
        collector.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int listFirstPage() throws IOException, InterruptedException {
        return client.get("api/traces");
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int listDeepPage() throws IOException, InterruptedException {
        return client.get("api/traces?cursor=" + deepCursor);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int listByService() throws IOException, InterruptedException {
        return client.get("api/traces?service=" + StoredRecords.SERVICE);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int listErrors() throws IOException, InterruptedException {
        return client.get("api/traces?status=error");
    }

    /** No trace of the store is running: the filter matches nothing. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int listRunning() throws IOException, InterruptedException {
        return client.get("api/traces?status=running");
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int listWithCommonWord() throws IOException, InterruptedException {
        return client.get("api/traces?q=" + StoredRecords.COMMON_WORD);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int listWithWord() throws IOException, InterruptedException {
        return client.get("api/traces?q=" + StoredRecords.RARE_WORD);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int searchCommonWord() throws IOException, InterruptedException {
        return client.get("api/search?q=" + StoredRecords.COMMON_WORD);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int searchRareWord() throws IOException, InterruptedException {
        return client.get("api/search?q=" + StoredRecords.RARE_WORD);
    }
}
