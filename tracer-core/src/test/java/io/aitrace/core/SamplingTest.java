package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.Tracing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SamplingTest {
    private final MemoryTarget target = new MemoryTarget();

    /** A value that counts how often aitrace reads it. */
    public static final class Costly {
        static final AtomicInteger reads = new AtomicInteger();

        public String getPrompt() {
            reads.incrementAndGet();
            return "a long prompt";
        }
    }

    private void runAgent(Tracer tracer, ExecutorService pool) throws Exception {
        try (Span root = tracer.span("agent", NodeType.AGENT)) {
            root.input("request", new Costly());
            tracer.run("plan", NodeType.LLM, () -> tracer.currentSpan().input("prompt", new Costly()));
            pool.submit(() -> {
                try (Span tool = tracer.span("tool", NodeType.TOOL)) {
                    tool.output("result", new Costly());
                }
            }).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRatioOfZeroRecordsNothingAndConvertsNothingOnAnyThread() throws Exception {
        ExecutorService pool = Tracing.wrap(Executors.newSingleThreadExecutor());
        Costly.reads.set(0);
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).sampleRatio(0).build())) {
            Tracer tracer = runtime.tracer("sampling");
            for (int i = 0; i < 20; i++) {
                runAgent(tracer, pool);
            }
            assertThat(tracer.currentSpan().isRecording()).isFalse();
            runtime.flush();
            assertThat(runtime.writtenRecords()).isZero();
        } finally {
            pool.shutdown();
        }
        assertThat(target.lines()).isEmpty();
        assertThat(Costly.reads).hasValue(0);
    }

    @Test
    void everyDescendantFollowsTheDecisionTakenAtItsRootAcrossThreads() throws Exception {
        ExecutorService pool = Tracing.wrap(Executors.newSingleThreadExecutor());
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).sampleRatio(0.5).build())) {
            Tracer tracer = runtime.tracer("sampling");
            for (int i = 0; i < 100; i++) {
                runAgent(tracer, pool);
            }
            runtime.flush();
        } finally {
            pool.shutdown();
        }
        Map<String, Integer> spansPerTrace = new HashMap<>();
        for (JsonNode span : target.records(r -> !r.path("end").isNull())) {
            spansPerTrace.merge(span.path("trace_id").asText(), 1, Integer::sum);
        }
        // Each trace is whole (root, plan and the tool on the pool thread) or absent; about half are kept.
        assertThat(spansPerTrace.values()).containsOnly(3);
        assertThat(spansPerTrace.size()).isBetween(20, 80);
    }

    @Test
    void theRatioIsReadFromTheSettingsAndABadValueFallsBackToAll() throws Exception {
        Properties props = new Properties();
        props.setProperty(TracerConfig.SAMPLE_RATIO, "25%");
        assertThat(TracerConfig.builder().systemProperties(props).environment(Map.of())
                .configFile(java.nio.file.Path.of("/nonexistent")).build().sampleRatio()).isEqualTo(0.25);
        assertThat(TracerConfig.builder().systemProperties(new Properties())
                .environment(Map.of("AITRACE_SAMPLE_RATIO", "0.1")).configFile(java.nio.file.Path.of("/nonexistent"))
                .build().sampleRatio()).isEqualTo(0.1);
        String err = Stderr.capture(() -> assertThat(TracerConfig.builder().systemProperties(new Properties())
                .environment(Map.of("AITRACE_SAMPLE_RATIO", "2")).configFile(java.nio.file.Path.of("/nonexistent"))
                .build().sampleRatio()).isEqualTo(1.0));
        assertThat(err).isEqualTo("aitrace: aitrace.sample.ratio=2 is not a share between 0 and 1 (like 0.25 or 25%),"
                + " using 1" + System.lineSeparator());
    }

    @Test
    void aRatioOfOneRecordsEveryTrace() throws Exception {
        ExecutorService pool = Tracing.wrap(Executors.newSingleThreadExecutor());
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build())) {
            Tracer tracer = runtime.tracer("sampling");
            for (int i = 0; i < 10; i++) {
                runAgent(tracer, pool);
            }
            runtime.flush();
        } finally {
            pool.shutdown();
        }
        List<JsonNode> ended = target.records(r -> !r.path("end").isNull());
        assertThat(ended).hasSize(30);
    }
}
