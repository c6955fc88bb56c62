package io.aitrace.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentListenerTest extends FakeServerTest {
    public interface Planner {
        @UserMessage("Plan a trip to {{city}}. PLANNER")
        @Agent(outputKey = "plan")
        String plan(@V("city") String city);
    }

    public interface FlightScout {
        @UserMessage("Find flights for: {{plan}} FLIGHTS")
        @Agent(outputKey = "flights")
        String flights(@V("plan") String plan);
    }

    public interface HotelScout {
        @UserMessage("Find hotels for: {{plan}} HOTELS")
        @Agent(outputKey = "hotels")
        String hotels(@V("plan") String plan);
    }

    public interface Summarizer {
        @UserMessage("Summarize {{flights}} and {{hotels}} SUMMARY")
        @Agent(outputKey = "summary")
        String summarize(@V("flights") String flights, @V("hotels") String hotels);
    }

    private UntypedAgent tripWorkflow(LangChain4jTracing tracing) {
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                .modelName("gpt-4o-mini").maxRetries(0).listeners(List.of(tracing.chatModelListener())).build();
        UntypedAgent scouts = AgenticServices.parallelBuilder()
                .name("scouts")
                .subAgents(AgenticServices.agentBuilder(FlightScout.class).chatModel(model).outputKey("flights").build(),
                        AgenticServices.agentBuilder(HotelScout.class).chatModel(model).outputKey("hotels").build())
                .build();
        return AgenticServices.sequenceBuilder()
                .name("trip")
                .subAgents(AgenticServices.agentBuilder(Planner.class).chatModel(model).outputKey("plan").build(),
                        scouts,
                        AgenticServices.agentBuilder(Summarizer.class).chatModel(model).outputKey("summary").build())
                .outputKey("summary")
                .listener(tracing.agentListener())
                .build();
    }

    private void scriptTrip() {
        server.whenContains("PLANNER", FakeOpenAi.completion("c1", "Three days in Lisbon", "stop", 20, 6))
                .together(Map.of(
                        "FLIGHTS", FakeOpenAi.completion("c2", "Flight TP123", "stop", 30, 4),
                        "HOTELS", FakeOpenAi.completion("c3", "Hotel Lisboa", "stop", 31, 3)))
                .whenContains("SUMMARY", FakeOpenAi.completion("c4", "TP123 and Hotel Lisboa", "stop", 40, 7));
    }

    @Test
    void agentSpansNestAsTheWorkflowWithParallelBranchesAsSiblingLanes() {
        scriptTrip();
        UntypedAgent trip = tripWorkflow(run.tracing(true));

        Object summary;
        try (Span app = run.tracer.span("app", NodeType.AGENT)) {
            summary = trip.invoke(Map.of("city", "Lisbon"));
        }

        assertThat(summary).isEqualTo("TP123 and Hotel Lisboa");
        TraceGraph graph = run.graph();
        Node workflow = run.node("trip");
        assertThat(workflow.type()).isEqualTo(NodeType.AGENT);
        assertThat(workflow.parent().name()).isEqualTo("app");
        assertThat(workflow.attributes()).containsEntry("gen_ai.operation.name", "invoke_workflow")
                .containsEntry("langchain4j.agentic.topology", "SEQUENCE");
        assertThat(workflow.input().toString()).contains("city=Lisbon");
        assertThat(workflow.output()).isEqualTo("TP123 and Hotel Lisboa");
        assertThat(workflow.children()).extracting(Node::name).containsExactly("plan", "scouts", "summarize");

        Node scouts = run.node("scouts");
        assertThat(scouts.attributes()).containsEntry("langchain4j.agentic.topology", "PARALLEL");
        assertThat(scouts.input()).isEqualTo(Map.of("city", "Lisbon", "plan", "Three days in Lisbon"));
        assertThat(scouts.children()).extracting(Node::name).containsExactlyInAnyOrder("flights", "hotels");
        assertThat(scouts.children()).allMatch(Node::isConcurrent);
        assertThat(scouts.children()).extracting(Node::lane).containsExactlyInAnyOrder(0, 1);
        assertThat(TraceGraph.laneCount(scouts.children())).isEqualTo(2);

        Node flights = run.node("flights");
        assertThat(flights.attributes()).containsEntry("gen_ai.operation.name", "invoke_agent");
        assertThat(flights.input()).isEqualTo(Map.of("plan", "Three days in Lisbon"));
        assertThat(flights.output()).isEqualTo("Flight TP123");
        Node flightCall = flights.children().get(0);
        assertThat(flightCall.type()).isEqualTo(NodeType.LLM);
        assertThat(((Number) flightCall.attribute("gen_ai.usage.input_tokens")).intValue()).isEqualTo(30);
        assertThat(((Number) run.node("hotels").children().get(0).attribute("gen_ai.usage.input_tokens")).intValue())
                .isEqualTo(31);
        assertThat(graph.inputTokens()).isEqualTo(20 + 30 + 31 + 40);
        assertThat(graph.nodes()).allMatch(Node::isEnded);
    }

    @Test
    void eachIterationOfALoopIsAChildOfTheLoopOneAfterTheOther() {
        server.whenContains("PLANNER", FakeOpenAi.completion("c1", "Three days in Lisbon", "stop", 20, 6));
        LangChain4jTracing tracing = run.tracing(true);
        ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                .modelName("gpt-4o-mini").maxRetries(0).listeners(List.of(tracing.chatModelListener())).build();
        UntypedAgent polish = AgenticServices.loopBuilder()
                .name("polish")
                .subAgents(AgenticServices.agentBuilder(Planner.class).chatModel(model).outputKey("plan").build())
                .maxIterations(2)
                .outputKey("plan")
                .listener(tracing.agentListener())
                .build();

        polish.invoke(Map.of("city", "Lisbon"));

        Node loop = run.node("polish");
        assertThat(loop.attributes()).containsEntry("langchain4j.agentic.topology", "LOOP");
        assertThat(loop.children()).extracting(Node::name).containsExactly("plan", "plan");
        assertThat(loop.children()).noneMatch(Node::isConcurrent);
        assertThat(loop.children()).allSatisfy(iteration ->
                assertThat(iteration.children()).extracting(Node::type).containsExactly(NodeType.LLM));
    }

    @Test
    void aFailingAgentIsAnErrorSpanAndSoAreTheWorkflowsAboveIt() {
        server.whenContains("PLANNER", FakeOpenAi.completion("c1", "Three days in Lisbon", "stop", 20, 6));
        UntypedAgent trip = tripWorkflow(run.tracing(true));

        assertThatThrownBy(() -> trip.invoke(Map.of("city", "Lisbon"))).isNotNull();

        assertThat(run.node("plan").isError()).isFalse();
        assertThat(run.node("trip").isError()).isTrue();
        assertThat(run.node("scouts").isError()).isTrue();
        assertThat(run.graph().nodes()).allMatch(Node::isEnded);
    }

    @Test
    void withoutContentCaptureNoInputsOrOutputsAreWritten() {
        scriptTrip();
        tripWorkflow(run.tracing(false)).invoke(Map.of("city", "Lisbon"));

        assertThat(run.node("scouts").children()).hasSize(2);
        assertThat(run.text()).doesNotContain("Lisbon", "TP123", "Lisboa");
    }
}
