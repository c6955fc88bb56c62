package io.aitrace.helpers;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracers {@link TracerFactory} hands out in this JVM, where no provider is on the class path. */
class NoopTracerTest {

    @Test
    void theSameNameGivesTheSameTracer() {
        assertThat(TracerFactory.getTracer(NoopTracerTest.class))
                .isSameAs(TracerFactory.getTracer(NoopTracerTest.class.getName()));
        assertThat(TracerFactory.getTracer(NoopTracerTest.class).name()).isEqualTo(NoopTracerTest.class.getName());
    }

    @Test
    void withoutAProviderNoneIsBound() {
        assertThat(TracerFactory.getProvider()).isNull();
    }

    @Test
    void callAndRunStillRunTheirBodies() {
        Tracer tracer = TracerFactory.getTracer("agent");
        List<String> ran = new ArrayList<>();

        String value = tracer.call("llm", NodeType.LLM, () -> "answer");
        tracer.run("step", NodeType.STEP, () -> ran.add("step"));

        assertThat(value).isEqualTo("answer");
        assertThat(ran).containsExactly("step");
    }

    @Test
    void spanMethodsAreFluentAndHarmlessAfterClose() {
        Tracer tracer = TracerFactory.getTracer("agent");
        Span span = tracer.span("step", NodeType.TOOL);
        span.close();

        assertThat(span.input("q", 1).output("a", 2).attribute("k", "v").annotate("why")
                .edge(EdgeType.RETRY_OF, tracer.currentSpan()).error(new IllegalStateException()).snapshot())
                .isSameAs(span);
        span.close();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.traceId()).isEmpty();
        assertThat(span.spanId()).isEmpty();
    }
}
