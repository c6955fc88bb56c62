package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
    static final ObjectNode CLOSED = RecordJson.MAPPER.createObjectNode();

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();

    /** One stream's queue of records, all traces or one. */
    final class Subscription implements AutoCloseable {
        private final String traceId;
        private final BlockingQueue<ObjectNode> queue = new ArrayBlockingQueue<>(CAPACITY);

        private Subscription(String traceId) {
            this.traceId = traceId;
        }

        /** The next record, {@link #CLOSED} when the feed closed, or null after {@code millis} without one. */
        ObjectNode next(long millis) throws InterruptedException {
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

    void publish(List<ObjectNode> records) {
        for (Subscription subscription : subscriptions) {
            for (ObjectNode record : records) {
                if (subscription.traceId == null || subscription.traceId.equals(record.path("trace_id").asText())) {
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
