package io.aitrace.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.guardrail.InputGuardrail;
import dev.langchain4j.guardrail.InputGuardrailResult;
import dev.langchain4j.guardrail.OutputGuardrail;
import dev.langchain4j.guardrail.OutputGuardrailResult;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.guardrail.InputGuardrails;
import dev.langchain4j.service.guardrail.OutputGuardrails;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.Edge;
import io.aitrace.read.Node;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AiServiceListenersTest extends FakeServerTest {
    interface TravelAssistant {
        @SystemMessage("You book trips.")
        @InputGuardrails(PoliteRequest.class)
        @OutputGuardrails(HasBookingReference.class)
        String plan(String request);
    }

    public static class PoliteRequest implements InputGuardrail {
        @Override
        public InputGuardrailResult validate(UserMessage userMessage) {
            return userMessage.singleText().isBlank() ? failure("empty request") : success();
        }
    }

    public static class HasBookingReference implements OutputGuardrail {
        @Override
        public OutputGuardrailResult validate(AiMessage responseFromLLM) {
            return responseFromLLM.text().contains("Reference")
                    ? success() : reprompt("The answer has no booking reference", "Give the booking reference.");
        }
    }

    public static class BookingTools {
        final AtomicInteger hotelCalls = new AtomicInteger();

        @Tool("Finds flights to a city")
        public String findFlights(String city) {
            return "TP123 to " + city;
        }

        @Tool("Books a hotel in a city")
        public String bookHotel(String city) {
            if (hotelCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("hotel service unavailable");
            }
            return "Hotel Lisboa booked in " + city;
        }
    }

    private void scriptTrip() {
        server.json(FakeOpenAi.toolCalls("chatcmpl-1", 81, 40,
                        new String[] {"call_1", "findFlights", "{\"arg0\":\"Lisbon\"}"},
                        new String[] {"call_2", "bookHotel", "{\"arg0\":\"Lisbon\"}"}))
                .json(FakeOpenAi.toolCalls("chatcmpl-2", 140, 18,
                        new String[] {"call_3", "bookHotel", "{\"arg0\":\"Lisbon\"}"}))
                .json(FakeOpenAi.completion("chatcmpl-3", "Flight TP123 and Hotel Lisboa are booked.", "stop", 170, 12))
                .json(FakeOpenAi.completion("chatcmpl-4", "Booked TP123 and Hotel Lisboa. Reference ABC123.", "stop",
                        201, 15));
    }

    private TravelAssistant assistant(LangChain4jTracing tracing, BookingTools tools, boolean errorHandler) {
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                .modelName("gpt-4o-mini").maxRetries(0).listeners(List.of(tracing.chatModelListener())).build();
        AiServices<TravelAssistant> builder = AiServices.builder(TravelAssistant.class).chatModel(model).tools(tools)
                .registerListeners(tracing.aiServiceListeners());
        if (errorHandler) {
            builder.toolExecutionErrorHandler(tracing.toolExecutionErrorHandler());
        }
        return builder.build();
    }

    @Test
    void anAiServiceCallIsAnAgentSpanWithItsModelCallsToolsGuardrailsAndRetryEdges() {
        scriptTrip();
        TravelAssistant assistant = assistant(run.tracing(true), new BookingTools(), true);

        String answer;
        try (Span app = run.tracer.span("app", NodeType.AGENT)) {
            answer = assistant.plan("Book me a trip to Lisbon");
        }

        assertThat(answer).isEqualTo("Booked TP123 and Hotel Lisboa. Reference ABC123.");
        Node agent = run.node("TravelAssistant.plan");
        assertThat(agent.type()).isEqualTo(NodeType.AGENT);
        assertThat(agent.parent().name()).isEqualTo("app");
        assertThat(agent.attributes()).containsEntry("gen_ai.operation.name", "invoke_agent")
                .containsEntry("gen_ai.agent.name", "TravelAssistant.plan");
        assertThat(agent.input().toString()).contains("You book trips.", "Book me a trip to Lisbon");
        assertThat(agent.output()).isEqualTo(answer);
        assertThat(agent.isError()).isFalse();

        List<Node> children = agent.children();
        assertThat(children).extracting(Node::name).containsExactly(
                "PoliteRequest", "chat gpt-4o-mini", "findFlights", "bookHotel", "chat gpt-4o-mini", "bookHotel",
                "chat gpt-4o-mini", "HasBookingReference", "chat gpt-4o-mini", "HasBookingReference");
        List<Node> llms = children.stream().filter(n -> n.type() == NodeType.LLM).toList();
        assertThat(llms).extracting(n -> ((Number) n.attribute("gen_ai.usage.input_tokens")).intValue())
                .containsExactly(81, 140, 170, 201);
        assertThat(llms).extracting(n -> ((Number) n.attribute("gen_ai.usage.output_tokens")).intValue())
                .containsExactly(40, 18, 12, 15);
        assertThat(llms.get(0).attribute("gen_ai.input.messages").toString())
                .contains("You book trips.", "Book me a trip to Lisbon");
        assertThat(llms.get(1).attribute("gen_ai.input.messages").toString())
                .contains("TP123 to Lisbon", "hotel service unavailable");

        // the model was asked again after the failed hotel booking, and again after the guardrail's reprompt
        assertThat(llms.get(0).edges()).isEmpty();
        assertThat(llms.get(1).edges()).extracting(Edge::type, Edge::toSpanId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EdgeType.RETRY_OF, llms.get(0).spanId()));
        assertThat(llms.get(2).edges()).isEmpty();
        assertThat(llms.get(3).edges()).extracting(Edge::type, Edge::toSpanId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EdgeType.RETRY_OF, llms.get(2).spanId()));

        Node flights = children.get(2);
        assertThat(flights.type()).isEqualTo(NodeType.TOOL);
        assertThat(flights.attributes()).containsEntry("gen_ai.operation.name", "execute_tool")
                .containsEntry("gen_ai.tool.name", "findFlights").containsEntry("gen_ai.tool.call.id", "call_1");
        assertThat(flights.input()).isEqualTo("{\"arg0\":\"Lisbon\"}");
        assertThat(flights.output()).isEqualTo("TP123 to Lisbon");
        assertThat(flights.isError()).isFalse();

        Node failedHotel = children.get(3);
        assertThat(failedHotel.attribute("gen_ai.tool.call.id")).isEqualTo("call_2");
        assertThat(failedHotel.isError()).isTrue();
        assertThat(failedHotel.error()).containsEntry("type", "java.lang.IllegalStateException")
                .containsEntry("message", "hotel service unavailable");
        assertThat(String.valueOf(failedHotel.error().get("stack"))).contains("BookingTools.bookHotel");
        Node hotel = children.get(5);
        assertThat(hotel.isError()).isFalse();
        assertThat(hotel.output()).isEqualTo("Hotel Lisboa booked in Lisbon");

        Node input = children.get(0);
        assertThat(input.type()).isEqualTo(NodeType.GUARDRAIL);
        assertThat(input.attributes()).containsEntry("langchain4j.guardrail.kind", "input")
                .containsEntry("langchain4j.guardrail.result", "SUCCESS");
        Node rejected = children.get(7);
        assertThat(rejected.type()).isEqualTo(NodeType.GUARDRAIL);
        assertThat(rejected.isError()).isTrue();
        assertThat(rejected.error().get("message")).isEqualTo("The answer has no booking reference");
        assertThat(rejected.attributes()).containsEntry("langchain4j.guardrail.kind", "output")
                .containsEntry("langchain4j.guardrail.result", "FATAL")
                .containsEntry("langchain4j.guardrail.reprompt", true);
        assertThat(children.get(9).isError()).isFalse();
        assertThat(run.graph().nodes()).allMatch(Node::isEnded);
    }

    @Test
    void withoutTheErrorHandlerAFailedToolIsAnErrorWithTheTextTheModelWasTold() {
        scriptTrip();
        TravelAssistant assistant = assistant(run.tracing(true), new BookingTools(), false);

        assistant.plan("Book me a trip to Lisbon");

        Node failedHotel = run.graph().nodes().stream()
                .filter(n -> "call_2".equals(n.attribute("gen_ai.tool.call.id"))).findFirst().orElseThrow();
        assertThat(failedHotel.isError()).isTrue();
        assertThat(failedHotel.error().get("message")).isEqualTo("hotel service unavailable");
    }

    @Test
    void withoutTheChatModelListenerTheServiceEventsStillMakeTheLlmSpans() {
        scriptTrip();
        LangChain4jTracing tracing = run.tracing(true);
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                .modelName("gpt-4o-mini").maxRetries(0).build();
        TravelAssistant assistant = AiServices.builder(TravelAssistant.class).chatModel(model)
                .tools(new BookingTools()).registerListeners(tracing.aiServiceListeners()).build();

        assistant.plan("Book me a trip to Lisbon");

        List<Node> llms = run.node("TravelAssistant.plan").children().stream()
                .filter(n -> n.type() == NodeType.LLM).toList();
        assertThat(llms).hasSize(4).allMatch(Node::isEnded);
        assertThat(((Number) llms.get(0).attribute("gen_ai.usage.input_tokens")).intValue()).isEqualTo(81);
        assertThat(llms.get(1).edges()).extracting(Edge::type).containsExactly(EdgeType.RETRY_OF);
    }

    @Test
    void withoutContentCaptureNoMessageTextAppearsAnywhere() {
        scriptTrip();
        TravelAssistant assistant = assistant(run.tracing(false), new BookingTools(), false);

        assistant.plan("Book me a trip to Lisbon");

        String records = run.text();
        assertThat(run.node("TravelAssistant.plan").children()).hasSize(10);
        assertThat(records).doesNotContain("Lisbon", "Lisboa", "You book trips", "TP123", "ABC123",
                "Give the booking reference", "hotel service unavailable");
        assertThat(records).contains("findFlights", "call_2", "gen_ai.usage.input_tokens",
                "the tool failed (its result goes to the model as an error)");
    }

    @Test
    void aFailedServiceCallIsAnErrorAgentSpan() {
        server.error(500, "{\"error\":{\"message\":\"model overloaded\"}}");
        TravelAssistant assistant = assistant(run.tracing(true), new BookingTools(), true);

        assertThatThrownBy(() -> assistant.plan("Book me a trip to Lisbon")).hasMessageContaining("model overloaded");

        Node agent = run.node("TravelAssistant.plan");
        assertThat(agent.isError()).isTrue();
        assertThat(String.valueOf(agent.error().get("message"))).contains("model overloaded");
        assertThat(agent.children()).extracting(Node::name).containsExactly("PoliteRequest", "chat gpt-4o-mini");
        assertThat(agent.children().get(1).isError()).isTrue();
    }
}
