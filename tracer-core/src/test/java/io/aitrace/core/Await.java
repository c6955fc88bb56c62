package io.aitrace.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, instead of sleeping a fixed time. Shared with the other modules' tests
 * through tracer-core's test jar.
 */
public final class Await {
    /** Long enough for a loaded CI machine; a condition that holds returns at once. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private Await() {
    }

    /** True as soon as the condition holds; false when the deadline passed first. */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** {@link #until(BooleanSupplier, Duration)} with {@link #DEFAULT}. */
    public static boolean until(BooleanSupplier condition) {
        return until(condition, DEFAULT);
    }
}
