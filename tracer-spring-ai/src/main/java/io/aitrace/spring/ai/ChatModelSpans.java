package io.aitrace.spring.ai;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.genai.GenAi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * One model call: an {@code llm} span ({@code chat}) with provider, requested and answering model, request
 * options, response ID, finish reasons, the exact token counts the provider reported, and the messages sent
 * and received ({@code gen_ai.input.messages} / {@code gen_ai.output.messages}).
 */
final class ChatModelSpans implements SpanMapping<ChatModelObservationContext> {

    @Override
    public Class<ChatModelObservationContext> contextType() {
        return ChatModelObservationContext.class;
    }

    @Override
    public NodeType nodeType(ChatModelObservationContext context) {
        return NodeType.LLM;
    }

    @Override
    public SpanKind spanKind(ChatModelObservationContext context) {
        return SpanKind.CLIENT;
    }

    @Override
    public String name(ChatModelObservationContext context) {
        ChatOptions options = context.getRequest().getOptions();
        return ModelAttributes.spanName(context.getOperationMetadata().operationType(),
                options == null ? null : options.getModel());
    }

    @Override
    public void started(Span span, ChatModelObservationContext context, boolean content) {
        Prompt prompt = context.getRequest();
        ChatOptions options = prompt.getOptions();
        GenAi.chat(span, context.getOperationMetadata().provider(), options == null ? null : options.getModel());
        if (options != null) {
            ModelAttributes.setIfPresent(span, GenAi.REQUEST_TEMPERATURE, options.getTemperature());
            ModelAttributes.setIfPresent(span, GenAi.REQUEST_MAX_TOKENS, options.getMaxTokens());
            ModelAttributes.setIfPresent(span, "gen_ai.request.top_p", options.getTopP());
        }
        if (context.isStreaming()) {
            span.attribute("spring.ai.chat.model.stream", true);
        }
        if (content) {
            GenAi.inputMessages(span, Messages.of(prompt.getInstructions()));
        }
    }

    @Override
    public void stopped(Span span, ChatModelObservationContext context, boolean content) {
        ChatResponse response = context.getResponse();
        if (response == null) {
            return;
        }
        ChatResponseMetadata metadata = response.getMetadata();
        if (metadata != null) {
            ModelAttributes.setIfPresent(span, GenAi.RESPONSE_ID, blankToNull(metadata.getId()));
            GenAi.responseModel(span, blankToNull(metadata.getModel()));
            ModelAttributes.usage(span, metadata.getUsage());
        }
        if (content) {
            GenAi.outputMessages(span, Messages.of(response));
        } else {
            List<String> reasons = new ArrayList<>();
            for (Generation generation : response.getResults()) {
                String reason = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
                if (reason != null) {
                    reasons.add(reason.toLowerCase(Locale.ROOT));
                }
            }
            if (!reasons.isEmpty()) {
                span.attribute(GenAi.RESPONSE_FINISH_REASONS, reasons);
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Attribute helpers shared by the model mappings. */
    static final class ModelAttributes {
        private ModelAttributes() {
        }

        /** {@code chat gpt-4o}: the operation and the requested model, as Spring AI's conventions name it. */
        static String spanName(String operation, String model) {
            return model == null || model.isBlank() ? operation : operation + " " + model;
        }

        static void setIfPresent(Span span, String key, Object value) {
            if (value != null) {
                span.attribute(key, value);
            }
        }

        /** The counts as the provider reported them; a count it left out is left out, never guessed. */
        static void usage(Span span, Usage usage) {
            if (usage == null) {
                return;
            }
            setIfPresent(span, GenAi.USAGE_INPUT_TOKENS, usage.getPromptTokens());
            setIfPresent(span, GenAi.USAGE_OUTPUT_TOKENS, usage.getCompletionTokens());
            setIfPresent(span, "gen_ai.usage.cache_read.input_tokens", usage.getCacheReadInputTokens());
            setIfPresent(span, "gen_ai.usage.cache_creation.input_tokens", usage.getCacheWriteInputTokens());
        }
    }
}
