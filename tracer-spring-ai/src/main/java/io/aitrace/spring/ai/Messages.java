package io.aitrace.spring.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.genai.GenAi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/** Spring AI's messages as the GenAI conventions write them (role and typed parts). */
final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {
    }

    /** The messages of a prompt, in order. */
    static List<GenAi.Message> of(List<Message> messages) {
        List<GenAi.Message> out = new ArrayList<>();
        if (messages == null) {
            return out;
        }
        for (Message message : messages) {
            if (message != null) {
                out.add(of(message, null));
            }
        }
        return out;
    }

    /** One message per generation of a response, each with its finish reason. */
    static List<GenAi.Message> of(ChatResponse response) {
        List<GenAi.Message> out = new ArrayList<>();
        if (response == null || response.getResults() == null) {
            return out;
        }
        for (Generation generation : response.getResults()) {
            if (generation == null || generation.getOutput() == null) {
                continue;
            }
            String reason = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
            out.add(of(generation.getOutput(), reason == null ? null : reason.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /** The messages as the conventions' JSON objects, for a span's input or output. */
    static List<java.util.Map<String, Object>> asMaps(List<GenAi.Message> messages) {
        List<java.util.Map<String, Object>> maps = new ArrayList<>(messages.size());
        for (GenAi.Message message : messages) {
            maps.add(message.toMap());
        }
        return maps;
    }

    private static GenAi.Message of(Message message, String finishReason) {
        String role = message.getMessageType() == null ? "user" : message.getMessageType().getValue();
        List<GenAi.Part> parts = new ArrayList<>();
        if (message instanceof ToolResponseMessage tool) {
            for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
                parts.add(GenAi.Part.toolCallResponse(response.id(), parse(response.responseData())));
            }
        } else {
            String text = message.getText();
            if (text != null && !text.isEmpty()) {
                parts.add(GenAi.Part.text(text));
            }
            if (message instanceof AssistantMessage assistant && assistant.getToolCalls() != null) {
                for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
                    parts.add(GenAi.Part.toolCall(call.id(), call.name(), parse(call.arguments())));
                }
            }
        }
        return new GenAi.Message(role, parts, finishReason);
    }

    /**
     * JSON text as objects, lists and values, so that secret-looking keys inside are masked like any other
     * value; text that is not JSON stays text.
     */
    static Object parse(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return JSON.readValue(trimmed, Object.class);
            } catch (java.io.IOException | RuntimeException e) {
                return text;
            }
        }
        return text;
    }
}
