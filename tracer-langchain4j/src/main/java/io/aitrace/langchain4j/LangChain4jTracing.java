package io.aitrace.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.service.tool.ToolExecutionErrorHandler;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import java.util.List;

/**
 * The listeners of one configuration (tracer, content capture), from {@link AitraceLangChain4j#builder()}; the
 * static methods of {@link AitraceLangChain4j} use a default one.
 *
 * <pre>{@code
 * LangChain4jTracing tracing = AitraceLangChain4j.builder().captureContent(false).build();
 * ChatModel model = OpenAiChatModel.builder()...listeners(List.of(tracing.chatModelListener())).build();
 * }</pre>
 */
public final class LangChain4jTracing {
    private final Tracer tracer;
    private final boolean captureContent;
    private final AiServiceTracing aiServices;

    LangChain4jTracing(Tracer tracer, boolean captureContent) {
        this.tracer = tracer != null ? tracer : TracerFactory.getTracer(AitraceLangChain4j.class);
        this.captureContent = captureContent;
        this.aiServices = new AiServiceTracing(this);
    }

    Tracer tracer() {
        return tracer;
    }

    /** Whether prompts, answers, tool arguments and results go into the trace. */
    public boolean captureContent() {
        return captureContent;
    }

    /** One {@code llm} span per model call; see {@link AitraceLangChain4j#chatModelListener()}. */
    public ChatModelListener chatModelListener() {
        return new TracingChatModelListener(this);
    }

    /** The AI Service listeners; see {@link AitraceLangChain4j#aiServiceListeners()}. */
    public List<AiServiceListener<?>> aiServiceListeners() {
        return aiServices.listeners();
    }

    /** The {@code langchain4j-agentic} listener; see {@link AitraceLangChain4j#agentListener()}. */
    public dev.langchain4j.agentic.observability.AgentListener agentListener() {
        return TracingAgentListener.create(this);
    }

    /** Adds the thrown exception to failed tool spans; see {@link AitraceLangChain4j#toolExecutionErrorHandler()}. */
    public ToolExecutionErrorHandler toolExecutionErrorHandler() {
        return toolExecutionErrorHandler(null);
    }

    /** As {@link #toolExecutionErrorHandler()}, then hands the error to {@code handler} for the model's message. */
    public ToolExecutionErrorHandler toolExecutionErrorHandler(ToolExecutionErrorHandler handler) {
        return aiServices.toolExecutionErrorHandler(handler);
    }

    /** Time to first token for a streaming model; see {@link AitraceLangChain4j#timeToFirstToken(StreamingChatModel)}. */
    public StreamingChatModel timeToFirstToken(StreamingChatModel model) {
        return AitraceLangChain4j.timeToFirstToken(model);
    }
}
