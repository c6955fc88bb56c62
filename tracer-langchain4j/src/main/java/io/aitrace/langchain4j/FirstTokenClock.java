package io.aitrace.langchain4j;

import java.util.concurrent.atomic.AtomicLong;

/** When the first chunk of a streamed answer arrived; passed to the chat model listener as a call attribute. */
final class FirstTokenClock {
    static final Object KEY = FirstTokenClock.class;
    private final AtomicLong firstNanos = new AtomicLong();

    void chunkArrived() {
        if (firstNanos.get() == 0) {
            firstNanos.compareAndSet(0, System.nanoTime());
        }
    }

    /** Nanoseconds from {@code startNanos} to the first chunk, or -1 when none arrived. */
    long sinceStart(long startNanos) {
        long first = firstNanos.get();
        return first == 0 ? -1 : Math.max(0, first - startNanos);
    }
}
