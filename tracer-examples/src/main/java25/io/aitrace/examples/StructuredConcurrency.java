package io.aitrace.examples;

import io.aitrace.genai.GenAi;
import io.aitrace.NodeType;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import java.util.Map;
import java.util.concurrent.StructuredTaskScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 8 on JDK 25 (compiled and run with {@code --enable-preview}: {@code StructuredTaskScope} is a preview
 * API in 25): the proxied {@link TravelTools} called in {@link StructuredTaskScope} forks. The agent runs in
 * {@code tracer.call}, which on JDK 25 binds its span with a {@code ScopedValue}; forks inherit it, so each tool
 * span is a child of the agent, with the conversation ID, without wrapping anything.
 */
public final class StructuredConcurrency {
    private static final Tracer tracer = TracerFactory.getTracer(StructuredConcurrency.class);
    private static final Logger log = LoggerFactory.getLogger(StructuredConcurrency.class);

    private final TravelTools tools = Tracing.proxy(TravelTools.class, new TravelTools.Scripted());

    public String plan(String city, String conversationId) throws InterruptedException {
        return tracer.call("trip_planner", NodeType.AGENT, () -> {
            GenAi.agent(tracer.currentSpan(), "trip_planner").input("city", city);
            GenAi.conversation(tracer.currentSpan(), conversationId);
            try (var scope = StructuredTaskScope.open()) {
                StructuredTaskScope.Subtask<Map<String, Object>> weather = scope.fork(() -> tools.weather(city));
                StructuredTaskScope.Subtask<Double> price = scope.fork(() -> tools.convert(100, "EUR", "USD"));
                scope.join();
                log.info("both forks done");
                String plan = city + ": " + weather.get().get("condition") + "; 100 EUR = " + price.get() + " USD";
                tracer.currentSpan().output("plan", plan);
                return plan;
            }
        });
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println(new StructuredConcurrency().plan("Nice", "conv-trip-25"));
        RunExamples.sayWhereRecordsWent();
    }
}
