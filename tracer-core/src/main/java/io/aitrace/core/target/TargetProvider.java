package io.aitrace.core.target;

import io.aitrace.core.TracerConfig;

/**
 * A target that a module of its own adds when it is on the class path, found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.aitrace.core.target.TargetProvider} file naming the class). tracer-otlp provides
 * {@code otlp}: with it on the class path, {@code aitrace.otlp.endpoint} (or {@code OTEL_EXPORTER_OTLP_ENDPOINT})
 * also exports spans over OTLP.
 *
 * <pre>{@code
 * public final class MyTargetProvider implements TargetProvider {
 *     public String name() { return "my-sink"; }
 *     public Target open(TracerConfig config) { return config.otlpEndpoint() == null ? null : new MyTarget(...); }
 * }
 * }</pre>
 */
public interface TargetProvider {
    /** A short name for messages, e.g. {@code otlp}. */
    String name();

    /** The target this configuration asks for, or null when it asks for none. Called once per runtime. */
    Target open(TracerConfig config);
}
