package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ways to record an error, and what happens to one recorded too late. */
class SpanErrorTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).build());
    private final Tracer tracer = runtime.tracer("errors");

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void callRecordsTheExceptionAndRethrowsTheSameObject() {
        IOException outage = new IOException("backend down");
        assertThatThrownBy(() -> tracer.call("search", NodeType.TOOL, () -> {
            throw outage;
        })).isSameAs(outage);
        runtime.flush();
        JsonNode search = target.endedSpans().get("search");
        assertThat(search.path("status").asText()).isEqualTo("error");
        assertThat(search.path("error").path("type").asText()).isEqualTo("java.io.IOException");
    }

    @Test
    void failRecordsTheErrorAndEndsASpanEndedByHandOnAnotherThread() throws Exception {
        Span call = tracer.span("chat", NodeType.LLM);
        CompletableFuture<String> reply = CompletableFuture.failedFuture(new IllegalStateException("quota exceeded"));
        reply.handleAsync((text, e) -> e != null ? call.fail(e) : call.output(text)).get(10, TimeUnit.SECONDS);
        assertThat(call.isEnded()).isTrue();
        runtime.flush();
        JsonNode chat = target.endedSpans().get("chat");
        assertThat(chat.path("status").asText()).isEqualTo("error");
        assertThat(chat.path("error").path("message").asText()).isEqualTo("quota exceeded");
    }

    @Test
    void anErrorRecordedAfterTheSpanClosedIsIgnoredWithOneHintOnStderr() throws Exception {
        String err = Stderr.capture(() -> {
            for (int i = 0; i < 2; i++) {
                Span step = tracer.span("search", NodeType.TOOL);
                try (step) {
                    throw new IOException("timeout");
                } catch (IOException e) {
                    step.error(e); // too late: the try-with-resources closed the span before this catch
                }
            }
            runtime.flush();
        });
        assertThat(target.records(r -> "error".equals(r.path("status").asText()))).isEmpty();
        assertThat(err).isEqualTo("aitrace: error(...) on span 'search' after it ended is ignored: record the"
                + " error inside the try block, or use tracer.call(...) (further ones are not reported)"
                + System.lineSeparator());
    }
}
