package io.aitrace.core.internal.pipeline;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An unbounded queue for many producers and one consumer (Dmitry Vyukov's intrusive MPSC design): a producer
 * swaps itself in as the tail with one atomic exchange, which never fails or retries, and then links the old
 * tail to its node; the consumer only follows links, with no atomic update at all. Between a producer's exchange
 * and its link the consumer sees the queue end early, and gets the item on its next look. Not for users.
 */
final class MpscQueue<T> {
    private static final class Node<T> {
        T item;
        volatile Node<T> next;

        Node(T item) {
            this.item = item;
        }
    }

    /** The last node: producers swap in their own. */
    private final AtomicReference<Node<T>> tail;
    /** The node before the first item, touched by the consumer only. */
    private Node<T> head;

    MpscQueue() {
        Node<T> stub = new Node<>(null);
        head = stub;
        tail = new AtomicReference<>(stub);
    }

    /** Adds an item; any thread. */
    void offer(T item) {
        Node<T> node = new Node<>(item);
        tail.getAndSet(node).next = node;
    }

    /** The first item, or null when there is none (yet); the consumer thread only. */
    T poll() {
        Node<T> next = head.next;
        if (next == null) {
            return null;
        }
        T item = next.item;
        next.item = null; // the node is the new stub: let its item go
        head = next;
        return item;
    }
}
