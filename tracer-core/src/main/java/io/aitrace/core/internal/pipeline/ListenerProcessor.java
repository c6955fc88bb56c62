package io.aitrace.core.internal.pipeline;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.read.RecordNodes;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.target.SpanListener;
import io.aitrace.read.Node;
import java.util.List;

/**
 * Turns span records into {@link SpanListener} calls, with the span as a {@link Node} made from the typed record
 * (no JSON). Listeners are promised {@code onStart} for every span, so it needs every start record. A listener
 * that throws is reported once and keeps being called.
 */
public final class ListenerProcessor implements RecordProcessor {
    private final List<SpanListener> listeners;
    private final boolean[] reported;

    public ListenerProcessor(List<SpanListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.reported = new boolean[this.listeners.size()];
    }

    @Override
    public boolean needsStartRecords() {
        return true;
    }

    @Override
    public void onStart(SpanRecord span) {
        call("onStart", span);
    }

    @Override
    public void onSnapshot(SpanRecord span) {
        call("onSnapshot", span);
    }

    @Override
    public void onEnd(SpanRecord span) {
        call("onEnd", span);
    }

    private void call(String event, SpanRecord record) {
        Node span = RecordNodes.node(record);
        for (int i = 0; i < listeners.size(); i++) {
            SpanListener listener = listeners.get(i);
            try {
                switch (event) {
                    case "onEnd" -> listener.onEnd(span);
                    case "onSnapshot" -> listener.onSnapshot(span);
                    default -> listener.onStart(span);
                }
            } catch (RuntimeException | LinkageError | AssertionError e) {
                if (!reported[i]) {
                    reported[i] = true;
                    Diagnostics.warn("span listener " + listener.getClass().getName() + " failed in " + event
                            + " (further failures of it are not reported)", e);
                }
            }
        }
    }

    @Override
    public String describe() {
        return "span listeners";
    }
}
