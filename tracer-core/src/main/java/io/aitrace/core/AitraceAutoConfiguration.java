package io.aitrace.core;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Registers {@link AitraceSpanProcessor} on every SDK that OpenTelemetry's autoconfigure builds
 * ({@code AutoConfiguredOpenTelemetrySdk}, the OpenTelemetry Spring Boot starter), found through
 * {@code META-INF/services}: with tracer-core on the class path, spans of the application's instrumentation
 * become aitrace nodes without a line of code. {@code aitrace.otel.span-processor=false} (a system property or
 * {@code AITRACE_OTEL_SPAN_PROCESSOR=false}) turns it off.
 */
public final class AitraceAutoConfiguration implements AutoConfigurationCustomizerProvider {
    static final String ENABLED = "aitrace.otel.span-processor";

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addTracerProviderCustomizer((builder, config) ->
                config.getBoolean(ENABLED, true) ? builder.addSpanProcessor(AitraceSpanProcessor.create()) : builder);
    }
}
