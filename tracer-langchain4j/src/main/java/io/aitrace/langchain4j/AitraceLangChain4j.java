package io.aitrace.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.service.tool.ToolExecutionErrorHandler;
import io.aitrace.Tracer;
import java.util.List;

/**
 * Traces a LangChain4j application by adding listeners: every model call an {@code llm} span, every AI Service
 * call an {@code agent} span with its model calls, tools and guardrails below it.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder().baseUrl(url).apiKey(key).modelName("gpt-4o-mini")
 *         .listeners(List.of(AitraceLangChain4j.chatModelListener())).build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new BookingTools())
 *         .registerListeners(AitraceLangChain4j.aiServiceListeners()).build();
 * }</pre>
 *
 * Message content (prompts, answers, tool arguments and results) is captured unless
 * {@code -Daitrace.capture-content=false} or {@code AITRACE_CAPTURE_CONTENT=false} is set, or the listeners come from
 * {@code builder().captureContent(false)}. A failure inside a listener is reported once on stderr and never reaches
 * the application.
 */
public final class AitraceLangChain4j {
    private static volatile LangChain4jTracing defaults;

    private AitraceLangChain4j() {
    }

    /** Listeners with a tracer or content capture of their own choosing. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A {@code ChatModelListener} for {@code .listeners(...)} of any LangChain4j chat model, blocking or streaming:
     * one {@code llm} span (kind CLIENT, {@code chat <model>}) per call, child of the span current where the model
     * is called, with the GenAI attributes: provider, request and response model, temperature, max tokens, token
     * usage (with cache and reasoning tokens when the provider reports them), finish reasons, input and output
     * messages, tool definitions. A failed call is an error span with the exception.
     */
    public static ChatModelListener chatModelListener() {
        return defaults().chatModelListener();
    }

    /**
     * The listeners for {@code AiServices.builder(..).registerListeners(...)}: each AI Service call an
     * {@code agent} span ({@code invoke_agent}, named {@code Interface.method}), with its model calls, one
     * {@code tool} span per tool execution and one {@code guardrail} span per guardrail as children; a model call
     * made again after a failed tool or a rejected answer carries a {@code retry_of} edge to the call before.
     */
    public static List<AiServiceListener<?>> aiServiceListeners() {
        return defaults().aiServiceListeners();
    }

    /**
     * An {@code AgentListener} for {@code langchain4j-agentic} (optional dependency), for {@code .listener(...)}
     * of the outermost agent or workflow builder; sub-agents inherit it. Each agent invocation is an {@code agent}
     * span nested as the workflow nests (sequence, parallel branches as siblings, loops, conditionals, supervisor),
     * with its inputs from the agentic scope and its output; tools the agents run are {@code tool} spans below them.
     */
    public static dev.langchain4j.agentic.observability.AgentListener agentListener() {
        return defaults().agentListener();
    }

    /**
     * A {@code ToolExecutionErrorHandler} for {@code AiServices.builder(..).toolExecutionErrorHandler(...)}: the
     * failed tool's span gets the thrown exception (type, message, stack), where LangChain4j's events alone give
     * only the text the model is told. The model is told the exception's message, as LangChain4j does by default.
     */
    public static ToolExecutionErrorHandler toolExecutionErrorHandler() {
        return defaults().toolExecutionErrorHandler();
    }

    /**
     * The streaming model, wrapped so that its {@code llm} spans record the time to the first streamed chunk
     * ({@code gen_ai.response.time_to_first_chunk}, seconds); LangChain4j's listeners alone do not see chunks.
     * Everything else goes to {@code model} unchanged.
     */
    public static StreamingChatModel timeToFirstToken(StreamingChatModel model) {
        if (model == null || model instanceof FirstTokenTimingModel) {
            return model;
        }
        return new FirstTokenTimingModel(model);
    }

    private static LangChain4jTracing defaults() {
        LangChain4jTracing tracing = defaults;
        if (tracing == null) {
            synchronized (AitraceLangChain4j.class) {
                tracing = defaults;
                if (tracing == null) {
                    tracing = builder().build();
                    defaults = tracing;
                }
            }
        }
        return tracing;
    }

    /** Builds a {@link LangChain4jTracing}. */
    public static final class Builder {
        private Tracer tracer;
        private Boolean captureContent;

        private Builder() {
        }

        /** The tracer the spans are started with (default: {@code TracerFactory.getTracer(AitraceLangChain4j.class)}). */
        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /**
         * Whether message content goes into the trace (default: {@code aitrace.capture-content} /
         * {@code AITRACE_CAPTURE_CONTENT}, else true). Off, the spans keep names, models, token counts, tool names,
         * call IDs, finish reasons, timings and errors, and no prompt, answer, argument or result text.
         */
        public Builder captureContent(boolean captureContent) {
            this.captureContent = captureContent;
            return this;
        }

        public LangChain4jTracing build() {
            return new LangChain4jTracing(tracer,
                    captureContent != null ? captureContent : ContentCapture.configured());
        }
    }
}
