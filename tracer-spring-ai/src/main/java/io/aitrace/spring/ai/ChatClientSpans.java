package io.aitrace.spring.ai;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.genai.GenAi;
import java.util.List;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * A ChatClient call: an {@code agent} span ({@code invoke_agent}) holding the prompt as input and the final
 * answer as output; a chat memory conversation ID becomes the inheritable {@code gen_ai.conversation.id}.
 */
final class ChatClientSpans implements SpanMapping<ChatClientObservationContext> {

    @Override
    public Class<ChatClientObservationContext> contextType() {
        return ChatClientObservationContext.class;
    }

    @Override
    public NodeType nodeType(ChatClientObservationContext context) {
        return NodeType.AGENT;
    }

    @Override
    public String name(ChatClientObservationContext context) {
        return "spring_ai chat_client";
    }

    @Override
    public void started(Span span, ChatClientObservationContext context, boolean content) {
        span.attribute(GenAi.OPERATION_NAME, GenAi.OP_INVOKE_AGENT);
        span.attribute("spring.ai.kind", "chat_client");
        span.attribute("spring.ai.chat.client.stream", context.isStream());
        List<String> advisors = context.getAdvisors().stream().map(a -> a.getName()).toList();
        span.attribute("spring.ai.chat.client.advisors", advisors);
        ChatClientRequest request = context.getRequest();
        Object conversation = request.context().get(ChatMemory.CONVERSATION_ID);
        if (conversation != null) {
            GenAi.conversation(span, String.valueOf(conversation));
        }
        if (content && request.prompt() != null) {
            span.input("messages", Messages.asMaps(Messages.of(request.prompt().getInstructions())));
        }
    }

    @Override
    public void stopped(Span span, ChatClientObservationContext context, boolean content) {
        ChatClientResponse response = context.getResponse();
        ChatResponse chat = response == null ? null : response.chatResponse();
        if (content && chat != null && chat.getResult() != null && chat.getResult().getOutput() != null) {
            span.output("answer", chat.getResult().getOutput().getText());
        }
    }
}
