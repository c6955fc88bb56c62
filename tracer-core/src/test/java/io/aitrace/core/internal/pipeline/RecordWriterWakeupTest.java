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
}
