package io.aitrace.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import io.aitrace.core.MemoryTarget;
import io.aitrace.core.TracerRuntime;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The writer sleeps between batches; these are the events that must still get records out promptly. */
class RecordWriterWakeupTest {

    /** Counts the flushes the writer asks for. */
    static final class FlushCountingTarget extends MemoryTarget {
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }
    }

    @Test
    void aTraceThatEndsIsWrittenAndFlushedWithoutWaitingForTheFlushInterval() {
        FlushCountingTarget target = new FlushCountingTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofHours(1)).build())) {
            Tracer tracer = runtime.tracer("wakeup");
            try (Span run = tracer.span("agent", NodeType.AGENT)) {
                run.input("query", "weather");
            }
            assertThat(Await.until(() -> target.flushes.get() > 0 && target.records().stream()
                    .anyMatch(r -> r.path("end").isTextual()), Duration.ofSeconds(10)))
                    .as("end record written and flushed").isTrue();
            assertThat(target.records()).last().satisfies(r -> assertThat(r.path("name").asText()).isEqualTo("agent"));
        }
    }

    @Test
    void theStartOfASpanStillOpenIsWrittenWithinTheFlushInterval() {
        FlushCountingTarget target = new FlushCountingTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofMillis(50)).build())) {
            Tracer tracer = runtime.tracer("wakeup");
            try (Span run = tracer.span("long_running_agent", NodeType.AGENT)) {
                assertThat(Await.until(() -> target.lines().size() == 1 && target.flushes.get() > 0,
                        Duration.ofSeconds(10))).as("the running span's start record").isTrue();
                assertThat(target.records().get(0).path("name").asText()).isEqualTo("long_running_agent");
                assertThat(target.records().get(0).path("end").isNull()).isTrue();
            }
        }
    }

    @Test
    void flushWritesWhatIsQueuedAtOnceWhenTheWriterSleeps() {
        FlushCountingTarget target = new FlushCountingTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .flushInterval(Duration.ofHours(1)).build())) {
            Tracer tracer = runtime.tracer("wakeup");
            try (Span run = tracer.span("agent", NodeType.AGENT)) {
                try (Span step = tracer.span("step", NodeType.STEP)) {
                    step.output("answer", 42);
                }
                assertThat(runtime.flush()).isTrue();
                assertThat(target.records()).as("the running agent's start record")
                        .anyMatch(r -> r.path("name").asText().equals("agent") && r.path("end").isNull());
                assertThat(target.records()).as("the step's end record, last")
                        .last().matches(r -> r.path("name").asText().equals("step") && r.path("end").isTextual());
                assertThat(target.flushes.get()).isPositive();
            }
        }
    }

    @Test
    void spansFromManyThreadsAllArriveEachThreadsInTheOrderItEndedThem() throws Exception {
        int threads = 4;
        int spansEach = 2_000;
        MemoryTarget target = new MemoryTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                .queueCapacity(4 * threads * spansEach).flushInterval(Duration.ofHours(1)).build())) {
            Tracer tracer = runtime.tracer("many");
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<Thread> started = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < spansEach; i++) {
                        tracer.run("t" + thread + "-" + i, NodeType.STEP, () -> { });
                    }
                }, "producer-" + t);
                worker.start();
                started.add(worker);
            }
            go.countDown();
            for (Thread worker : started) {
                worker.join();
            }
            assertThat(runtime.flush()).isTrue();
            assertThat(runtime.droppedRecords()).isZero();
            java.util.Map<String, Integer> next = new java.util.HashMap<>();
            for (var record : target.records()) {
                if (!record.path("end").isTextual()) {
                    continue; // a start record the writer reached before the span ended
                }
                String[] name = record.path("name").asText().split("-");
                int expected = next.getOrDefault(name[0], 0);
                assertThat(Integer.parseInt(name[1])).as(name[0]).isEqualTo(expected);
                next.put(name[0], expected + 1);
            }
            assertThat(next).hasSize(threads).allSatisfy((thread, count) -> assertThat(count).isEqualTo(spansEach));
        }
    }
    /** Notes whether its close was interrupted, on entry or while it waits for answers of its own. */
    static final class AnswerWaitingTarget extends MemoryTarget {
        final java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void close() {
            if (Thread.currentThread().isInterrupted()) {
                interrupted.set(true);
            }
            try {
                new java.util.concurrent.CountDownLatch(1).await(5, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }
    }

    @Test
    void aTargetWaitingForAnswersAtCloseIsNotInterrupted() {
        // close() interrupts the writer to end a stuck write; when the writer is already closing its targets,
        // that interrupt cut the OTLP target's wait for the last answers short ("still unanswered at shutdown").
        for (int round = 0; round < 40; round++) {
            AnswerWaitingTarget target = new AnswerWaitingTarget();
            TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
            Tracer tracer = runtime.tracer("close");
            for (int i = 0; i < 200; i++) {
                tracer.run("step", NodeType.STEP, () -> { });
            }
            runtime.close();
            assertThat(target.interrupted).as("round %d", round).isFalse();
            assertThat(target.lines()).as("round %d", round).hasSize(200);
        }
    }
}
