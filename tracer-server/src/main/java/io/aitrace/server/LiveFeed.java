package io.aitrace.server;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands every committed record to the event streams that want it. The writer thread never waits here: a stream
 * that falls more than {@value #CAPACITY} records behind loses the surplus, and the loss is counted.
 */
final class LiveFeed {
    private static final int CAPACITY = 10_000;
    /** Tells a subscription its feed closed. */
    static final RecordRow CLOSED = new RecordRow.Log(null, null, null, null, null, "{}");

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();

    /** One stream's queue of records, all traces or one. */
    final class Subscription implements AutoCloseable {
        private final String traceId;
        private final BlockingQueue<RecordRow> queue = new ArrayBlockingQueue<>(CAPACITY);

        private Subscription(String traceId) {
            this.traceId = traceId;
        }

        /** The next record, {@link #CLOSED} when the feed closed, or null after {@code millis} without one. */
        RecordRow next(long millis) throws InterruptedException {
            return queue.poll(millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    Subscription subscribe(String traceId) {
        Subscription subscription = new Subscription(traceId);
        subscriptions.add(subscription);
        return subscription;
    }

    void publish(List<RecordRow> records) {
        for (Subscription subscription : subscriptions) {
            for (RecordRow record : records) {
                if (subscription.traceId == null || subscription.traceId.equals(record.traceId())) {
                    if (!subscription.queue.offer(record)) {
                        dropped.incrementAndGet();
                    }
                }
            }
        }
    }

    /** Records a slow stream did not get. */
    long dropped() {
        return dropped.get();
    }

    void close() {
        for (Subscription subscription : subscriptions) {
            subscription.queue.clear();
            subscription.queue.offer(CLOSED);
        }
    }
}
