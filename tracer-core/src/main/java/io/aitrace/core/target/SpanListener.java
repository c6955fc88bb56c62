package io.aitrace.core.target;

import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.read.Node;

/**
 * Called when spans start, are snapshotted and end: hooks for an application that reacts to its own trace
 * (progress display, metrics, alerts), the in-process form of the records every target gets.
 *
 * <pre>{@code
 * TracerRuntime.install(TracerConfig.builder()
 *         .addListener(new SpanListener() {
 *             public void onEnd(Node span) { if (span.isError()) alerts.send(span.name()); }
 *         })
 *         .build());
 * }</pre>
 *
 * Listeners run on aitrace's writer thread, never the application's, one record at a time in the order the
 * records were written; each gets the span as a {@link Node} made from its typed record, without JSON (masked
 * like every record; {@link Node#parent()} and {@link Node#children()} are not linked, {@link Node#parentSpanId()}
 * is set).
 * An exception thrown by a listener is caught, reported once on stderr, and does not stop other listeners,
 * targets or later calls. Keep them quick: a slow listener delays the writer like a slow target.
 */
public interface SpanListener {

    /** A span started ({@code end} null, status {@code running}). */
    default void onStart(Node span) {
    }

    /** {@code snapshot()} was called on a running span. */
    default void onSnapshot(Node span) {
    }

    /** A span ended. */
    default void onEnd(Node span) {
    }
}
