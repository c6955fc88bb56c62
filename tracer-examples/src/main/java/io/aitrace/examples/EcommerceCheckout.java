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
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Example 5, e-commerce checkout (after the aitrace seed's test script 01): each order is one trace of nested
 * business steps: validate the cart (an inventory check per item), process the payment (a fraud check by the
 * model, then the card charge), arrange shipping (a quote, then booking a courier). Failures come from a seeded
 * random sequence, so the same seed gives the same story: an item out of stock, a declined card, a courier that
 * times out. A failure is recorded on the span where it happened, logged at ERROR with its exception, and marks
 * every enclosing step failed up to the order; the order ID is in the MDC, so every log line carries it.
 */
public final class EcommerceCheckout {
    private static final Tracer tracer = TracerFactory.getTracer(EcommerceCheckout.class);
    private static final Logger log = LoggerFactory.getLogger(EcommerceCheckout.class);
    /**
     * The seed {@link #main} and {@code aitrace demo} use: the first order goes through, the second card is
     * declined, the third order has an item out of stock.
     */
    public static final long DEMO_SEED = 6;

    /** One line of the cart. */
    public record Item(String sku, int quantity, double price) {
    }

    /** An order to check out. */
    public record Order(String id, String customer, List<Item> items) {
    }

    /** A business step that failed: what the shop reports to the customer. */
    public static final class CheckoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private transient boolean logged;

        public CheckoutException(String message) {
            super(message);
        }

        /** True the first time only: the step where it happened logs it, the enclosing steps do not. */
        boolean firstReport() {
            boolean first = !logged;
            logged = true;
            return first;
        }
    }

    private final Random random;
    private final ScriptedLlm fraudModel = ScriptedLlm.builder("scripted-risk")
            .answer("risk", "low risk: known customer, usual amount")
            .latency(Duration.ofMillis(15))
            .build();

    public EcommerceCheckout(long seed) {
        this.random = new Random(seed);
    }

    /** The three orders of the demo. */
    public static List<Order> demoOrders() {
        return List.of(
                new Order("order-1001", "ada", List.of(new Item("lamp-01", 1, 49.90), new Item("bulb-e27", 2, 4.50))),
                new Order("order-1002", "grace", List.of(new Item("desk-07", 1, 219.00))),
                new Order("order-1003", "linus",
                        List.of(new Item("chair-03", 2, 89.00), new Item("mat-11", 1, 25.00))));
    }

    /** Checks out every order (each its own trace); the outcome of each, "confirmed" or why it failed. */
    public List<String> checkoutAll(List<Order> orders) {
        List<String> outcomes = new ArrayList<>();
        for (Order order : orders) {
            try {
                outcomes.add(checkout(order));
            } catch (CheckoutException e) {
                outcomes.add("failed: " + e.getMessage());
            }
        }
        return outcomes;
    }

    /** Checks out one order: "confirmed", or a {@link CheckoutException} saying what failed. */
    public String checkout(Order order) {
        MDC.put("order_id", order.id());
        try {
            return step("checkout", NodeType.STEP, Map.of("order_id", order.id(), "customer", order.customer()), () -> {
                log.info("checking out {} item(s) for {}", order.items().size(), order.customer());
                double total = step("validate_cart", NodeType.STEP, Map.of("items", order.items()),
                        () -> validateCart(order));
                step("process_payment", NodeType.STEP, Map.of("amount", total), () -> pay(order, total));
                String tracking = step("arrange_shipping", NodeType.STEP, Map.of("order_id", order.id()),
                        this::ship);
                log.info("order confirmed, tracking {}", tracking);
                return "confirmed";
            });
        } finally {
            MDC.remove("order_id");
        }
    }

    private double validateCart(Order order) {
        double total = 0;
        for (Item item : order.items()) {
            step("check_inventory", NodeType.TOOL, Map.of("sku", item.sku(), "quantity", item.quantity()), () -> {
                ScriptedLlm.pause(Duration.ofMillis(5));
                if (random.nextDouble() < 0.15) {
                    throw new CheckoutException(item.sku() + " is out of stock");
                }
                return "in stock";
            });
            total += item.quantity() * item.price();
        }
        return Math.round(total * 100) / 100.0;
    }

    private String pay(Order order, double total) {
        String risk = fraudModel.chat("fraud_check", List.of(
                Message.user("risk of order " + order.id() + " by " + order.customer() + " for " + total + " EUR")));
        tracer.currentSpan().annotate("fraud check: " + risk + "; charging the card");
        return step("charge_card", NodeType.TOOL, Map.of("amount", total, "card", "visa-4242"), () -> {
            ScriptedLlm.pause(Duration.ofMillis(10));
            if (random.nextDouble() < 0.3) {
                throw new CheckoutException("card declined by the issuer (insufficient funds)");
            }
            return "charge-" + order.id();
        });
    }

    private String ship() {
        String quote = step("quote_shipping", NodeType.TOOL, Map.of("carrier", "parcelco"), () -> "standard, 3 days");
        return step("book_courier", NodeType.TOOL, Map.of("service", quote), () -> {
            ScriptedLlm.pause(Duration.ofMillis(10));
            if (random.nextDouble() < 0.1) {
                throw new CheckoutException("courier booking timed out");
            }
            return "PC" + (100000 + random.nextInt(900000));
        });
    }

    /** What a step does. */
    private interface Body<T> {
        T run();
    }

    /**
     * One business step as a span with its input and output. A failure is logged with its exception on the
     * span where it happened and passes through the enclosing steps, each of which is marked failed.
     */
    private <T> T step(String name, NodeType type, Map<String, Object> input, Body<T> body) {
        Span span = tracer.span(name, type);
        try {
            span.input(input);
            if (type == NodeType.TOOL) {
                GenAi.tool(span, name, ScriptedLlm.nextToolCallId());
            }
            T result = body.run();
            span.output(result);
            return result;
        } catch (CheckoutException e) {
            span.error(e);
            if (e.firstReport()) {
                log.error("{} failed", name, e);
            }
            throw e;
        } finally {
            span.close();
        }
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : DEMO_SEED;
        new EcommerceCheckout(seed).checkoutAll(demoOrders()).forEach(System.out::println);
        RunExamples.sayWhereRecordsWent();
    }
}
