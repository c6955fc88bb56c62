package io.aitrace.genai;

import io.aitrace.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry semantic conventions for generative AI (v1.41 and later): attribute names, operation
 * names, and helpers that set them on a span, so that an LLM or tool span reads correctly in every
 * OpenTelemetry-based tool.
 *
 * <pre>{@code
 * try (Span call = tracer.span("chat gpt-4o", NodeType.LLM, SpanKind.CLIENT)) {
 *     GenAi.chat(call, "openai", "gpt-4o");
 *     GenAi.inputMessages(call, GenAi.Message.system("You are a weather bot."), GenAi.Message.user(question));
 *     Reply reply = client.chat(question);
 *     GenAi.responseModel(call, reply.model());
 *     GenAi.usage(call, reply.inputTokens(), reply.outputTokens());
 *     GenAi.outputMessages(call, GenAi.Message.assistant(reply.text()).finishReason("stop"));
 * }
 * }</pre>
 *
 * Every helper returns the span it was given and, like every {@link Span} method, never throws.
 * The provider is {@code gen_ai.provider.name}; the deprecated {@code gen_ai.system} is not written.
 */
public final class GenAi {
    /** The operation: one of the {@code OP_*} values, e.g. {@code chat}. */
    public static final String OPERATION_NAME = "gen_ai.operation.name";
    /** Who serves the model: {@code openai}, {@code anthropic}, {@code aws.bedrock}, {@code gcp.vertex_ai}, … */
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String REQUEST_TEMPERATURE = "gen_ai.request.temperature";
    public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
    public static final String RESPONSE_MODEL = "gen_ai.response.model";
    public static final String RESPONSE_ID = "gen_ai.response.id";
    public static final String RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
    /** Seconds from sending a streamed request to the first chunk of its response. */
    public static final String RESPONSE_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";
    public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    /** Input tokens served from the provider's cache; counted in {@link #USAGE_INPUT_TOKENS} too. */
    public static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    /** Input tokens written into the provider's cache; counted in {@link #USAGE_INPUT_TOKENS} too. */
    public static final String USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
    /** Output tokens the model spent reasoning; counted in {@link #USAGE_OUTPUT_TOKENS} too. */
    public static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
    /** The event an evaluation result is written as in OpenTelemetry (see {@link Span#evaluate}). */
    public static final String EVALUATION_RESULT = "gen_ai.evaluation.result";
    public static final String EVALUATION_NAME = "gen_ai.evaluation.name";
    public static final String EVALUATION_SCORE_VALUE = "gen_ai.evaluation.score.value";
    public static final String EVALUATION_SCORE_LABEL = "gen_ai.evaluation.score.label";
    public static final String EVALUATION_EXPLANATION = "gen_ai.evaluation.explanation";
    public static final String TOOL_NAME = "gen_ai.tool.name";
    public static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
    public static final String TOOL_TYPE = "gen_ai.tool.type";
    public static final String TOOL_DESCRIPTION = "gen_ai.tool.description";
    public static final String TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
    public static final String TOOL_CALL_RESULT = "gen_ai.tool.call.result";
    public static final String AGENT_NAME = "gen_ai.agent.name";
    public static final String AGENT_ID = "gen_ai.agent.id";
    public static final String AGENT_DESCRIPTION = "gen_ai.agent.description";
    /** Ties the traces of one conversation (session, thread) together; usually set as an inheritable attribute. */
    public static final String CONVERSATION_ID = "gen_ai.conversation.id";
    public static final String DATA_SOURCE_ID = "gen_ai.data_source.id";
    /** The messages sent to the model: a list of {@link Message}s (role and typed parts). */
    public static final String INPUT_MESSAGES = "gen_ai.input.messages";
    /** The messages the model answered with, each with a finish reason. */
    public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
    /** System instructions given apart from the messages: a list of parts. */
    public static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";

    public static final String OP_CHAT = "chat";
    public static final String OP_TEXT_COMPLETION = "text_completion";
    public static final String OP_GENERATE_CONTENT = "generate_content";
    public static final String OP_EMBEDDINGS = "embeddings";
    public static final String OP_RETRIEVAL = "retrieval";
    public static final String OP_EXECUTE_TOOL = "execute_tool";
    public static final String OP_CREATE_AGENT = "create_agent";
    public static final String OP_INVOKE_AGENT = "invoke_agent";
    public static final String OP_INVOKE_WORKFLOW = "invoke_workflow";

