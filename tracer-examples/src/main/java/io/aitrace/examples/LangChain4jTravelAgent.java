package io.aitrace.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.guardrail.OutputGuardrail;
import dev.langchain4j.guardrail.OutputGuardrailResult;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.guardrail.OutputGuardrails;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.examples.FakeOpenAiServer.Answer;
import io.aitrace.examples.FakeOpenAiServer.ToolCall;
import io.aitrace.genai.GenAi;
import io.aitrace.langchain4j.AitraceLangChain4j;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Example 9, a LangChain4j AI Service traced by its listeners: LangChain4j's real OpenAI client talks to a fake
 * OpenAI-compatible server started in-process. The travel assistant asks for two tools at once; the hotel booking
 * times out the first time, so the model is asked again ({@code retry_of}) and books it; the answer lacks a booking
 * reference, so the output guardrail reprompts ({@code retry_of} again) and the second answer passes. A streamed
 * confirmation follows, with its time to first token. No span is made by hand below {@code travel_desk}: the
 * listeners make them all.
 */
public final class LangChain4jTravelAgent {
    private static final Tracer tracer = TracerFactory.getTracer(LangChain4jTravelAgent.class);

    /** The AI Service: LangChain4j implements it. */
    interface TravelAssistant {
        @SystemMessage("You are a travel agent. Use the tools to book what the customer asks for.")
        @OutputGuardrails(HasBookingReference.class)
        String book(String request);
    }

    /** The answer must carry a booking reference; otherwise the model is asked again. */
    public static final class HasBookingReference implements OutputGuardrail {
        @Override
        public OutputGuardrailResult validate(AiMessage responseFromLLM) {
            String text = responseFromLLM.text();
            return text != null && text.contains("reference")
                    ? success()
                    : reprompt("The answer has no booking reference", "Add the booking reference to your answer.");
        }
    }

    /** The tools; the hotel service times out on its first call. */
    public static final class BookingTools {
        private final AtomicInteger hotelCalls = new AtomicInteger();

        @Tool("Searches flights to a city on a date")
        public String searchFlights(@P("city") String city, @P("date") String date) {
            return "TP1350 Lisbon " + date + " 08:40, 189 EUR";
        }

        @Tool("Books a hotel in a city for a number of nights")
        public String bookHotel(@P("city") String city, @P("nights") int nights) {
            if (hotelCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("hotel booking service timed out after 2000 ms");
            }
            return "Hotel Lisboa, " + nights + " nights, confirmation H-7731";
        }
    }

    /** The fake model: answers by looking at the conversation so far, as a scripted stand-in for gpt-4o-mini. */
    static Answer script(JsonNode request) {
        if ("tool".equals(FakeOpenAiServer.lastRole(request))) {
            if (FakeOpenAiServer.lastText(request, "tool").contains("timed out")) {
                return Answer.tools(List.of(new ToolCall("call_hotel_2", "bookHotel",
                        "{\"city\":\"Lisbon\",\"nights\":2}")), 161, 22).after(Duration.ofMillis(25));
            }
            return Answer.text("Your flight TP1350 and two nights at Hotel Lisboa are booked.", 190, 18)
                    .after(Duration.ofMillis(30));
        }
        String user = FakeOpenAiServer.lastText(request, "user");
        if (user.startsWith("Write a one-line confirmation")) {
            return Answer.text("Confirmed: Lisbon, May 3, TP1350 and Hotel Lisboa (LX-4821). Have a good trip!",
                    52, 19).after(Duration.ofMillis(40));
        }
        if (user.contains("booking reference")) {
            return Answer.text("Your flight TP1350 and two nights at Hotel Lisboa are booked; "
                    + "booking reference LX-4821.", 214, 24).after(Duration.ofMillis(30));
        }
        return Answer.tools(List.of(
                new ToolCall("call_flight_1", "searchFlights", "{\"city\":\"Lisbon\",\"date\":\"2026-05-03\"}"),
                new ToolCall("call_hotel_1", "bookHotel", "{\"city\":\"Lisbon\",\"nights\":2}")), 96, 41)
                .after(Duration.ofMillis(35));
    }

    /** Books the trip and streams the confirmation; returns the confirmation. */
    public String book(String request) {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(LangChain4jTravelAgent::script);
                Span desk = tracer.span("travel_desk", NodeType.AGENT)) {
            GenAi.agent(desk, "travel_desk").input("request", request);
            ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("offline")
                    .modelName("gpt-4o-mini").temperature(0.2).maxRetries(0)
                    .listeners(List.of(AitraceLangChain4j.chatModelListener())).build();
            TravelAssistant assistant = AiServices.builder(TravelAssistant.class).chatModel(model)
                    .tools(new BookingTools())
                    .registerListeners(AitraceLangChain4j.aiServiceListeners())
                    .toolExecutionErrorHandler(AitraceLangChain4j.toolExecutionErrorHandler())
                    .build();

            String booking = assistant.book(request);
            String confirmation = streamConfirmation(server, booking);
            desk.output("confirmation", confirmation);
            return confirmation;
        }
    }

    private static String streamConfirmation(FakeOpenAiServer server, String booking) {
        StreamingChatModel streaming = AitraceLangChain4j.timeToFirstToken(OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl()).apiKey("offline").modelName("gpt-4o-mini")
                .listeners(List.of(AitraceLangChain4j.chatModelListener())).build());
        CompletableFuture<String> done = new CompletableFuture<>();
        streaming.chat("Write a one-line confirmation of: " + booking, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                System.out.print(partialResponse);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                System.out.println();
                done.complete(response.aiMessage().text());
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the streamed confirmation did not arrive", e);
        }
    }

    public static void main(String[] args) {
        new LangChain4jTravelAgent().book("Book me a flight to Lisbon on May 3 and a hotel for two nights");
        RunExamples.sayWhereRecordsWent();
    }
}
