package io.aitrace.examples;

import io.aitrace.Span;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenTelemetry GenAI semantic-convention attributes the examples write, by their OpenTelemetry names, and
 * small setters for the three kinds of GenAI span: a model call, a tool call, an agent.
 *
 * <pre>{@code
 * GenAiAttributes.tool(tracer.currentSpan(), "weather_api");   // gen_ai.operation.name=execute_tool, ...
 * }</pre>
 */
public final class GenAiAttributes {
    public static final String OPERATION_NAME = "gen_ai.operation.name";
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String RESPONSE_MODEL = "gen_ai.response.model";
    public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    public static final String TOOL_NAME = "gen_ai.tool.name";
    public static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
    public static final String AGENT_NAME = "gen_ai.agent.name";
    public static final String CONVERSATION_ID = "gen_ai.conversation.id";
    public static final String INPUT_MESSAGES = "gen_ai.input.messages";
    public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";

    private static final AtomicInteger CALLS = new AtomicInteger();

    private GenAiAttributes() {
    }

    /** Marks the span as an agent invocation: {@code invoke_agent} and the agent's name. */
    public static Span agent(Span span, String agentName) {
        return span.attribute(OPERATION_NAME, "invoke_agent").attribute(AGENT_NAME, agentName);
    }

    /** Marks the span as a tool call: {@code execute_tool}, the tool's name and a call ID ({@code call_1}, ...). */
    public static Span tool(Span span, String toolName) {
        return span.attribute(OPERATION_NAME, "execute_tool").attribute(TOOL_NAME, toolName)
                .attribute(TOOL_CALL_ID, "call_" + CALLS.incrementAndGet());
    }

    /**
     * Messages in the shape of {@code gen_ai.input.messages} / {@code gen_ai.output.messages}: each a role and a
     * list of typed parts, here one text part.
     */
    public static List<Map<String, Object>> messages(List<ScriptedLlm.Message> messages) {
        return messages.stream()
                .map(m -> Map.<String, Object>of("role", m.role(),
                        "parts", List.of(Map.of("type", "text", "content", m.content()))))
                .toList();
    }
}
