package io.aitrace.examples;

import io.aitrace.core.target.Target;
import io.aitrace.core.TracerRuntime;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Examples 1 to 6, 9 and 10, the ones {@code aitrace demo} shows, run one after the other into whatever target is
 * configured ({@code LOG_TRG}, {@code -Daitrace.target}, else
 * {@code ~/.config/aitrace/traces/<YYYYMMDD_HHMMSS>.jsonl}).
 *
 * <pre>{@code
 * for (RunExamples.Example example : RunExamples.demo()) { example.run(); }
 * }</pre>
 */
public final class RunExamples {
    private RunExamples() {
    }

    /** One example: its number, what it shows, and the code that runs it once. */
    public record Example(int number, String title, Runnable body) {
        public void run() {
            body.run();
        }
    }

    /** Examples 1 to 6, 9 and 10, each giving the same traces every run (the checkout with its demo seed). */
    public static List<Example> demo() {
        return List.of(
                new Example(1, "sequential tool calling", () -> new SequentialToolCalling()
                        .answer("What's the weather in Paris?", "conv-weather-1")),
                new Example(2, "parallel fan-out", () -> new ParallelFanOut()
                        .research("How does structured concurrency work in Java?", "conv-research-1")),
                new Example(3, "retry and fallback", () -> new RetryAndFallback()
                        .answer("How do I reset my password?", "conv-support-1")),
                new Example(4, "multi-agent router", () -> new MultiAgentRouter()
                        .handle("Book me a trip to Paris on May 3 for two nights", "conv-travel-1")),
                new Example(5, "e-commerce checkout", () -> new EcommerceCheckout(EcommerceCheckout.DEMO_SEED)
                        .checkoutAll(EcommerceCheckout.demoOrders())),
                new Example(6, "chatbot conversation", () -> {
                    ChatbotConversation bot = new ChatbotConversation("conv-chat-1");
                    ChatbotConversation.DEMO_TURNS.forEach(bot::reply);
                }),
                new Example(9, "LangChain4j AI Service", () -> new LangChain4jTravelAgent()
                        .book("Book me a flight to Lisbon on May 3 and a hotel for two nights")),
                new Example(10, "LangChain4j agentic workflow", () -> new LangChain4jAgenticWorkflow()
                        .plan("Lisbon", 3)));
    }

    /** Flushes the global runtime and says where its records went, and how to look at them. */
    static void sayWhereRecordsWent() {
        TracerRuntime runtime = TracerRuntime.global();
        runtime.flush();
        List<Target> targets = runtime.targets();
        System.out.println(targets.isEmpty() ? "Tracing is off: no records written."
                : "Records went to " + targets.stream().map(Target::describe).collect(Collectors.joining(", "))
                        + "\nLook at them with: bin/aitrace inspect <that file>");
    }

    public static void main(String[] args) {
        for (Example example : demo()) {
            System.out.println(example.number() + ". " + example.title());
            example.run();
        }
        sayWhereRecordsWent();
    }
}
