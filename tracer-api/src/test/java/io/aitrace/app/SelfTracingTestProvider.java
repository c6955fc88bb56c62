package io.aitrace.app;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.TracerFactory;

/** A provider that asks {@link TracerFactory} for a tracer while it is being constructed. */
public final class SelfTracingTestProvider extends MarkingProvider {

    public SelfTracingTestProvider() {
        try (Span startup = TracerFactory.getTracer(SelfTracingTestProvider.class).span("startup", NodeType.STEP)) {
            System.out.println("SelfTracingTestProvider constructed");
        }
    }
}
