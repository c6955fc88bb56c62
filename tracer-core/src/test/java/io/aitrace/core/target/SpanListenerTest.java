package io.aitrace.core.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.MemoryTarget;
import io.aitrace.core.Stderr;
import io.aitrace.core.TracerRuntime;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SpanListenerTest {

    /** Remembers each call as {@code event name thread}. */
    static final class Recorder implements SpanListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Node> ended = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Node span) {
            calls.add("start " + span.name() + " " + Thread.currentThread().getName());
        }

        @Override
        public void onSnapshot(Node span) {
            calls.add("snapshot " + span.name() + " " + span.output());
        }

        @Override
        public void onEnd(Node span) {
            calls.add("end " + span.name() + " " + span.status());
            ended.add(span);
        }
    }

    @Test
    void listenersHearStartSnapshotAndEndOnTheWriterThread() {
        Recorder recorder = new Recorder();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget())
                .addListener(recorder).build())) {
            Tracer tracer = runtime.tracer("listeners");
            try (Span agent = tracer.span("agent", NodeType.AGENT)) {
                agent.output("progress", "half").snapshot();
                tracer.run("step", NodeType.STEP, () -> tracer.currentSpan().error("bad input"));
            }
            runtime.flush();
        }
        assertThat(recorder.calls).containsExactly(
                "start agent aitrace-writer",
                "snapshot agent {progress=half}",
                "start step aitrace-writer",
                "end step error",
                "end agent ok");
        Node step = recorder.ended.get(0);
        assertThat(step.parentSpanId()).isEqualTo(recorder.ended.get(1).spanId());
        assertThat(step.error()).containsEntry("message", "bad input");
    }

    @Test
    void aFailingListenerIsReportedOnceAndTheOthersAndTheTargetsGoOn() throws Exception {
        Recorder recorder = new Recorder();
        MemoryTarget target = new MemoryTarget();
        SpanListener broken = new SpanListener() {
            @Override
            public void onEnd(Node span) {
                throw new IllegalStateException("listener bug");
            }
        };
        String err = Stderr.capture(() -> {
            try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target)
                    .addListener(broken).addListener(recorder).build())) {
                Tracer tracer = runtime.tracer("listeners");
                for (int i = 0; i < 3; i++) {
                    tracer.run("run" + i, NodeType.AGENT, () -> { });
                }
                runtime.flush();
            }
        });
        assertThat(recorder.ended).extracting(Node::name).containsExactly("run0", "run1", "run2");
        assertThat(target.endedSpans()).containsOnlyKeys("run0", "run1", "run2");
        assertThat(err.lines()).singleElement().asString()
                .startsWith("aitrace: span listener io.aitrace.core.target.SpanListenerTest$")
                .endsWith(" failed in onEnd (further failures of it are not reported): IllegalStateException: listener bug");
    }
}