    private GenAi() {
    }

    /** A {@code chat} call: operation, provider and requested model. */
    public static Span chat(Span span, String provider, String requestModel) {
        return operation(span, OP_CHAT, provider, requestModel);
    }

    /** An {@code embeddings} call: operation, provider and requested model. */
    public static Span embeddings(Span span, String provider, String requestModel) {
        return operation(span, OP_EMBEDDINGS, provider, requestModel);
    }

    /** Any operation on a model: {@code gen_ai.operation.name}, provider and requested model (nulls are left out). */
    public static Span operation(Span span, String operation, String provider, String requestModel) {
        setIfPresent(span, OPERATION_NAME, operation);
        setIfPresent(span, PROVIDER_NAME, provider);
        return setIfPresent(span, REQUEST_MODEL, requestModel);
    }

    /** The model that actually answered (may differ from the requested one, e.g. a dated version). */
    public static Span responseModel(Span span, String model) {
        return setIfPresent(span, RESPONSE_MODEL, model);
    }

    /** Token usage of one call: {@code gen_ai.usage.input_tokens} and {@code gen_ai.usage.output_tokens}. */
    public static Span usage(Span span, long inputTokens, long outputTokens) {
        span.attribute(USAGE_INPUT_TOKENS, inputTokens);
        return span.attribute(USAGE_OUTPUT_TOKENS, outputTokens);
    }

    /**
     * Prompt-cache usage of one call: tokens read from the provider's cache and tokens written to it. Both are
     * part of the call's input tokens ({@link #usage}); aitrace's cost prices them at the model's cache rates.
     * Negative counts are left out.
     */
    public static Span cacheUsage(Span span, long cacheReadInputTokens, long cacheCreationInputTokens) {
        if (cacheReadInputTokens >= 0) {
            span.attribute(USAGE_CACHE_READ_INPUT_TOKENS, cacheReadInputTokens);
        }
        if (cacheCreationInputTokens >= 0) {
            span.attribute(USAGE_CACHE_CREATION_INPUT_TOKENS, cacheCreationInputTokens);
        }
        return span;
    }

    /** Reasoning (thinking) tokens of one call, part of its output tokens ({@link #usage}); a negative count is left out. */
    public static Span reasoningUsage(Span span, long reasoningOutputTokens) {
        return reasoningOutputTokens < 0 ? span : span.attribute(USAGE_REASONING_OUTPUT_TOKENS, reasoningOutputTokens);
    }

    /** Time from sending a streamed request to its first chunk, written in seconds as the conventions say. */
    public static Span timeToFirstChunk(Span span, Duration sinceRequest) {
        if (sinceRequest == null) {
            return span;
        }
        return span.attribute(RESPONSE_TIME_TO_FIRST_CHUNK, sinceRequest.toNanos() / 1e9);
    }

    /** An {@code execute_tool} span: operation, tool name and the model's tool call ID (nulls are left out). */
    public static Span tool(Span span, String toolName, String toolCallId) {
        span.attribute(OPERATION_NAME, OP_EXECUTE_TOOL);
        setIfPresent(span, TOOL_NAME, toolName);
        return setIfPresent(span, TOOL_CALL_ID, toolCallId);
    }

    /** An {@code invoke_agent} span: operation and agent name. */
    public static Span agent(Span span, String agentName) {
        span.attribute(OPERATION_NAME, OP_INVOKE_AGENT);
        return setIfPresent(span, AGENT_NAME, agentName);
    }

    /** The conversation ID, inheritable: every span below this one carries it, on any thread. */
    public static Span conversation(Span span, String conversationId) {
        return span.inheritableAttribute(CONVERSATION_ID, conversationId);
    }

    /** {@code gen_ai.input.messages}: the messages sent to the model, in order. */
    public static Span inputMessages(Span span, Message... messages) {
        return inputMessages(span, messages == null ? List.of() : Arrays.asList(messages));
    }

    /** {@code gen_ai.input.messages}: the messages sent to the model, in order. */
    public static Span inputMessages(Span span, List<Message> messages) {
        return span.attribute(INPUT_MESSAGES, asMaps(messages));
    }

    /** {@code gen_ai.output.messages}: the model's answer (one message per choice). */
    public static Span outputMessages(Span span, Message... messages) {
        return outputMessages(span, messages == null ? List.of() : Arrays.asList(messages));
    }

