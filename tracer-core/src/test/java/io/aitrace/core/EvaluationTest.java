package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.core.read.TraceReader;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.read.Evaluation;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("EvaluationTest");

    @AfterEach
    void close() {
        runtime.close();
    }

    private TraceGraph readBack() {
        runtime.flush();
        return TraceReader.readLines(target.lines());
    }

    private static Node named(TraceGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anEvaluationMadeWhileTheSpanRunsIsWrittenOnItsRecord() {
        try (Span answer = tracer.span("answer", NodeType.LLM)) {
            answer.evaluate("faithfulness", 0.82, "pass", "grounded in 3 of 3 sources");
        }
        runtime.flush();
        JsonNode evaluations = target.endedSpans().get("answer").path("evaluations");
        assertThat(evaluations).hasSize(1);
        assertThat(evaluations.get(0).path("name").asText()).isEqualTo("faithfulness");
        assertThat(evaluations.get(0).path("score").asDouble()).isEqualTo(0.82);
        assertThat(evaluations.get(0).path("label").asText()).isEqualTo("pass");
        assertThat(evaluations.get(0).path("explanation").asText()).isEqualTo("grounded in 3 of 3 sources");
        assertThat(evaluations.get(0).path("ts").asText()).endsWith("Z");

        Evaluation read = named(readBack(), "answer").evaluations().get(0);
        assertThat(read).extracting(Evaluation::name, Evaluation::score, Evaluation::label, Evaluation::explanation)
                .containsExactly("faithfulness", 0.82, "pass", "grounded in 3 of 3 sources");
    }

    @Test
    void aSpanWithoutEvaluationsWritesNoEvaluationsField() {
        tracer.run("plain", NodeType.STEP, () -> { });
        runtime.flush();
        assertThat(target.endedSpans().get("plain").has("evaluations")).isFalse();
    }

    @Test
    void anEvaluationMadeAfterTheSpanEndedBecomesARecordThatTheReaderAttaches() {
        Span answer = tracer.span("answer", NodeType.LLM);
        answer.evaluate("relevance", null, "relevant", null);
        answer.close();
        answer.evaluate("faithfulness", 0.4, null, "one claim has no source");
        runtime.flush();

        JsonNode late = target.records().stream().filter(r -> r.path("type").asText().equals("evaluation"))
                .findFirst().orElseThrow();
        assertThat(late.path("trace_id").asText()).isEqualTo(answer.traceId());
        assertThat(late.path("span_id").asText()).isEqualTo(answer.spanId());
        assertThat(late.path("score").asDouble()).isEqualTo(0.4);
        assertThat(late.path("label").isNull()).isTrue();

        assertThat(named(readBack(), "answer").evaluations())
                .extracting(Evaluation::name, Evaluation::score, Evaluation::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("relevance", null, "relevant"),
                        org.assertj.core.groups.Tuple.tuple("faithfulness", 0.4, null));
    }

    @Test
    void anEvaluationWithoutANameOrAnyResultIsIgnoredAndReportedOnce() throws Exception {
        String err = Stderr.capture(() -> {
            try (Span answer = tracer.span("answer", NodeType.LLM)) {
                answer.evaluate(null, 0.5, null, null);
                answer.evaluate("faithfulness", Double.NaN, null, null);
                answer.evaluate("faithfulness", null, " ", "no verdict");
            }
        });
        assertThat(named(readBack(), "answer").evaluations()).isEmpty();
        assertThat(err).containsOnlyOnce("evaluate(...) on span 'answer' is ignored");
    }

    @Test
    void evaluationRecordsAttachToTheirSpanWhicheverComesFirstAndDuplicatesCountOnce() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String evaluation = "{\"v\":1,\"type\":\"evaluation\",\"trace_id\":\"" + trace + "\",\"span_id\":\"00f067aa0ba902b7\","
                + "\"ts\":\"2026-11-21T18:00:05Z\",\"name\":\"faithfulness\",\"score\":0.3,\"label\":\"fail\"}";
        String span = "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + trace + "\",\"span_id\":\"00f067aa0ba902b7\","
                + "\"name\":\"answer\",\"start\":\"2026-11-21T18:00:00Z\",\"end\":\"2026-11-21T18:00:01Z\","
                + "\"evaluations\":[{\"ts\":\"2026-11-21T18:00:00.500000Z\",\"name\":\"toxicity\",\"score\":0}]}";
        TraceGraph graph = TraceReader.readLines(List.of(evaluation, span, evaluation));
        Node answer = named(graph, "answer");
        assertThat(answer.evaluations()).extracting(Evaluation::name).containsExactly("toxicity", "faithfulness");
        assertThat(graph.skippedLines()).isZero();
    }

    @Test
    void anEvaluationRecordWithoutAResultIsSkippedWithItsProblemNamed() {
        TraceGraph graph = TraceReader.readLines(List.of("{\"v\":1,\"type\":\"evaluation\","
                + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\",\"name\":\"x\"}"));
        assertThat(graph.skippedLines()).isEqualTo(1);
        assertThat(graph.problems()).singleElement().asString()
                .contains("evaluation record needs a name and a score or a label");
    }
}
