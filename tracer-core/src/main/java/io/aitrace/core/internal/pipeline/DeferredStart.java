package io.aitrace.core.internal.pipeline;

import io.aitrace.core.record.SpanRecord;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A span whose start record may never need to be queued: {@link RecordWriter#submitStart} keeps it aside, and
 * whoever comes first decides what becomes of the record. The span's end leaves it out (the end record says all
 * it says and more: a short span is one record, and its start costs neither the queue nor the writer); the thread
 * that started the span queues it before its next record of any kind (so a child's or a log line's record never
 * comes before it from that thread); the writer writes it itself on a flush, on its flush interval and at close (a
 * running span stays visible and is evidence after a crash, as before).
 */
public abstract class DeferredStart {
    private static final int PENDING = 0;
    /** The starting thread took the record and is queueing it. */
    private static final int QUEUEING = 1;
    /** The record is in the queue or written. */
    private static final int OUT = 2;
    /** The span ended first: its start record is never written. */
    private static final int LEFT_OUT = 3;
    private static final AtomicIntegerFieldUpdater<DeferredStart> STATE =
            AtomicIntegerFieldUpdater.newUpdater(DeferredStart.class, "state");

    /** Slots for start records kept aside, one per thread by its ID (a power of two). */
    static final int SLOTS = 64;

    private volatile int state = OUT; // until submitStart keeps it aside
    private final Thread owner = Thread.currentThread();
    private final int slot = slotOf(owner);

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
    static int slotOf(Thread thread) {
        return (int) thread.getId() & (SLOTS - 1);
    }

    final int slot() {
        return slot;
    }

    /** The start record, made when it is needed (from values fixed at the span's start). */
    protected abstract SpanRecord startRecord();

    public final Thread owner() {
        return owner;
    }

    final void keepAside() {
        STATE.lazySet(this, PENDING); // published by the slot's compare-and-set that follows
    }

    final boolean pending() {
        return state == PENDING;
    }

    /** The starting thread takes the record to queue it; null when it is no longer pending. */
    final SpanRecord takeToQueue() {
        return STATE.compareAndSet(this, PENDING, QUEUEING) ? startRecord() : null;
    }

    final void queued() {
        state = OUT;
    }

    /** The writer takes the record to write it at once; null when it is no longer pending. */
    final SpanRecord takeToWrite() {
        return STATE.compareAndSet(this, PENDING, OUT) ? startRecord() : null;
    }

    /**
     * At the span's end: true when the start record never went out (and now never will). When the starting thread
     * is queueing it at this very moment (the span ended on another thread), waits for that offer to finish, so
     * the end record never comes before its start record: a non-blocking offer of a few instructions.
     */
    final boolean leaveOut() {
        if (STATE.compareAndSet(this, PENDING, LEFT_OUT)) {
            return true;
        }
        for (int spins = 0; state == QUEUEING; spins++) {
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the starting thread lost its core mid-offer
            }
        }
        return false;
    }
}
