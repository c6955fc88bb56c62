package io.aitrace.benchmarks;

import io.aitrace.core.record.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NDJSON bodies for the collector's {@code POST /api/ingest}: format-v1 records of agent runs, each run one
 * ended span and nine log lines under it, every batch with fresh IDs so every record is a new row.
 */
final class IngestBatches {
    static final int RECORDS_PER_BATCH = 500;
    static final int RECORDS_PER_TRACE = 10;

    private final long run = ThreadLocalRandom.current().nextLong() >>> 1;
    private final AtomicLong traces = new AtomicLong();
    private final long startMicros = Instant.now().getEpochSecond() * 1_000_000L;

    /** One batch of {@value #RECORDS_PER_BATCH} records. */
    byte[] next() {
        StringBuilder body = new StringBuilder(RECORDS_PER_BATCH * 330);
        for (int t = 0; t < RECORDS_PER_BATCH / RECORDS_PER_TRACE; t++) {
            long n = traces.incrementAndGet();
            String traceId = traceId(n);
            String spanId = String.format("%016x", n);
            String start = time(n * 1000);
            body.append("{\"v\":1,\"type\":\"span\",\"trace_id\":\"").append(traceId)
                    .append("\",\"span_id\":\"").append(spanId)
                    .append("\",\"parent_span_id\":null,\"name\":\"weather_agent\",\"node_type\":\"agent\","
                            + "\"span_kind\":\"INTERNAL\",\"start\":\"").append(start)
                    .append("\",\"end\":\"").append(time(n * 1000 + 333)).append("\",\"duration_ms\":0.333,"
                            + "\"status\":\"ok\",\"error\":null,\"attributes\":{\"gen_ai.request.model\":\"gpt-4o\","
                            + "\"gen_ai.conversation.id\":\"c").append(n % 1000).append("\"},\"input\":{\"query\":\"")
                    .append(Workload.QUERY).append("\"},\"output\":{\"intent\":\"").append(Workload.ANSWER)
                    .append("\"},\"annotations\":[],\"edges\":[],\"resource\":{\"service.name\":\"bench\"},"
                            + "\"thread\":\"main\"}\n");
            for (int i = 1; i < RECORDS_PER_TRACE; i++) {
                body.append("{\"v\":1,\"type\":\"log\",\"timestamp\":\"").append(time(n * 1000 + i))
                        .append("\",\"level\":\"info\",\"logger\":\"com.acme.Agent\",\"event\":\"calling model step ")
                        .append(i).append("\",\"trace_id\":\"").append(traceId).append("\",\"span_id\":\"")
                        .append(spanId).append("\",\"parent_span_id\":null,\"thread\":\"main\","
                                + "\"attrs\":{\"user_id\":42},\"exception\":null}\n");
            }
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The trace ID of the {@code n}-th trace made so far (1-based). */
    String traceId(long n) {
        return String.format("%016x%016x", run, n);
    }

    /** Traces made so far. */
    long traces() {
        return traces.get();
    }

    private String time(long micros) {
        return Timestamps.formatEpochNanos((startMicros + micros) * 1000L);
    }
}
