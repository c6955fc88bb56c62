package io.aitrace.examples;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sequential tool calling: query → classify (LLM) → weather tool (fails once, retried) → synthesize (LLM),
 * with annotations saying why each route was taken.
 */
public final class SequentialToolCalling {
    private static final Tracer tracer = TracerFactory.getTracer(SequentialToolCalling.class);

    private final ScriptedLlm llm = new ScriptedLlm("scripted-gpt", Map.of(
            "classify", "weather_lookup",
            "summarize", "It will be sunny in Paris, 21°C."));
    private int weatherCalls;

    public String answer(String query, String conversationId) {
        try (Span run = tracer.span("weather_agent", NodeType.AGENT)) {
            run.inheritableAttribute("gen_ai.conversation.id", conversationId);
            run.input("query", query);
            List<Map<String, String>> messages = new ArrayList<>();
            messages.add(Map.of("role", "user", "content", "classify: " + query));

            String intent = tracer.call("classify_intent", NodeType.LLM, () -> chat(messages));
            run.annotate("intent " + intent + ": routing to the weather tool");

            // Not try-with-resources: a resource is closed before its catch block runs, and
            // error() on a closed span is ignored.
            Span first = tracer.span("weather_api", NodeType.TOOL).input("city", "Paris");
            String forecast = null;
            try {
                forecast = weather("Paris");
                first.output(forecast);
            } catch (IllegalStateException e) {
                first.error(e);
            } finally {
                first.close();
            }
            if (forecast == null) {
                try (Span retry = tracer.span("weather_api", NodeType.TOOL)) {
                    retry.edge(EdgeType.RETRY_OF, first).input("city", "Paris");
                    retry.annotate("first call timed out; retrying once");
                    forecast = weather("Paris");
                    retry.output(forecast);
                }
            }
            messages.add(Map.of("role", "user", "content", "summarize: " + forecast));
            String answer = tracer.call("synthesize", NodeType.LLM, () -> chat(messages));
            run.output("answer", answer);
            return answer;
        }
    }

    private String chat(List<Map<String, String>> messages) {
        Span span = tracer.currentSpan();
        span.attribute("gen_ai.request.model", llm.model());
        span.input("messages", messages);
        ScriptedLlm.Completion completion = llm.complete(messages);
        span.attribute("gen_ai.usage.input_tokens", completion.inputTokens());
        span.attribute("gen_ai.usage.output_tokens", completion.outputTokens());
        return completion.text();
    }

    private String weather(String city) {
        if (weatherCalls++ == 0) {
            throw new IllegalStateException("weather service timed out");
        }
        return "sunny, 21°C in " + city;
    }
}
