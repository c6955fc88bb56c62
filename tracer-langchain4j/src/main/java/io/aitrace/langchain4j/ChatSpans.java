package io.aitrace.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.aitrace.Span;
import io.aitrace.genai.GenAi;
import io.aitrace.genai.GenAi.Message;
import io.aitrace.genai.GenAi.Part;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one LangChain4j chat request and its response onto an {@code llm} span, in the OpenTelemetry GenAI
 * vocabulary. Every piece is optional: a missing model name, usage or message leaves its attribute out.
 */
final class ChatSpans {
    /** Not (yet) in {@link GenAi}: the tools offered to the model, as the conventions write them. */
    static final String TOOL_DEFINITIONS = "gen_ai.tool.definitions";
    /** Not (yet) in {@link GenAi}: input tokens read from the provider's prompt cache. */
    static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    /** Not (yet) in {@link GenAi}: input tokens written to the provider's prompt cache. */
    static final String USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
    /** Not (yet) in {@link GenAi}: output tokens spent on reasoning. */
    static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";

    private ChatSpans() {
    }

    /** The span name the conventions ask for: {@code chat <model>}, or {@code chat} when the model is unknown. */
    static String spanName(String model) {
        return model == null || model.isBlank() ? GenAi.OP_CHAT : GenAi.OP_CHAT + " " + model;
    }

    static String modelName(ChatRequest request, ChatRequestParameters defaults) {
        String model = request == null || request.parameters() == null ? null : request.parameters().modelName();
        if (model == null && defaults != null) {
            model = defaults.modelName();
        }
        return model;
    }

    static ChatMessage lastMessage(ChatRequest request) {
        List<ChatMessage> messages = request == null ? null : request.messages();
        return messages == null || messages.isEmpty() ? null : messages.get(messages.size() - 1);
    }

    static void request(Span span, ChatRequest request, ModelProvider provider, boolean captureContent) {
        if (request == null) {
            return;
        }
        ChatRequestParameters parameters = request.parameters();
        GenAi.chat(span, providerName(provider), parameters == null ? null : parameters.modelName());
        if (parameters != null) {
            setIfPresent(span, GenAi.REQUEST_TEMPERATURE, parameters.temperature());
            setIfPresent(span, GenAi.REQUEST_MAX_TOKENS, parameters.maxOutputTokens());
            List<ToolSpecification> tools = parameters.toolSpecifications();
            if (tools != null && !tools.isEmpty()) {
                span.attribute(TOOL_DEFINITIONS, toolDefinitions(tools));
            }
        }
        if (captureContent && request.messages() != null) {
            GenAi.inputMessages(span, messages(request.messages()));
        }
    }

    static void response(Span span, ChatResponse response, boolean captureContent) {
        if (response == null) {
            return;
        }
        ChatResponseMetadata metadata = response.metadata();
        if (metadata != null) {
            GenAi.responseModel(span, metadata.modelName());
            setIfPresent(span, GenAi.RESPONSE_ID, metadata.id());
            usage(span, metadata.tokenUsage());
        }
        String finishReason = finishReason(metadata == null ? null : metadata.finishReason());
        if (captureContent && response.aiMessage() != null) {
            Message answer = message(response.aiMessage());
            GenAi.outputMessages(span, finishReason == null ? answer : answer.finishReason(finishReason));
        } else if (finishReason != null) {
            span.attribute(GenAi.RESPONSE_FINISH_REASONS, List.of(finishReason));
        }
    }

    static void usage(Span span, TokenUsage usage) {
        if (usage == null) {
            return;
        }
        setIfPresent(span, GenAi.USAGE_INPUT_TOKENS, usage.inputTokenCount());
        setIfPresent(span, GenAi.USAGE_OUTPUT_TOKENS, usage.outputTokenCount());
        // Provider-specific subclasses: OpenAI's token details, Anthropic's cache counts. Looked up by name so
        // that no provider module is needed on the class path.
        setIfPresent(span, USAGE_CACHE_READ_INPUT_TOKENS,
                first(Reflect.call(Reflect.call(usage, "inputTokensDetails"), "cachedTokens"),
                        Reflect.call(usage, "cacheReadInputTokens")));
        setIfPresent(span, USAGE_CACHE_CREATION_INPUT_TOKENS, Reflect.call(usage, "cacheCreationInputTokens"));
        setIfPresent(span, USAGE_REASONING_OUTPUT_TOKENS,
                Reflect.call(Reflect.call(usage, "outputTokensDetails"), "reasoningTokens"));
    }

