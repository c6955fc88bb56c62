package io.aitrace.examples;

import io.aitrace.genai.GenAi;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.genai.GenAi.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 6, a chatbot conversation (after the aitrace seed's test script 02): each user turn is its own trace,
 * and every turn carries the same {@code gen_ai.conversation.id}, so the turns of one conversation can be found
 * together. The model sees the whole history (it grows in {@code gen_ai.input.messages} from turn to turn), and
 * the turn that asks about an order calls an order-lookup tool first.
 */
public final class ChatbotConversation {
    private static final Tracer tracer = TracerFactory.getTracer(ChatbotConversation.class);
    private static final Logger log = LoggerFactory.getLogger(ChatbotConversation.class);
    /** The user's side of the conversation {@link #main} and {@code aitrace demo} play. */
    public static final List<String> DEMO_TURNS = List.of(
            "Hi! I ordered a desk lamp last week.",
            "Where is order 1042?",
            "Thanks. Can I still change the delivery address?");

    private final String conversationId;
    private final List<Message> history = new ArrayList<>();
    private final ScriptedLlm llm = ScriptedLlm.builder("scripted-gpt")
            .answer("change", "Yes: until it leaves the depot tomorrow, change it under Orders → 1042 → Address.")
            .answer("status", "Order 1042 shipped yesterday and arrives on Thursday.")
            .answer("hi", "Hello! How can I help you with your lamp?")
            .latency(Duration.ofMillis(20))
            .build();

    public ChatbotConversation(String conversationId) {
        this.conversationId = conversationId;
        history.add(Message.system("You are the shop's friendly support assistant."));
    }

    /** One turn: a trace of its own. */
    public String reply(String userMessage) {
        int turn = (history.size() + 1) / 2;
        try (Span span = tracer.span("chat_turn", NodeType.AGENT)) {
            GenAi.agent(span, "support_chatbot");
            GenAi.conversation(span, conversationId)
                    .attribute("chat.turn", turn).input("message", userMessage);
            log.info("turn {} of conversation {}", turn, conversationId);
            String prompt = userMessage;
            if (userMessage.toLowerCase().contains("order ")) {
                Map<String, Object> status = tracer.call("lookup_order", NodeType.TOOL, () -> {
                    GenAi.tool(tracer.currentSpan(), "lookup_order", ScriptedLlm.nextToolCallId())
                            .input("order_id", "1042");
                    ScriptedLlm.pause(Duration.ofMillis(15));
                    return Map.of("order_id", "1042", "status", "shipped", "eta", "Thursday");
                });
                span.annotate("the user asked about an order: looked it up before answering");
                prompt = userMessage + " [order status: " + status + "]";
            }
            history.add(Message.user(prompt));
            String answer = llm.chat("respond", List.copyOf(history));
            history.add(Message.assistant(answer));
            span.output("answer", answer);
            return answer;
        }
    }

    public static void main(String[] args) {
        ChatbotConversation bot = new ChatbotConversation("conv-chat-1");
        for (String message : DEMO_TURNS) {
            System.out.println("user: " + message);
            System.out.println("bot:  " + bot.reply(message));
        }
        RunExamples.sayWhereRecordsWent();
    }
}
