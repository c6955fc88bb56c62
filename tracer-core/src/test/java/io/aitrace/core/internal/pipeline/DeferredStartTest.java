package io.aitrace.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.Tracer;
import io.aitrace.core.Await;
import io.aitrace.core.MemoryTarget;
import io.aitrace.core.TracerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A span's start record is kept aside until something needs it: a short span is one record, while a running
 * span still reaches the file on the flush interval, and the records of other threads that refer to it come
 * after it.
 */
public class DeferredStartTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Each record as "name start" or "name end", in file order. */
    private static List<String> records(MemoryTarget target) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : target.records()) {
            out.add(r.path("name").asText() + (r.path("end").isNull() ? " start" : " end"));
        }
        return out;
    }

    @Test
    void aRunningSpanReachesTheFileOnTheFlushIntervalWithoutAFlush() {
        MemoryTarget target = new MemoryTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofMillis(10)).build())) {
            Tracer tracer = runtime.tracer("deferred");
            try (Span step = tracer.span("waiting_for_model", NodeType.LLM)) {
                assertThat(Await.until(() -> records(target).contains("waiting_for_model start"), PATIENCE))
                        .as("the start record of a span that runs on, with nothing else traced").isTrue();
            }
            assertThat(runtime.flush()).isTrue();
            assertThat(records(target)).containsExactly("waiting_for_model start", "waiting_for_model end");
        }
    }

    @Test
    void aSpanEndedOnAnotherThreadIsOneRecordAndAChildOnAnotherThreadComesAfterItsParentsStart()
            throws Exception {
        MemoryTarget target = new MemoryTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofHours(1)).build())) {
            Tracer tracer = runtime.tracer("deferred");
            Span quick = tracer.startSpan("handed_over", NodeType.TOOL);
            Thread closer = new Thread(quick::close);
            closer.start();
            closer.join(PATIENCE.toMillis());

            Span agent = tracer.startSpan("agent", NodeType.AGENT);
            Thread worker = new Thread(() -> {
                try (Span child = tracer.startSpan("tool_call", NodeType.TOOL, SpanKind.INTERNAL, agent)) {
                    child.attribute("city", "Paris");
                }
            });
            worker.start();
            worker.join(PATIENCE.toMillis());
            agent.close();
            assertThat(runtime.flush()).isTrue();

            assertThat(records(target)).containsExactly("handed_over end", "agent start", "tool_call end",
                    "agent end");
            assertThat(target.endedSpans().get("tool_call").path("parent_span_id").asText())
                    .isEqualTo(agent.spanId());
        }
    }

    @Test
    void underRacesEverySpanHasOneEndRecordAndNoStartRecordComesAfterItsEnd() throws Exception {
        MemoryTarget target = new MemoryTarget();
        int threads = 4;
        int spansEach = 1_000;
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofMillis(10)).queueCapacity(1_000_000).build())) {
            Tracer tracer = runtime.tracer("deferred");
            BlockingQueue<Span> handedOver = new ArrayBlockingQueue<>(threads * spansEach);
            AtomicBoolean tracing = new AtomicBoolean(true);
            Thread closer = new Thread(() -> { // ends spans started on other threads, as they come
                try {
                    while (tracing.get() || !handedOver.isEmpty()) {
                        Span span = handedOver.poll(10, TimeUnit.MILLISECONDS);
                        if (span != null) {
                            span.close();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread flusher = new Thread(() -> {
                while (tracing.get()) {
                    runtime.flush();
                }
            });
            closer.start();
            flusher.start();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < spansEach; i++) {
                        Span span = tracer.startSpan("s", NodeType.STEP);
                        if (i % 3 == 0) {
                            try (Span child = tracer.startSpan("c", NodeType.TOOL, SpanKind.INTERNAL, span)) {
                                child.attribute("i", i);
                            }
                        }
                        if (i % 2 == 0) {
                            handedOver.add(span);
                        } else {
                            span.close();
                        }
                    }
                });
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join(PATIENCE.toMillis());
            }
            tracing.set(false);
            closer.join(PATIENCE.toMillis());
            flusher.join(PATIENCE.toMillis());
            assertThat(runtime.flush()).isTrue();
            assertThat(runtime.droppedRecords()).isZero();

            Map<String, Integer> ends = new HashMap<>();
            Map<String, Integer> starts = new HashMap<>();
            List<String> startAfterEnd = new ArrayList<>();
            for (JsonNode r : target.records()) {
                String id = r.path("span_id").asText();
                if (r.path("end").isNull()) {
                    starts.merge(id, 1, Integer::sum);
                    if (ends.containsKey(id)) {
                        startAfterEnd.add(id);
                    }
                } else {
                    ends.merge(id, 1, Integer::sum);
                }
            }
            int children = threads * ((spansEach + 2) / 3);
            assertThat(ends).hasSize(threads * spansEach + children);
            assertThat(ends.values()).containsOnly(1);
            assertThat(starts.values()).containsOnly(1);
            assertThat(startAfterEnd).isEmpty();
        }
    }
}
