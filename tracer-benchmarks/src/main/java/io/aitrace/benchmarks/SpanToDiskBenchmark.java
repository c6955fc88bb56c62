package io.aitrace.benchmarks;

import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 2, spans to disk: how many spans per second reach a JSON-lines file with nothing lost. Each
 * invocation makes {@value #SPANS} spans (traces of one root and nine children, three attributes each), then
 * waits until the writer has put them in the file, so the score (ops/s, one op = one span) is the sustained
 * lossless rate. Baselines in the same run: the OpenTelemetry SDK's {@code BatchSpanProcessor} with an exporter
 * writing each span as a JSON line through Jackson, and the raw sequential write of the very bytes aitrace
 * wrote for the same spans (the physical limit).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpanToDiskBenchmark {
    static final int TRACES = 100;
    static final int CHILDREN = 9;
    static final int SPANS = TRACES * (CHILDREN + 1);

    /** aitrace writing to a file target. */
    @State(Scope.Benchmark)
    public static class AitraceFile {
        Path dir;
        TracerRuntime runtime;
        Tracer tracer;

        @Setup(Level.Iteration)
        public void start() {
            dir = Workload.tempDir("disk");
            runtime = open(dir.resolve("aitrace.jsonl"));
            tracer = runtime.tracer("bench");
            TracerRuntime rt = runtime;
            Drops.source = rt::droppedRecords;
        }

        @TearDown(Level.Iteration)
        public void stop() {
            runtime.close();
            Workload.delete(dir);
        }
    }

    static TracerRuntime open(Path file) {
        return TracerRuntime.create(TracerConfig.builder().target(file.toString()).serviceName("bench")
                .flushTimeout(Duration.ofSeconds(30)).build());
    }

    /** The OpenTelemetry SDK with its default BatchSpanProcessor and a Jackson JSON-lines exporter. */
    @State(Scope.Benchmark)
    public static class OtelBatchFile {
        Path dir;
        SdkTracerProvider provider;
        io.opentelemetry.api.trace.Tracer tracer;
        JsonLineSpanExporter exporter;
        final AtomicLong ended = new AtomicLong();

        @Setup(Level.Iteration)
        public void start() {
            dir = Workload.tempDir("disk");
            exporter = new JsonLineSpanExporter(dir.resolve("otel.jsonl"));
            provider = SpanOverheadBenchmark.sdk(BatchSpanProcessor.builder(exporter).build());
            tracer = provider.get("bench");
            ended.set(0);
            // The processor drops silently when its queue is full: what was ended but never written was dropped.
            JsonLineSpanExporter written = exporter;
            Drops.source = () -> ended.get() - written.spans();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            provider.shutdown().join(30, TimeUnit.SECONDS);
            Workload.delete(dir);
        }
    }

    /** The bytes aitrace writes for one invocation's spans, written line by line to a 64 KB buffered file. */
    @State(Scope.Benchmark)
    public static class RawFile {
        Path dir;
        List<byte[]> lines;
        FileOutputStream file;
        FileChannel channel;
        OutputStream out;
        long bytesPerInvocation;
        int invocations;

        @Setup(Level.Trial)
        public void capture() throws IOException {
            Path sample = Workload.tempDir("sample");
            Path file = sample.resolve("aitrace.jsonl");
            try (TracerRuntime rt = open(file)) {
                Tracer tracer = rt.tracer("bench");
                for (int t = 0; t < TRACES; t++) {
                    Workload.aitraceTrace(tracer, CHILDREN);
                }
            }
            lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                byte[] bytes = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                lines.add(bytes);
                bytesPerInvocation += bytes.length;
            }
            Workload.delete(sample);
            Drops.source = () -> 0;
        }

        @Setup(Level.Iteration)
        public void start() {
            dir = Workload.tempDir("raw");
            try {
                file = new FileOutputStream(dir.resolve("raw.jsonl").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            channel = file.getChannel();
            out = new BufferedOutputStream(file, 64 * 1024);
        }

        @TearDown(Level.Iteration)
        public void stop() throws IOException {
            out.close();
            Workload.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void aitraceToFile(AitraceFile state, Drops drops) {
        for (int t = 0; t < TRACES; t++) {
            Workload.aitraceTrace(state.tracer, CHILDREN);
        }
        state.tracer.flush();
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void otelBatchJacksonToFile(OtelBatchFile state, Drops drops) {
        for (int t = 0; t < TRACES; t++) {
            Workload.otelTrace(state.tracer, CHILDREN);
        }
        state.ended.addAndGet(SPANS);
        state.provider.forceFlush().join(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @OperationsPerInvocation(SPANS)
    public void rawWriteOfAitraceBytes(RawFile state, Drops drops) throws IOException {
        for (byte[] line : state.lines) {
            state.out.write(line);
        }
        state.out.flush();
        // Keep the file small: start over every ~64 MB (the page cache absorbs it either way).
        if (++state.invocations * state.bytesPerInvocation > 64L * 1024 * 1024) {
            state.channel.truncate(0);
            state.invocations = 0;
        }
    }
}
