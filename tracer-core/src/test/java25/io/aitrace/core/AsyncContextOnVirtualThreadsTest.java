package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.Tracer;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Java 25 only: the async pattern of {@link AsyncContextTest}, with the callback on a virtual thread. */
class AsyncContextOnVirtualThreadsTest {

    @Test
    void aSpanStartedAfterTheCurrentSpanEndedOnAVirtualThreadIsAChildOfTheOpenAncestor() throws Exception {
        MemoryTarget target = new MemoryTarget();
        StringBuilder current = new StringBuilder();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
                ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            Tracer tracer = runtime.tracer("virtual");
            String err = Stderr.capture(() -> {
                Map<String, JsonNode> spans = AsyncContextTest.spanEndedOnAnotherThreadThenNextStep(tracer, runtime,
                        target, virtual, current);
                assertThat(SpanTreeTest.parentName(spans, "next_step")).isEqualTo("agent");
            });
            assertThat(err).contains("aitrace: span 'next_step' was started under 'chat'");
        }
        assertThat(current).hasToString("root");
    }

    @Test
    void theWholeAsyncPatternRunsOnAVirtualThreadToo() throws Exception {
        MemoryTarget target = new MemoryTarget();
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
                ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            Tracer tracer = runtime.tracer("virtual");
            StringBuilder current = new StringBuilder();
            Map<String, JsonNode> spans = virtual.submit(() ->
                    AsyncContextTest.spanEndedOnAnotherThreadThenNextStep(tracer, runtime, target, virtual, current))
                    .get();
            assertThat(SpanTreeTest.parentName(spans, "next_step")).isEqualTo("agent");
            assertThat(current).hasToString("root");
        }
    }
}
