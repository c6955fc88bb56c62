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
 * The collector's queries over a large store, with {@code stored} records in the database ({@link StoredRecords}:
 * built once, then reused from the temporary directory). Sample time, so JMH reports p50, p99 and the rest; the goal
 * is p99 under 200 ms at ten million records.
 */
@State(Scope.Benchmark)
public class QueryBenchmark {
    /** Stands for the cursor of the page after half the traces, worked out at setup. */
    private static final String DEEP_CURSOR = "DEEP";

    /** Records stored (one root span and nine log lines per trace). */
    @Param("1000000")
    public int stored;

    /**
     * The request: the first page of the trace list, the page after half the traces, filtered by service, by
     * status (5 % failed, none running) and by a word in one run of a thousand, of a hundred or in every run; a
     * search for the rarest and the commonest word.
     */
    @Param({"api/traces", "api/traces?cursor=" + DEEP_CURSOR, "api/traces?service=" + StoredRecords.SERVICE,
            "api/traces?status=error", "api/traces?status=running", "api/traces?q=" + StoredRecords.RARE_WORD,
            "api/traces?q=" + StoredRecords.MIDDLE_WORD, "api/traces?q=" + StoredRecords.COMMON_WORD,
            "api/search?q=" + StoredRecords.RARE_WORD, "api/search?q=" + StoredRecords.COMMON_WORD})
    public String request;

    /**
     * Spans of one more trace, the newest (so on every first page of the list): 0 for none, 1000000 to see what one
     * huge trace in the page costs the list ({@link StoredRecords#withHugeTrace}).
     */
    @Param("0")
    public int hugeTrace;

    private EmbeddedCollector collector;
    private CollectorClient client;
    private String path;

    @Setup
    public void start() {
        // no retention and no ingest: the queries leave the cached store as they found it
        Path database = StoredRecords.database(stored);
        if (hugeTrace > 0) {
            database = StoredRecords.withHugeTrace(database, hugeTrace);
        }
        path = request.replace(DEEP_CURSOR,
                StoredRecords.cursorAt(database, stored / StoredRecords.RECORDS_PER_TRACE / 2));
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
    public int query() throws IOException, InterruptedException {
        return client.get(path);
    }
}
