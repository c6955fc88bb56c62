package io.aitrace.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.agentic.observability.AgentListener;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import io.aitrace.examples.FakeOpenAiServer.Answer;
import io.aitrace.langchain4j.AitraceLangChain4j;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Example 10, a {@code langchain4j-agentic} workflow traced by {@code AitraceLangChain4j.agentListener()}: a
 * sequence of a planner, two scouts running in parallel (flights and hotels, each on its own thread and lane), and
 * a writer that joins their results. Every agent is an {@code agent} span nested as the workflow nests, with its
 * inputs from the agentic scope and its output; each agent's model call (LangChain4j's real OpenAI client against a
 * fake server started in-process) is an {@code llm} span below it.
 */
public final class LangChain4jAgenticWorkflow {

    public interface Planner {
        @UserMessage("Plan a {{days}}-day trip to {{city}}: list what to book.")
        @Agent(description = "Plans the trip", outputKey = "plan")
        String plan(@V("city") String city, @V("days") int days);
    }

    public interface FlightScout {
        @UserMessage("Find the best flight for this plan: {{plan}}")
        @Agent(description = "Finds flights", outputKey = "flights")
        String findFlights(@V("plan") String plan);
    }

    public interface HotelScout {
        @UserMessage("Find the best hotel for this plan: {{plan}}")
        @Agent(description = "Finds hotels", outputKey = "hotels")
        String findHotels(@V("plan") String plan);
    }

    public interface ItineraryWriter {
        @UserMessage("Write the itinerary from the flight {{flights}} and the hotel {{hotels}}.")
        @Agent(description = "Writes the itinerary", outputKey = "itinerary")
        String write(@V("flights") String flights, @V("hotels") String hotels);
    }

    /** The fake model: one canned answer per agent, told apart by the agent's prompt. */
    static Answer script(JsonNode request) {
        String prompt = FakeOpenAiServer.lastText(request, "user");
        if (prompt.startsWith("Plan a")) {
            return Answer.text("Fly to Lisbon on May 3, stay two nights in Alfama, return May 5.", 38, 17)
                    .after(Duration.ofMillis(30));
        }
        if (prompt.startsWith("Find the best flight")) {
            return Answer.text("TP1350, May 3 08:40, 189 EUR", 52, 12).after(Duration.ofMillis(120));
        }
        if (prompt.startsWith("Find the best hotel")) {
            return Answer.text("Memmo Alfama, 2 nights, 310 EUR", 51, 11).after(Duration.ofMillis(90));
        }
        return Answer.text("May 3: TP1350 at 08:40, check in at Memmo Alfama. May 5: fly home.", 74, 21)
                .after(Duration.ofMillis(40));
    }

    /** Runs the workflow for a city; returns the itinerary. */
    public String plan(String city, int days) {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(LangChain4jAgenticWorkflow::script)) {
            ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("offline")
                    .modelName("gpt-4o-mini").maxRetries(0)
                    .listeners(List.of(AitraceLangChain4j.chatModelListener())).build();
            AgentListener tracing = AitraceLangChain4j.agentListener();
            UntypedAgent scouts = AgenticServices.parallelBuilder()
                    .name("scouts")
                    .subAgents(AgenticServices.agentBuilder(FlightScout.class).chatModel(model).build(),
                            AgenticServices.agentBuilder(HotelScout.class).chatModel(model).build())
                    .build();
            UntypedAgent trip = AgenticServices.sequenceBuilder()
                    .name("trip_planner")
                    .subAgents(AgenticServices.agentBuilder(Planner.class).chatModel(model).build(),
                            scouts,
                            AgenticServices.agentBuilder(ItineraryWriter.class).chatModel(model).build())
                    .outputKey("itinerary")
                    .listener(tracing)
                    .build();
            return String.valueOf(trip.invoke(Map.of("city", city, "days", days)));
        }
    }

    public static void main(String[] args) {
        System.out.println(new LangChain4jAgenticWorkflow().plan("Lisbon", 3));
        RunExamples.sayWhereRecordsWent();
    }
}
