package io.aitrace.core.genai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.genai.GenAi;
import io.aitrace.read.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a trace was asked and what it answered, as one line of text each: for trace lists ("input summary"),
 * conversation turns and diffs. Reads a span's {@code input}/{@code output} and the GenAI conventions'
 * {@code gen_ai.input.messages}/{@code gen_ai.output.messages}.
 *
 * <pre>{@code String asked = Messages.inputSummary(graph.roots().get(0)); // "What's the weather in Paris?"}</pre>
 */
public final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {
    }

    /**
     * What a trace was asked: its root's input, else the last user message of its first model call (the question
     * of this turn, after any history); null when neither is there.
     */
    public static String inputSummary(Node root) {
        if (root.input() != null) {
            return valueText(root.input());
        }
        for (Node node : inTreeOrder(root)) {
            String asked = lastText(node.attribute(GenAi.INPUT_MESSAGES), "user");
            if (asked != null) {
                return asked;
            }
        }
        return null;
    }

    /** The last user message of a model call's {@code gen_ai.input.messages}, or null. */
    public static String question(Node node) {
        return lastText(node.attribute(GenAi.INPUT_MESSAGES), "user");
    }

    /** What a trace answered: its root's output, else the assistant's text of its last model call; or null. */
    public static String outputSummary(Node root) {
        if (root.output() != null) {
            return valueText(root.output());
        }
        List<Node> nodes = inTreeOrder(root);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            String answered = lastText(nodes.get(i).attribute(GenAi.OUTPUT_MESSAGES), "assistant");
            if (answered != null) {
                return answered;
            }
        }
        return null;
    }

    /**
     * The text of a list of GenAI messages, one message a line ({@code user: Hello}), text parts only, for a
     * text diff of prompts; null when the value is not such a list.
     */
    public static String transcript(Object messages) {
        if (!(messages instanceof List)) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Object message : (List<?>) messages) {
            if (message instanceof Map) {
                Object role = ((Map<?, ?>) message).get("role");
                text.append(role == null ? "?" : role).append(": ").append(partsText((Map<?, ?>) message)).append('\n');
            }
        }
        return text.toString();
    }

    /** A value as text: a string as it is, an object of one string as that string, anything else as JSON. */
    public static String valueText(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map && ((Map<?, ?>) value).size() == 1) {
            Object only = ((Map<?, ?>) value).values().iterator().next();
            if (only instanceof String) {
                return (String) only;
            }
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String lastText(Object messages, String role) {
        if (!(messages instanceof List)) {
            return null;
        }
        List<?> list = (List<?>) messages;
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i) instanceof Map && role.equals(((Map<?, ?>) list.get(i)).get("role"))) {
                String text = partsText((Map<?, ?>) list.get(i));
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        return null;
    }

    /** The text parts of a message ({@code content} of {@code text} parts, or a plain {@code content}). */
    private static String partsText(Map<?, ?> message) {
        Object parts = message.get("parts");
        StringBuilder text = new StringBuilder();
        if (parts instanceof List) {
            for (Object part : (List<?>) parts) {
                if (part instanceof Map && "text".equals(((Map<?, ?>) part).get("type"))) {
                    Object content = ((Map<?, ?>) part).get("content");
                    if (content != null) {
                        text.append(text.length() == 0 ? "" : " ").append(content);
                    }
                }
            }
        } else if (message.get("content") instanceof String) {
            text.append(message.get("content"));
        }
        return text.toString();
    }

    private static List<Node> inTreeOrder(Node root) {
        List<Node> order = new ArrayList<>();
        List<Node> pending = new ArrayList<>();
        pending.add(root);
        while (!pending.isEmpty()) {
            Node node = pending.remove(pending.size() - 1);
            order.add(node);
            for (int i = node.children().size() - 1; i >= 0; i--) {
                pending.add(node.children().get(i));
            }
        }
        return order;
    }
}
