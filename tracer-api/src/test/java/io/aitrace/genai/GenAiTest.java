package io.aitrace.genai;

import io.aitrace.Span;
import io.aitrace.TracerFactory;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.genai.GenAi.Message;
import io.aitrace.genai.GenAi.Part;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenAiTest {

    @Test
    void messagesBecomeTheConventionsObjectsWithRoleTypedPartsAndFinishReason() {
        Message answer = Message.assistant("Let me check.")
                .with(Part.toolCall("call_1", "forecast", Map.of("city", "Paris")))
                .finishReason("tool_call");
        assertThat(answer.toMap()).isEqualTo(Map.of(
                "role", "assistant",
                "parts", List.of(
                        Map.of("type", "text", "content", "Let me check."),
                        Map.of("type", "tool_call", "id", "call_1", "name", "forecast",
                                "arguments", Map.of("city", "Paris"))),
                "finish_reason", "tool_call"));
        assertThat(Message.toolResponse("call_1", "sunny").toMap()).isEqualTo(Map.of("role", "tool",
                "parts", List.of(Map.of("type", "tool_call_response", "id", "call_1", "response", "sunny"))));
        assertThat(Message.user("hi").toMap()).doesNotContainKey("finish_reason");
    }

    @Test
    void nullPartsAndMessagesAreLeftOutInsteadOfFailing() {
        assertThat(Message.of("user", Part.text("a"), null).parts()).hasSize(1);
        assertThat(Message.of("user", (Part[]) null).parts()).isEmpty();
        assertThat(Message.user("a").with(null).parts()).hasSize(1);
        Span none = TracerFactory.getTracer(GenAiTest.class).currentSpan();
        assertThat(GenAi.inputMessages(none, (Message[]) null)).isSameAs(none);
        assertThat(GenAi.outputMessages(none, Message.assistant("x"), null)).isSameAs(none);
    }

    @Test
    void theAttributeNamesAreTheCurrentConventionsOnes() {
        assertThat(List.of(GenAi.OPERATION_NAME, GenAi.PROVIDER_NAME, GenAi.REQUEST_MODEL, GenAi.RESPONSE_MODEL,
                GenAi.USAGE_INPUT_TOKENS, GenAi.USAGE_OUTPUT_TOKENS, GenAi.TOOL_NAME, GenAi.TOOL_CALL_ID,
                GenAi.AGENT_NAME, GenAi.CONVERSATION_ID, GenAi.INPUT_MESSAGES, GenAi.OUTPUT_MESSAGES,
                GenAi.RESPONSE_TIME_TO_FIRST_CHUNK)).containsExactly("gen_ai.operation.name", "gen_ai.provider.name",
                "gen_ai.request.model", "gen_ai.response.model", "gen_ai.usage.input_tokens",
                "gen_ai.usage.output_tokens", "gen_ai.tool.name", "gen_ai.tool.call.id", "gen_ai.agent.name",
                "gen_ai.conversation.id", "gen_ai.input.messages", "gen_ai.output.messages",
                "gen_ai.response.time_to_first_chunk");
    }
}