    static List<Map<String, Object>> toolDefinitions(List<ToolSpecification> tools) {
        List<Map<String, Object>> definitions = new ArrayList<>();
        for (ToolSpecification tool : tools) {
            if (tool == null) {
                continue;
            }
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("type", "function");
            definition.put("name", tool.name());
            if (tool.description() != null) {
                definition.put("description", tool.description());
            }
            if (tool.parameters() != null) {
                Object parameters;
                try {
                    parameters = JsonSchemaElementUtils.toMap(tool.parameters());
                } catch (RuntimeException | LinkageError e) {
                    parameters = String.valueOf(tool.parameters());
                }
                definition.put("parameters", parameters);
            }
            definitions.add(definition);
        }
        return definitions;
    }

    static List<Message> messages(List<ChatMessage> messages) {
        List<Message> out = new ArrayList<>();
        for (ChatMessage message : messages) {
            Message converted = message(message);
            if (converted != null) {
                out.add(converted);
            }
        }
        return out;
    }

    /** One message in the conventions' shape; null for a message type we do not know. */
    static Message message(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return Message.system(system.text());
        }
        if (message instanceof UserMessage user) {
            List<Part> parts = new ArrayList<>();
            if (user.contents() != null) {
                for (Content content : user.contents()) {
                    if (content instanceof TextContent text) {
                        parts.add(Part.text(text.text()));
                    } else if (content != null && content.type() != null) {
                        parts.add(new Part(content.type().name().toLowerCase(Locale.ROOT), Map.of()));
                    }
                }
            }
            return new Message("user", parts, null);
        }
        if (message instanceof AiMessage ai) {
            List<Part> parts = new ArrayList<>();
            if (ai.thinking() != null && !ai.thinking().isEmpty()) {
                parts.add(Part.reasoning(ai.thinking()));
            }
            if (ai.text() != null) {
                parts.add(Part.text(ai.text()));
            }
            if (ai.toolExecutionRequests() != null) {
                for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                    if (call != null) {
                        parts.add(Part.toolCall(call.id(), call.name(), call.arguments()));
                    }
                }
            }
            return new Message("assistant", parts, null);
        }
        if (message instanceof ToolExecutionResultMessage result) {
            return Message.toolResponse(result.id(), result.text());
        }
        return null;
    }

    static String finishReason(FinishReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case TOOL_EXECUTION -> "tool_call";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The conventions' {@code gen_ai.provider.name} for LangChain4j's provider, or null when it says OTHER. */
    static String providerName(ModelProvider provider) {
        if (provider == null) {
            return null;
        }
        return switch (provider.name()) {
            case "OPEN_AI" -> "openai";
            case "AZURE_OPEN_AI" -> "azure.ai.openai";
            case "ANTHROPIC" -> "anthropic";
            case "AMAZON_BEDROCK" -> "aws.bedrock";
            case "GOOGLE_AI_GEMINI", "GOOGLE_GENAI" -> "gcp.gemini";
            case "GOOGLE_VERTEX_AI_GEMINI", "GOOGLE_VERTEX_AI_ANTHROPIC" -> "gcp.vertex_ai";
            case "MISTRAL_AI" -> "mistral_ai";
            case "WATSONX" -> "ibm.watsonx.ai";
            case "COHERE" -> "cohere";
            case "OTHER" -> null;
            default -> provider.name().toLowerCase(Locale.ROOT);
        };
    }

    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }

    static void setIfPresent(Span span, String key, Object value) {
        if (value != null) {
            span.attribute(key, value);
        }
    }
}
