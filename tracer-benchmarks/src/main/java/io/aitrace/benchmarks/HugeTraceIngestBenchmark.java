package io.aitrace.benchmarks;

import io.aitrace.core.record.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ingest of one huge trace against the same number of spans spread over many traces: {@code spans} ended spans in
 * NDJSON batches of {@value #BATCH}, one client, into a fresh collector per iteration. One op is the whole load;
 * the two {@code traces} settings' times should be equal when ingest is linear in the number of spans (the summary
 * recomputed from every span of the trace per batch made the single trace 2.8 times slower at 300,000 spans).
 */
@State(Scope.Benchmark)
public class HugeTraceIngestBenchmark {
    private static final int BATCH = 500;

    /** Spans ingested per op. */
    @Param("100000")
    public int spans;

    /** Traces they are spread over: 1 is one huge trace. */
    @Param({"1", "100"})
    public int traces;

    private record Batch(byte[] ndjson, int spans) {
    }

    private List<Batch> batches;
    private Path dir;
    private EmbeddedCollector collector;
    private CollectorClient client;

    @Setup(Level.Trial)
    public void makeBatches() {
        batches = new ArrayList<>();
        long t0 = Instant.now().getEpochSecond() * 1_000_000L;
        StringBuilder body = new StringBuilder();
        int perTrace = spans / traces;
        int inBatch = 0;
        for (int t = 0; t < traces; t++) {
            String traceId = String.format("%016x%016x", System.nanoTime(), t);
            for (int i = 0; i < perTrace; i++) {
                long start = t0 + i * 10L;
                body.append("{\"v\":1,\"type\":\"span\",\"trace_id\":\"").append(traceId)
                        .append("\",\"span_id\":\"").append(String.format("%016x", i + 1L))
                        .append("\",\"parent_span_id\":").append(i == 0 ? "null" : "\"0000000000000001\"")
                        .append(",\"name\":\"step\",\"node_type\":\"tool\",\"start\":\"")
                        .append(Timestamps.formatEpochNanos(start * 1000)).append("\",\"end\":\"")
                        .append(Timestamps.formatEpochNanos((start + 5) * 1000))
                        .append("\",\"status\":\"ok\",\"attributes\":{},\"input\":{\"query\":\"")
                        .append(Workload.QUERY).append("\"},\"resource\":{\"service.name\":\"bench\"}}\n");
                if (++inBatch == BATCH) {
                    batches.add(new Batch(body.toString().getBytes(StandardCharsets.UTF_8), inBatch));
                    body.setLength(0);
                    inBatch = 0;
                }
            }
        }
        if (inBatch > 0) {
            batches.add(new Batch(body.toString().getBytes(StandardCharsets.UTF_8), inBatch));
        }
    }

    @Setup(Level.Iteration)
    public void start() {
        dir = Workload.tempDir("huge-trace");
        collector = EmbeddedCollector.start(dir.resolve("logs.db"));
        client = new CollectorClient(collector.uri());
    }

    @TearDown(Level.Iteration)
    public void stop() {
        collector.close();
        Workload.delete(dir);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long ingest() throws IOException, InterruptedException {
        long lost = 0;
        for (Batch batch : batches) {
            lost += client.ingest(batch.ndjson(), batch.spans());
        }
        if (lost > 0) {
            throw new IllegalStateException("the collector did not keep " + lost + " spans");
        }
        return lost;
    }
}
