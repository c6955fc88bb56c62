package io.aitrace.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies (and the rows made of them) held in memory at once, across all requests. A request
 * that would take the total over the budget gets 503 with {@code Retry-After}, unless it is the only one in
 * memory (so a body within the size limit always gets through eventually).
 */
final class MemoryBudget {
    private final long budget;
    private final AtomicLong used = new AtomicLong();

    MemoryBudget(long budget) {
        this.budget = budget;
    }

    long budget() {
        return budget;
    }

    long used() {
        return used.get();
    }

    /**
     * Counts {@code bytes} more against the budget.
     *
     * @throws ApiException 503 with {@code Retry-After} when they do not fit beside what other requests hold
     */
    void reserve(long bytes, long alreadyHeld) {
        while (true) {
            long now = used.get();
            boolean alone = now == alreadyHeld;
            if (now + bytes > budget && !alone) {
                throw new ApiException(503, "the collector is short of memory (" + mib(now)
                        + " MiB of request bodies in progress, budget " + mib(budget) + " MiB); try again shortly")
                        .retryAfter(2);
            }
            if (used.compareAndSet(now, now + bytes)) {
                return;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
