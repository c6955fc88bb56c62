package io.aitrace.core.internal.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded queue for many producers and one consumer over a ring of slots, after JCTools' {@code MpscArrayQueue}:
 * a producer claims a slot by advancing the producer index with one compare-and-set and then stores its item in
 * the slot; the consumer takes items in index order, empties their slots and advances the consumer index with
 * plain ordered stores, no atomic update. Nothing is allocated per item, and the queue's length is the difference
 * of the two indexes, so there is no separate counter for producers and consumer to fight over. The indexes live
 * on cache lines of their own (the padding fields), and a producer reads the consumer's index only when its
 * cached limit says the queue may be full (about once per {@code capacity} items), so producers and the consumer
 * share no line but the slots themselves. Between a producer's claim and its store the consumer sees an empty
 * slot and {@link #poll} returns null: {@link #size()} then still counts the item, which comes in a moment.
 * Not for users.
 */
final class MpscQueue<T> extends MpscQueueConsumerPad {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] slots;
    private final int mask;
    private final int capacity;

    /** A queue holding at most {@code capacity} items (at least 1). */
    MpscQueue(int capacity) {
        this.capacity = Math.max(1, capacity);
        int length = Integer.highestOneBit(this.capacity);
        if (length < this.capacity) {
            length <<= 1;
        }
        this.slots = new Object[length];
        this.mask = length - 1;
        this.producerLimit = this.capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Adds an item unless the queue holds {@code capacity} items already; any thread. Never blocks. */
    boolean offer(T item) {
        long limit = (long) PRODUCER_LIMIT.getVolatile(this);
        long index;
        do {
            index = (long) PRODUCER_INDEX.getVolatile(this);
            if (index >= limit) {
                // The cached limit is reached: look where the consumer is (the only read of its line).
                limit = (long) CONSUMER_INDEX.getVolatile(this) + capacity;
                if (index >= limit) {
                    return false;
                }
                PRODUCER_LIMIT.setRelease(this, limit);
            }
        } while (!PRODUCER_INDEX.compareAndSet(this, index, index + 1));
        SLOT.setRelease(slots, (int) index & mask, item);
        return true;
    }

    /**
     * The first item, or null when there is none, or when its producer has claimed the slot but not yet stored
     * the item (then {@link #size()} is not 0); the consumer thread only.
     */
    @SuppressWarnings("unchecked")
    T poll() {
        long index = consumerIndex; // only this thread writes it
        int slot = (int) index & mask;
        Object item = SLOT.getAcquire(slots, slot);
        if (item == null) {
            return null;
        }
        SLOT.setOpaque(slots, slot, null); // published to producers by the ordered store of the index below
        CONSUMER_INDEX.setRelease(this, index + 1);
        return (T) item;
    }

    /**
     * Items claimed and not yet taken (some may not be stored yet); any thread, a moment's view. Never negative
     * (the consumer's index is read first and never passes the producers'); while items are taken and added it may
     * be above the capacity by those added meanwhile. Not clamped: a clamp is a branch taken only when the queue
     * is full, and code the JIT compiled without it is thrown away just then.
     */
    long size() {
        long consumer = (long) CONSUMER_INDEX.getVolatile(this);
        return (long) PRODUCER_INDEX.getVolatile(this) - consumer;
    }

    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle PRODUCER_LIMIT;
    private static final VarHandle CONSUMER_INDEX;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(MpscQueueProducerFields.class, "producerIndex", long.class);
            PRODUCER_LIMIT = lookup.findVarHandle(MpscQueueProducerFields.class, "producerLimit", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(MpscQueueConsumerFields.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

// The JVM lays out a superclass's fields before its subclass's: these classes keep the producers' fields and
// the consumer's on cache lines of their own, 128 bytes apart (adjacent-line prefetch pairs 64-byte lines).

@SuppressWarnings("unused")
abstract class MpscQueueHeadPad {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class MpscQueueProducerFields extends MpscQueueHeadPad {
    /** The next index a producer claims. */
    long producerIndex;
    /** An index below which producers may claim without looking at the consumer's index. */
    long producerLimit;
}

@SuppressWarnings("unused")
abstract class MpscQueueProducerPad extends MpscQueueProducerFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

abstract class MpscQueueConsumerFields extends MpscQueueProducerPad {
    /** The next index the consumer takes. */
    long consumerIndex;
}

@SuppressWarnings("unused")
abstract class MpscQueueConsumerPad extends MpscQueueConsumerFields {
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
}
