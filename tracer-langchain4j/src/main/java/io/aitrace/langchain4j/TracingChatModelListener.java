package io.aitrace.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.genai.GenAi;
import java.time.Duration;
import java.util.Map;

/**
 * One {@code llm} span (kind CLIENT) per model call, blocking or streaming. The span is a child of the span current
 * on the thread that calls the model (or of the AI Service's agent span), is never made current itself, and travels
 * from {@code onRequest} to {@code onResponse}/{@code onError} in the call's attribute map, so it ends correctly
 * when the response arrives on another thread.
 */
final class TracingChatModelListener implements ChatModelListener {
    private static final Object CALL = LlmCall.class;
    private final LangChain4jTracing tracing;

    TracingChatModelListener(LangChain4jTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        ListenerFailures.guard("ChatModelListener.onRequest", () -> {
            LlmCall call = LlmCall.takeHandoff();
            if (call == null || !call.isFor(ChatSpans.lastMessage(context.chatRequest()))) {
                String model = ChatSpans.modelName(context.chatRequest(), null);
                Span parent = tracing.tracer().currentSpan();
                Span span = tracing.tracer().startSpan(ChatSpans.spanName(model), NodeType.LLM, SpanKind.CLIENT,
                        parent.isRecording() ? parent : null);
                call = new LlmCall(span);
            }
            call.adopted = true;
            Map<Object, Object> attributes = context.attributes();
            if (attributes.get(FirstTokenClock.KEY) instanceof FirstTokenClock clock) {
                call.clock = clock;
            }
            attributes.put(CALL, call);
            ChatSpans.request(call.span, context.chatRequest(), context.modelProvider(), tracing.captureContent());
        });
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        ListenerFailures.guard("ChatModelListener.onResponse", () -> {
            if (!(context.attributes().remove(CALL) instanceof LlmCall call)) {
                return;
            }
            ChatSpans.response(call.span, context.chatResponse(), tracing.captureContent());
            FirstTokenClock clock = call.clock;
            if (clock != null) {
                long nanos = clock.sinceStart(call.startNanos);
                if (nanos >= 0) {
                    GenAi.timeToFirstChunk(call.span, Duration.ofNanos(nanos));
                }
            }
            call.span.close();
        });
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        ListenerFailures.guard("ChatModelListener.onError", () -> {
            if (context.attributes().remove(CALL) instanceof LlmCall call) {
                call.span.fail(context.error());
            }
        });
    }
}
