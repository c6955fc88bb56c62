package io.aitrace.examples;

import io.aitrace.genai.GenAi;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import io.aitrace.genai.GenAi.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 4, multi-agent handoff: a router agent classifies the request, decides (a {@code decision} span with
 * its reason) and hands off to a travel agent, which delegates to a flight agent and a hotel agent working at the
 * same time on pool threads; each calls a tool that does a lookup of its own. Five levels deep
 * (router → travel_agent → flight_agent → search_flights → fare_lookup) on three threads, with the conversation
 * ID set once on the router and inherited by every span below it, on every thread.
 */
public final class MultiAgentRouter {
    private static final Tracer tracer = TracerFactory.getTracer(MultiAgentRouter.class);
    private static final Logger log = LoggerFactory.getLogger(MultiAgentRouter.class);

    private final ScriptedLlm llm = ScriptedLlm.builder("scripted-gpt")
            .answer("classify", "travel")
            .answer("plan", "flights and a hotel for 2 nights")
            .answer("itinerary", "Fly AF1234 on May 3 (€182), stay 2 nights at Hôtel du Nord (€240).")
            .latency(Duration.ofMillis(20))
            .build();

    public String handle(String request, String conversationId) {
        try (Span router = tracer.span("router", NodeType.AGENT)) {
            GenAi.agent(router, "router");
            GenAi.conversation(router, conversationId).input("request", request);
            String topic = llm.chat("classify_request", List.of(Message.user("classify: " + request)));
            String specialist = tracer.call("route", NodeType.DECISION, () -> {
                tracer.currentSpan().input("topic", topic)
                        .annotate(topic + " request: handing off to travel_agent, which knows flights and hotels");
                return "travel_agent";
            });
            log.info("handing off to {}", specialist);
            String answer = travelAgent(request);
            router.output("answer", answer);
            return answer;
        }
    }

    private String travelAgent(String request) {
        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(2));
        try (Span agent = tracer.span("travel_agent", NodeType.AGENT)) {
            GenAi.agent(agent, "travel_agent").input("request", request);
            String plan = llm.chat("plan_trip", List.of(Message.user("plan: " + request)));
            agent.annotate("plan: " + plan + "; asking the flight and hotel agents at once");
            CompletableFuture<Map<String, Object>> flight = CompletableFuture.supplyAsync(
                    () -> specialist("flight_agent", "search_flights", "fare_lookup",
                            Map.of("flight", "AF1234", "date", "May 3", "price_eur", 182)), pool);
            CompletableFuture<Map<String, Object>> hotel = CompletableFuture.supplyAsync(
                    () -> specialist("hotel_agent", "search_hotels", "availability_lookup",
                            Map.of("hotel", "Hôtel du Nord", "nights", 2, "price_eur", 240)), pool);
            String itinerary = llm.chat("compose_itinerary", List.of(
                    Message.user("itinerary from " + flight.join() + " and " + hotel.join())));
            agent.output("itinerary", itinerary);
            return itinerary;
        } finally {
            pool.shutdown();
        }
    }

    /** A specialist agent: one tool, which does one lookup of its own. */
    private Map<String, Object> specialist(String agentName, String toolName, String lookupName,
            Map<String, Object> result) {
        try (Span agent = tracer.span(agentName, NodeType.AGENT)) {
            GenAi.agent(agent, agentName);
            log.info("{} working", agentName);
            Map<String, Object> found = tracer.call(toolName, NodeType.TOOL, () -> {
                GenAi.tool(tracer.currentSpan(), toolName, ScriptedLlm.nextToolCallId())
                        .input("destination", "Paris");
                return tracer.call(lookupName, NodeType.RETRIEVAL, () -> {
                    ScriptedLlm.pause(Duration.ofMillis(40));
                    log.debug("{} found {}", lookupName, result);
                    return result;
                });
            });
            agent.output(found);
            return found;
        }
    }

    public static void main(String[] args) {
        System.out.println(new MultiAgentRouter().handle("Book me a trip to Paris on May 3 for two nights",
                "conv-travel-1"));
        RunExamples.sayWhereRecordsWent();
    }
}
