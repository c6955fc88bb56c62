package io.aitrace.benchmarks;

import io.aitrace.core.record.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NDJSON bodies for the collector's {@code POST /api/ingest}: format-v1 records of agent runs, each run one
 * ended span and nine log lines under it, every batch with fresh IDs so every record is a new row.
 *
 * <p>The clients run on the same cores as the collector, so a batch is made cheaply: the constant parts of each
 * record are bytes made once, and the IDs, time stamps and counters are written between them as digits, with no
 * {@code String.format} and no time formatting beyond the second, which is formatted once per second of records.
 */
final class IngestBatches {
    static final int RECORDS_PER_BATCH = 500;
    static final int RECORDS_PER_TRACE = 10;

    private static final byte[] SPAN_TRACE = ascii("{\"v\":1,\"type\":\"span\",\"trace_id\":\"");
    private static final byte[] SPAN_SPAN = ascii("\",\"span_id\":\"");
    private static final byte[] SPAN_START = ascii("\",\"parent_span_id\":null,\"name\":\"weather_agent\","
            + "\"node_type\":\"agent\",\"span_kind\":\"INTERNAL\",\"start\":\"");
    private static final byte[] SPAN_END = ascii("\",\"end\":\"");
    private static final byte[] SPAN_CONVERSATION = ascii("\",\"duration_ms\":0.333,\"status\":\"ok\",\"error\":null,"
            + "\"attributes\":{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.conversation.id\":\"c");
    private static final byte[] SPAN_REST = ascii("\"},\"input\":{\"query\":\"" + Workload.QUERY
            + "\"},\"output\":{\"intent\":\"" + Workload.ANSWER + "\"},\"annotations\":[],\"edges\":[],"
            + "\"resource\":{\"service.name\":\"bench\"},\"thread\":\"main\"}\n");
    private static final byte[] LOG_TIME = ascii("{\"v\":1,\"type\":\"log\",\"timestamp\":\"");
    private static final byte[] LOG_STEP = ascii("\",\"level\":\"info\",\"logger\":\"com.acme.Agent\","
            + "\"event\":\"calling model step ");
    private static final byte[] LOG_TRACE = ascii("\",\"trace_id\":\"");
    private static final byte[] LOG_SPAN = ascii("\",\"span_id\":\"");
    private static final byte[] LOG_REST = ascii("\",\"parent_span_id\":null,\"thread\":\"main\","
            + "\"attrs\":{\"user_id\":42},\"exception\":null}\n");
    private static final byte[] HEX = ascii("0123456789abcdef");

    private final long run = ThreadLocalRandom.current().nextLong() >>> 1;
    /** Records in each batch, a multiple of {@value #RECORDS_PER_TRACE}. */
    final int perBatch;
    private final AtomicLong traces = new AtomicLong();
    private final long startMicros = Instant.now().getEpochSecond() * 1_000_000L;

    IngestBatches() {
        this(RECORDS_PER_BATCH);
    }

    IngestBatches(int perBatch) {
        if (perBatch <= 0 || perBatch % RECORDS_PER_TRACE != 0) {
            throw new IllegalArgumentException("records per batch must be a positive multiple of "
                    + RECORDS_PER_TRACE + ", not " + perBatch);
        }
        this.perBatch = perBatch;
    }

    /** One batch of {@link #perBatch} records ({@value #RECORDS_PER_BATCH} unless set). */
    byte[] next() {
        Batch body = new Batch(perBatch * 340);
        for (int t = 0; t < perBatch / RECORDS_PER_TRACE; t++) {
            long n = traces.incrementAndGet();
            long micros = startMicros + n * 1000;
            body.add(SPAN_TRACE).hex(run).hex(n).add(SPAN_SPAN).hex(n).add(SPAN_START).time(micros).add(SPAN_END)
                    .time(micros + 333).add(SPAN_CONVERSATION).number(n % 1000).add(SPAN_REST);
            for (int i = 1; i < RECORDS_PER_TRACE; i++) {
                body.add(LOG_TIME).time(micros + i).add(LOG_STEP).number(i).add(LOG_TRACE).hex(run).hex(n)
                        .add(LOG_SPAN).hex(n).add(LOG_REST);
            }
        }
        return body.bytes();
    }

    /** The trace ID of the {@code n}-th trace made so far (1-based). */
    String traceId(long n) {
        return String.format("%016x%016x", run, n);
    }

    /** Traces made so far. */
    long traces() {
        return traces.get();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A body being written: bytes appended, digits written in place. */
    private static final class Batch {
        private byte[] bytes;
        private int size;
        /** The second last formatted, as {@code uuuu-MM-ddTHH:mm:ss}, and its text. */
        private long second = Long.MIN_VALUE;
        private byte[] secondText;

        Batch(int capacity) {
            bytes = new byte[capacity];
        }

        Batch add(byte[] part) {
            room(part.length);
            System.arraycopy(part, 0, bytes, size, part.length);
            size += part.length;
            return this;
        }

        /** Sixteen lowercase hex digits. */
        Batch hex(long value) {
            room(16);
            for (int i = 15; i >= 0; i--) {
                bytes[size + i] = HEX[(int) (value & 0xF)];
                value >>>= 4;
            }
            size += 16;
            return this;
        }

        Batch number(long value) {
            return add(ascii(Long.toString(value)));
        }

        /** A time stamp as aitrace writes it, {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ}. */
        Batch time(long epochMicros) {
            long s = Math.floorDiv(epochMicros, 1_000_000L);
            if (s != second) {
                String text = Timestamps.formatEpochNanos(s * 1_000_000_000L);
                secondText = ascii(text.substring(0, text.indexOf('.')));
                second = s;
            }
            add(secondText);
            room(8);
            bytes[size] = '.';
            long micros = Math.floorMod(epochMicros, 1_000_000L);
            for (int i = 6; i >= 1; i--) {
                bytes[size + i] = (byte) ('0' + micros % 10);
                micros /= 10;
            }
            bytes[size + 7] = 'Z';
            size += 8;
            return this;
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
