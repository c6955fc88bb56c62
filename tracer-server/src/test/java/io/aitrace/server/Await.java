package io.aitrace.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, instead of sleeping a fixed time. */
final class Await {
    static final Duration DEFAULT = Duration.ofSeconds(30);

    private Await() {
    }

    /** True as soon as the condition holds; false when the deadline passed first. */
    static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static boolean until(BooleanSupplier condition) {
        return until(condition, DEFAULT);
    }
}
