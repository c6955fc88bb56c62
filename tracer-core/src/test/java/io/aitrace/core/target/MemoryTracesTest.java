package io.aitrace.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aitrace.core.MemoryTarget;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.read.Evaluation;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryTracesTest {
    private final MemoryTraces traces = new MemoryTraces(3);
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget())
            .addTarget(traces).build());
    private final Tracer tracer = runtime.tracer("memory");

    @AfterEach
    void close() {
        runtime.close();
    }

    private void conversation(Object id, String name) {
        try (Span run = tracer.span(name, NodeType.AGENT)) {
            run.inheritableAttribute("gen_ai.conversation.id", id);
            tracer.run("answer", NodeType.LLM, () -> { });
        }
    }

    @Test
    void keepsTheLastTracesAndFindsThemByAttribute() {
        UUID conversation = UUID.fromString("0b8f6c1e-8d4e-4b7a-9a51-6f5c2d1e3a40");
        conversation("first", "run1");
        conversation(conversation, "run2");
        conversation(42, "run3");
        conversation(conversation, "run4");
        runtime.flush();

        assertThat(traces.size()).isEqualTo(3);
        assertThat(traces.traces()).extracting(t -> t.roots().get(0).name()).containsExactly("run2", "run3", "run4");
        assertThat(traces.byAttribute("gen_ai.conversation.id", conversation))
                .extracting(t -> t.roots().get(0).name()).containsExactly("run2", "run4");
        assertThat(traces.byAttribute("gen_ai.conversation.id", "42")).hasSize(1);
        assertThat(traces.byAttribute("gen_ai.conversation.id", "first")).isEmpty();
        TraceGraph last = traces.last().orElseThrow();
        assertThat(last.roots().get(0).children()).extracting(Node::name).containsExactly("answer");
        assertThat(traces.trace(last.roots().get(0).traceId())).isPresent();
        traces.clear();
        assertThat(traces.traces()).isEmpty();
        assertThat(traces.last()).isEmpty();
    }

    @Test
    void aTraceStillRunningIsReadWithItsRunningSpans() {
        try (Span run = tracer.span("long_run", NodeType.AGENT)) {
            tracer.run("done_step", NodeType.STEP, () -> { });
            runtime.flush();
            Node root = traces.last().orElseThrow().roots().get(0);
            assertThat(root.status()).isEqualTo("running");
            assertThat(root.children()).extracting(Node::status).containsExactly("ok");
        }
    }

    @Test
    void evaluationsMadeAfterTheSpanEndedAreOnItBesideTheOnesMadeWhileItRan() {
        Span answer;
        try (Span run = tracer.span("rag_run", NodeType.AGENT)) {
            try (Span step = tracer.span("answer", NodeType.LLM)) {
                answer = step;
                step.evaluate("relevance", null, "relevant", null);
            }
        }
        answer.evaluate("faithfulness", 0.4, "fail", "one claim has no source");
        runtime.submit(EvaluationRecord.of(answer.traceId(), answer.spanId(), runtime.now(), "toxicity", 0.0, null,
                null, runtime.converter()));
        runtime.submit(EvaluationRecord.of("0123456789abcdef0123456789abcdef", "0123456789abcdef", runtime.now(),
                "orphan", 1.0, null, null, runtime.converter()));
        runtime.flush();

        Node node = traces.last().orElseThrow().roots().get(0).children().get(0);
        assertThat(node.evaluations()).extracting(Evaluation::name, Evaluation::score, Evaluation::label)
                .containsExactly(tuple("relevance", null, "relevant"),
                        tuple("faithfulness", 0.4, "fail"),
                        tuple("toxicity", 0.0, null));
        assertThat(traces.size()).as("an evaluation of a trace never seen starts none").isEqualTo(1);
    }
}