    /** {@code gen_ai.output.messages}: the model's answer (one message per choice). */
    public static Span outputMessages(Span span, List<Message> messages) {
        List<String> reasons = new ArrayList<>();
        if (messages != null) {
            for (Message message : messages) {
                if (message != null && message.finishReason() != null) {
                    reasons.add(message.finishReason());
                }
            }
        }
        if (!reasons.isEmpty()) {
            span.attribute(RESPONSE_FINISH_REASONS, reasons);
        }
        return span.attribute(OUTPUT_MESSAGES, asMaps(messages));
    }

    private static List<Map<String, Object>> asMaps(List<Message> messages) {
        List<Map<String, Object>> maps = new ArrayList<>();
        if (messages != null) {
            for (Message message : messages) {
                if (message != null) {
                    maps.add(message.toMap());
                }
            }
        }
        return maps;
    }

    private static Span setIfPresent(Span span, String key, Object value) {
        return value == null ? span : span.attribute(key, value);
    }

    /**
     * One message of a conversation, as the conventions write it: a role ({@code system}, {@code user},
     * {@code assistant}, {@code tool}), typed parts, and for output messages a finish reason.
     *
     * <pre>{@code
     * Message.assistant("Let me check.").with(Part.toolCall("call_1", "forecast", Map.of("city", "Paris")))
     * }</pre>
     *
     * @param role who wrote the message
     * @param parts what it holds, in order
     * @param finishReason why the model stopped ({@code stop}, {@code length}, {@code tool_call}, …); null for input
     */
    public record Message(String role, List<Part> parts, String finishReason) {
        public Message {
            List<Part> kept = new ArrayList<>();
            if (parts != null) {
                for (Part part : parts) {
                    if (part != null) {
                        kept.add(part);
                    }
                }
            }
            parts = Collections.unmodifiableList(kept);
        }

        public static Message system(String text) {
            return of("system", Part.text(text));
        }

        public static Message user(String text) {
            return of("user", Part.text(text));
        }

        public static Message assistant(String text) {
            return of("assistant", Part.text(text));
        }

        /** A {@code tool} message carrying a tool's answer to the model's call {@code callId}. */
        public static Message toolResponse(String callId, Object response) {
            return of("tool", Part.toolCallResponse(callId, response));
        }

        /** A message with this role and parts. */
        public static Message of(String role, Part... parts) {
            return new Message(role, parts == null ? List.of() : Arrays.asList(parts), null);
        }

        /** This message with one more part. */
        public Message with(Part part) {
            List<Part> next = new ArrayList<>(parts);
            next.add(part);
            return new Message(role, next, finishReason);
        }

        /** This message with a finish reason (for output messages). */
        public Message finishReason(String reason) {
            return new Message(role, parts, reason);
        }

        /** The message as the conventions' JSON object: {@code role}, {@code parts}, {@code finish_reason}. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", role);
            List<Map<String, Object>> partMaps = new ArrayList<>(parts.size());
            for (Part part : parts) {
                partMaps.add(part.toMap());
            }
            map.put("parts", partMaps);
            if (finishReason != null) {
                map.put("finish_reason", finishReason);
            }
            return Collections.unmodifiableMap(map);
        }
    }

    /**
     * One typed part of a {@link Message}: {@code text}, {@code reasoning}, {@code tool_call},
     * {@code tool_call_response}, or any other type with its fields.
     *
     * @param type the part type
     * @param fields the part's fields besides {@code type}, e.g. {@code content} for text
     */
    public record Part(String type, Map<String, Object> fields) {
        public Part {
            fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public static Part text(String content) {
            return new Part("text", field("content", content));
        }

        /** The model's reasoning (thinking) text. */
        public static Part reasoning(String content) {
            return new Part("reasoning", field("content", content));
        }

        /** The model asks for a tool: the call ID, the tool's name, the arguments (any value). */
        public static Part toolCall(String id, String name, Object arguments) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", id);
            fields.put("name", name);
            fields.put("arguments", arguments);
            return new Part("tool_call", fields);
        }

        /** A tool's answer to the call {@code id} (any value). */
        public static Part toolCallResponse(String id, Object response) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", id);
            fields.put("response", response);
            return new Part("tool_call_response", fields);
        }

        private static Map<String, Object> field(String key, Object value) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put(key, value);
            return fields;
        }

        /** The part as the conventions' JSON object: {@code type} and its fields. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("type", type);
            map.putAll(fields);
            return Collections.unmodifiableMap(map);
        }
    }
}
