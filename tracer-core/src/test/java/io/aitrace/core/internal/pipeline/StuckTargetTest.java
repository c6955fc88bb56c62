package io.aitrace.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.MemoryTarget;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.TraceReader;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StuckTargetTest {

    /** A target whose writes wait until it is released (forever, unless a test releases it). */
    static final class GateTarget extends MemoryTarget {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(byte[] line, int offset, int length) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            store(line, offset, length);
        }
    }

    @Test
    void aTargetThatBlocksForeverNeverBlocksTheApplicationAndTheDropsAreReported() throws Exception {
        GateTarget stuck = new GateTarget();
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        long dropped;
        try {
            TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget()).addTarget(stuck)
                    .queueCapacity(1024).flushTimeout(Duration.ofMillis(200)).build());
            Tracer tracer = runtime.tracer("stuck");
            Thread app = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    try (Span span = tracer.span("step-" + i, NodeType.STEP)) {
                        span.attribute("i", i);
                    }
                }
            }, "application");
            app.start();
            app.join(60_000);
            assertThat(app.isAlive()).as("the application thread finished its 100,000 spans").isFalse();
            assertThat(tracer.currentSpan().isRecording()).isFalse();
            assertThat(runtime.flush()).as("flush gives up after its timeout").isFalse();
            dropped = runtime.droppedRecords();
            runtime.close();
        } finally {
            System.setErr(original);
            stuck.release.countDown();
        }
        // 100,000 records (one per span: a span that ends before its thread's next record is its end record
        // alone) into a queue of 1,024 behind a stuck target.
        assertThat(dropped).isGreaterThan(95_000).isLessThanOrEqualTo(100_000);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("aitrace: dropped " + dropped + " records because the writer's queue (capacity 1024) was full");
    }

    @Test
    void whenTheTargetCatchesUpTheDropCountIsWrittenAsARecord() {
        GateTarget slow = new GateTarget();
        TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget()).addTarget(slow)
                .queueCapacity(64).build());
        Tracer tracer = runtime.tracer("slow");
        for (int i = 0; i < 1_000; i++) {
            tracer.run("step", NodeType.STEP, () -> { });
        }
        long dropped = runtime.droppedRecords();
        slow.release.countDown();
        assertThat(runtime.flush()).isTrue();
        runtime.close();
        TraceGraph graph = TraceReader.readLines(slow.lines());
        assertThat(dropped).isGreaterThan(0);
        assertThat(graph.droppedRecords()).isEqualTo(dropped);
        assertThat(graph.nodes()).isNotEmpty();
        // Each of these spans is one record (it ended before its thread's next record): every one of them is
        // either in the file or counted as dropped, none lost in between.
        assertThat(graph.nodes().size() + dropped).isEqualTo(1_000);
    }
}
