package io.aitrace.core.internal.pipeline;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.target.SpanListener;
import io.aitrace.core.target.Target;
import io.aitrace.read.Node;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns span records into {@link SpanListener} calls. Runs on the writer thread like every target; a listener
 * that throws is reported once and keeps being called.
 */
public final class ListenerTarget implements Target {
    /** Running spans remembered to tell a start from a snapshot; beyond this many, older ones are forgotten. */
    private static final int MAX_RUNNING = 100_000;

    private final List<SpanListener> listeners;
    private final boolean[] reported;
    private final Set<String> running = new HashSet<>();

    public ListenerTarget(List<SpanListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.reported = new boolean[this.listeners.size()];
    }

    @Override
    public void write(byte[] line, int offset, int length) {
        Node span = TraceReader.readRecord(new String(line, offset, length, StandardCharsets.UTF_8)).span();
        if (span == null) {
            return;
        }
        String event;
        if (span.isEnded()) {
            running.remove(span.spanId());
            event = "onEnd";
        } else if (running.contains(span.spanId())) {
            event = "onSnapshot";
        } else {
            if (running.size() >= MAX_RUNNING) {
                running.clear();
            }
            running.add(span.spanId());
            event = "onStart";
        }
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
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String describe() {
        return "span listeners";
    }
}
