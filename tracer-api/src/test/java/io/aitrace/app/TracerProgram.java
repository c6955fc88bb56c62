package io.aitrace.app;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;

/** The smallest application: one span. The marking test providers print which of them traced it. */
public final class TracerProgram {
    private TracerProgram() {
    }

    public static void main(String[] args) {
        Tracer tracer = TracerFactory.getTracer(TracerProgram.class);
        try (Span step = tracer.span("step", NodeType.STEP)) {
            step.annotate("traced");
        }
        System.out.println("done");
    }
}
