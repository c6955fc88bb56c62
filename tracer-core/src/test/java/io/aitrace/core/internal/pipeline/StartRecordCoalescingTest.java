package io.aitrace.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import io.aitrace.core.MemoryTarget;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.target.SpanListener;
import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A span that ended before the writer got to its start record is written once, as its end record; a start
 * record that something else refers to, or that a flush or a listener needs, is still written.
 */
public class StartRecordCoalescingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Holds the writer in its first write until released, so everything traced meanwhile waits in the queue. */
    static final class GateTarget extends MemoryTarget {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(byte[] line, int offset, int length) {
            entered.countDown();
            try {
                release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store(line, offset, length);
        }
    }

    /**
     * A runtime that wakes its writer only when a trace ends or on a flush, with its writer held writing a
     * first trace: what is traced next stays queued until the gate opens.
     */
    private static TracerRuntime runtime(GateTarget target, TracerConfig.Builder config) throws InterruptedException {
        TracerRuntime runtime = TracerRuntime.create(config.flushInterval(Duration.ofHours(1)).build());
        runtime.tracer("coalescing").run("first", NodeType.STEP, () -> { });
        assertThat(target.entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        return runtime;
    }

    /** Each record after the first trace's as "name start" or "name end" (or "log event"). */
    private static List<String> recordsAfterFirst(MemoryTarget target) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : target.records()) {
            if (r.path("name").asText().equals("first")) {
                continue;
            }
            out.add(r.path("type").asText().equals("log") ? "log " + r.path("event").asText()
                    : r.path("name").asText() + (r.path("end").isNull() ? " start" : " end"));
        }
        return out;
    }

    @Test
    void aChildThatEndedBeforeTheWriterReachedItIsWrittenOnceAndItsParentsStartIsKept() throws Exception {
        GateTarget target = new GateTarget();
        try (TracerRuntime runtime = runtime(target, MemoryTarget.config(target))) {
            Tracer tracer = runtime.tracer("coalescing");
            try (Span agent = tracer.span("agent", NodeType.AGENT)) {
                try (Span llm = tracer.span("llm", NodeType.LLM)) {
                    llm.input("prompt", "weather in Paris?").output("answer", "sunny").attribute("tokens", 12);
                    llm.snapshot();
                }
                agent.output("answer", "sunny");
            }
            target.release.countDown();
            assertThat(runtime.flush()).isTrue();

            assertThat(recordsAfterFirst(target)).containsExactly("agent start", "llm end", "agent end");
            JsonNode llm = target.endedSpans().get("llm");
            assertThat(llm.path("input").path("prompt").asText()).isEqualTo("weather in Paris?");
            assertThat(llm.path("attributes").path("tokens").asInt()).isEqualTo(12);
            assertThat(llm.path("status").asText()).isEqualTo("ok");
            Node read = TraceReader.readLines(target.lines()).nodes().stream()
                    .filter(n -> n.name().equals("llm")).findFirst().orElseThrow();
            assertThat(read.parent().name()).isEqualTo("agent");
            assertThat(read.status()).isEqualTo("ok");
        }
    }

    @Test
    void aLogLineInASpanKeepsItsStartRecordBeforeIt() throws Exception {
        GateTarget target = new GateTarget();
        try (TracerRuntime runtime = runtime(target, MemoryTarget.config(target))) {
            Tracer tracer = runtime.tracer("coalescing");
            try (Span step = tracer.span("step", NodeType.STEP)) {
                runtime.submit(new LogRecord(runtime.now(), "info", "com.acme.Agent", "calling model", step.traceId(),
                        step.spanId(), null, "main", Map.of(), null));
            }
            target.release.countDown();
            assertThat(runtime.flush()).isTrue();

            assertThat(recordsAfterFirst(target)).containsExactly("step start", "log calling model", "step end");
        }
    }

    @Test
    void aFlushWhileTheSpanRunsKeepsItsStartRecord() throws Exception {
        GateTarget target = new GateTarget();
        try (TracerRuntime runtime = runtime(target, MemoryTarget.config(target))) {
            Tracer tracer = runtime.tracer("coalescing");
            Span step = tracer.span("step", NodeType.STEP);
            Thread flusher = new Thread(runtime::flush);
            flusher.start(); // queues its barrier after the start record, then waits for the writer
            assertThat(Await.until(() -> flusher.getState() == Thread.State.TIMED_WAITING, PATIENCE)).isTrue();
            step.close();
            target.release.countDown();
            assertThat(runtime.flush()).isTrue();
            flusher.join(PATIENCE.toMillis());

            assertThat(recordsAfterFirst(target)).containsExactly("step start", "step end");
        }
    }

    @Test
    void withListenersEveryStartRecordIsWrittenSoEachSpanGetsOnStart() throws Exception {
        GateTarget target = new GateTarget();
        List<String> started = new ArrayList<>();
        SpanListener listener = new SpanListener() {
            @Override
            public void onStart(Node span) {
                started.add(span.name());
            }
        };
        try (TracerRuntime runtime = runtime(target, MemoryTarget.config(target).addListener(listener))) {
            Tracer tracer = runtime.tracer("coalescing");
            tracer.run("quick", NodeType.TOOL, () -> { });
            target.release.countDown();
            assertThat(runtime.flush()).isTrue();

            assertThat(recordsAfterFirst(target)).containsExactly("quick start", "quick end");
            assertThat(started).containsExactly("first", "quick");
        }
    }
}
