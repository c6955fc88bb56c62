package io.aitrace.core.pipeline;

import io.aitrace.core.TracerConfig;

/**
 * A {@link RecordProcessor} that a module of its own adds when it is on the class path, found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.aitrace.core.pipeline.ProcessorProvider} file naming
 * the class). tracer-otlp provides {@code otlp}: with it on the class path, {@code aitrace.otlp.endpoint} (or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}) also exports spans over OTLP.
 *
 * <pre>{@code
 * public final class MyProcessorProvider implements ProcessorProvider {
 *     public String name() { return "my-sink"; }
 *     public RecordProcessor open(TracerConfig config) { return enabled(config) ? new MySink(config) : null; }
 * }
 * }</pre>
 */
public interface ProcessorProvider {
    /** A short name for messages, e.g. {@code otlp}. */
    String name();

    /** The processor this configuration asks for, or null when it asks for none. Called once per runtime. */
    RecordProcessor open(TracerConfig config);
}
