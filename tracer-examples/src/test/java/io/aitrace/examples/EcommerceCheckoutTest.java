package io.aitrace.examples;

import static io.aitrace.examples.RecordedRun.child;
import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EcommerceCheckoutTest {
    @TempDir
    Path dir;

    private final List<String> outcomes = new ArrayList<>();

    private List<Node> checkouts(long seed, String file) {
        TraceGraph graph = RecordedRun.record(dir.resolve(file), () -> outcomes.addAll(
                new EcommerceCheckout(seed).checkoutAll(EcommerceCheckout.demoOrders())));
        assertThat(graph.traceIds()).hasSize(3);
        List<Node> roots = new ArrayList<>(graph.roots());
        roots.sort(Comparator.comparing(Node::start));
        return roots;
    }

    @Test
    void withTheDemoSeedOneOrderGoesThroughOneCardIsDeclinedAndOneItemIsOutOfStock() {
        List<Node> orders = checkouts(EcommerceCheckout.DEMO_SEED, "demo.jsonl");

        assertThat(outcomes).containsExactly("confirmed", "failed: card declined by the issuer (insufficient funds)",
                "failed: mat-11 is out of stock");
        assertThat(orders).extracting(Node::name).containsOnly("checkout");
        assertThat(orders).extracting(Node::status).containsExactly("ok", "error", "error");

        Node confirmed = orders.get(0);
        assertThat(confirmed.children()).extracting(Node::name)
                .containsExactly("validate_cart", "process_payment", "arrange_shipping");
        assertThat(child(confirmed, "process_payment").children()).extracting(Node::name)
                .containsExactly("fraud_check", "charge_card");
        assertThat(child(confirmed, "arrange_shipping").children()).extracting(Node::name)
                .containsExactly("quote_shipping", "book_courier");

        Node declined = orders.get(1);
        assertThat(declined.children()).extracting(Node::name).containsExactly("validate_cart", "process_payment");
        Node charge = child(child(declined, "process_payment"), "charge_card");
        assertThat(charge.status()).isEqualTo("error");
        assertThat(charge.error()).containsEntry("message", "card declined by the issuer (insufficient funds)");
        assertThat(child(declined, "process_payment").status()).isEqualTo("error");
        assertThat(charge.logs()).singleElement().satisfies(log -> {
            assertThat(log.level()).isEqualTo("error");
            assertThat(log.event()).isEqualTo("charge_card failed");
            assertThat(log.error()).containsEntry("message", "card declined by the issuer (insufficient funds)");
            assertThat(log.attrs()).containsEntry("order_id", "order-1002");
        });

        Node outOfStock = orders.get(2);
        Node cart = child(outOfStock, "validate_cart");
        assertThat(cart.children()).extracting(Node::status).containsExactly("ok", "error");
        assertThat(cart.children().get(1).logs()).extracting(LogEntry::event).containsExactly("check_inventory failed");
        assertThat(outOfStock.children()).extracting(Node::name).containsExactly("validate_cart");
        assertThat(outOfStock.logs()).extracting(LogEntry::level).containsExactly("info");
    }

    @Test
    void theSameSeedTellsTheSameStoryAndAnotherSeedAnotherOne() {
        List<Node> first = checkouts(EcommerceCheckout.DEMO_SEED, "a.jsonl");
        List<String> firstOutcomes = List.copyOf(outcomes);
        outcomes.clear();
        List<Node> again = checkouts(EcommerceCheckout.DEMO_SEED, "b.jsonl");
        assertThat(outcomes).isEqualTo(firstOutcomes);
        assertThat(again).extracting(Node::status).isEqualTo(first.stream().map(Node::status).toList());
        outcomes.clear();
        checkouts(1, "c.jsonl");
        assertThat(outcomes).isNotEqualTo(firstOutcomes);
    }
}
