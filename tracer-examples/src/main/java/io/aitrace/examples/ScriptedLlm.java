package io.aitrace.examples;

import java.util.List;
import java.util.Map;

/**
 * A stand-in for a language model: canned answers chosen by the first keyword found in the prompt, with
 * token counts, so every example runs offline and gives the same trace each time.
 */
public final class ScriptedLlm {
    /** One model answer with the token counts a real provider reports. */
    public record Completion(String text, int inputTokens, int outputTokens) {
    }

    private final String model;
    private final Map<String, String> answers;

    public ScriptedLlm(String model, Map<String, String> answers) {
        this.model = model;
        this.answers = answers;
    }

    public String model() {
        return model;
    }

    public Completion complete(List<Map<String, String>> messages) {
        String prompt = messages.get(messages.size() - 1).get("content");
        String text = answers.entrySet().stream()
                .filter(e -> prompt.toLowerCase().contains(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("I am not sure.");
        return new Completion(text, words(messages), words(List.of(Map.of("content", text))));
    }

    private static int words(List<Map<String, String>> messages) {
        return messages.stream().mapToInt(m -> m.get("content").split("\\s+").length).sum();
    }
}
