package io.aitrace.examples;

import io.aitrace.genai.GenAi;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.genai.GenAi.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 1, sequential tool calling: query → classify the intent (LLM) → weather tool → synthesize the answer
 * (LLM), one after the other under one agent span. Shows nesting, annotations saying why the agent routed as it
 * did, inputs and outputs, the GenAI attributes of model and tool calls, a conversation ID inherited by every
 * step, and the agent's SLF4J log lines under the span that wrote them.
 */
public final class SequentialToolCalling {
    private static final Tracer tracer = TracerFactory.getTracer(SequentialToolCalling.class);
    private static final Logger log = LoggerFactory.getLogger(SequentialToolCalling.class);

    private final ScriptedLlm llm = ScriptedLlm.builder("scripted-gpt")
            .answer("classify", "weather_lookup")
            .answer("summarize", "It will be sunny in Paris, 21°C.")
            .latency(Duration.ofMillis(20))
            .build();

    public String answer(String query, String conversationId) {
        try (Span run = tracer.span("weather_agent", NodeType.AGENT)) {
            GenAi.agent(run, "weather_agent");
            GenAi.conversation(run, conversationId);
            run.input("query", query);
            log.info("answering {}", query);

            String intent = llm.chat("classify_intent", List.of(
                    Message.system("Classify the user's request as weather_lookup, news or other."),
                    Message.user("classify: " + query)));
            run.annotate("intent " + intent + ": routing to the weather tool");

            Map<String, Object> forecast = tracer.call("weather_api", NodeType.TOOL, () -> {
                GenAi.tool(tracer.currentSpan(), "weather_api", ScriptedLlm.nextToolCallId())
                        .input("city", "Paris");
                log.info("calling the weather service for {}", "Paris");
                ScriptedLlm.pause(Duration.ofMillis(30));
                return Map.of("city", "Paris", "condition", "sunny", "temperature_c", 21);
            });

            String answer = llm.chat("synthesize", List.of(
                    Message.system("Answer in one sentence."),
                    Message.user("summarize: " + forecast)));
            run.output("answer", answer);
            log.info("answered in {} steps", 3);
            return answer;
        }
    }

    public static void main(String[] args) {
        System.out.println(new SequentialToolCalling().answer("What's the weather in Paris?", "conv-weather-1"));
        RunExamples.sayWhereRecordsWent();
    }
}
