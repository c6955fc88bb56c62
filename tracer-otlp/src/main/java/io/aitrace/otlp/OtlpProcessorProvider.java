package io.aitrace.otlp;

import io.aitrace.core.TracerConfig;
import io.aitrace.core.pipeline.ProcessorProvider;
import io.aitrace.core.pipeline.RecordProcessor;

/** Adds an {@link OtlpTarget} when the configuration names an OTLP endpoint; found by tracer-core at run time. */
public final class OtlpProcessorProvider implements ProcessorProvider {
    /** The name tracer-core looks for when an OTLP endpoint is configured. */
    public static final String NAME = "otlp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RecordProcessor open(TracerConfig config) {
        if (config.otlpEndpoint() == null) {
            return null;
        }
        return new OtlpTarget(config.otlpEndpoint(), config.otlpHeaders(), config.flushTimeout());
    }
}
