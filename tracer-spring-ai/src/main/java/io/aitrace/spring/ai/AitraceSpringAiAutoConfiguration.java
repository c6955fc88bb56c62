package io.aitrace.spring.ai;

import ch.qos.logback.classic.LoggerContext;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot auto-configuration: aitrace spans, with prompts, completions and tool calls, from Spring AI's
 * observations. Adding {@code io.aitrace:tracer-spring-ai} is all an application does; {@code aitrace.*} keys in
 * {@code application.properties} configure it (see docs/spring-ai.md).
 *
 * <ul>
 * <li>the aitrace runtime, as a bean and as the global runtime of {@code TracerFactory}, configured from
 * {@code aitrace.*} and closed (records flushed) with the application context;</li>
 * <li>an {@link ObservationRegistry} when the application has none (Spring Boot makes one only with its
 * observation module, e.g. through the actuator starter);</li>
 * <li>the observation handler: {@link AitraceObservationHandler}, or {@link AitraceTracingObservationHandler}
 * when Micrometer Tracing is on, so that each Spring AI operation is one span nested in Spring's trace;</li>
 * <li>with Logback: the span IDs in Boot's correlation pattern, and log lines as records under their span.</li>
 * </ul>
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration" })
@ConditionalOnClass(name = { "io.micrometer.observation.ObservationRegistry",
        "org.springframework.ai.model.observation.ModelObservationContext" })
@ConditionalOnProperty(name = "aitrace.spring-ai.enabled", havingValue = "true", matchIfMissing = true)
public class AitraceSpringAiAutoConfiguration {
    /** {@code aitrace.spring-ai.capture-content}: prompts, completions, tool arguments and results (default true). */
    public static final String CAPTURE_CONTENT = "aitrace.spring-ai.capture-content";
    static final String TRACER_NAME = "io.aitrace.spring.ai";

    /**
     * The aitrace runtime, installed as the global one so that the application's own spans
     * ({@code TracerFactory.getTracer(..)}) and log records go to the same place. When Spring's tracing has an
     * OpenTelemetry SDK, aitrace makes its spans there, so Spring's exporters see them too.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public TracerRuntime aitraceRuntime(Environment environment, ObjectProvider<OpenTelemetry> openTelemetry) {
        TracerConfig.Builder config = SpringConfigLayer.builder(environment);
        OpenTelemetry otel = openTelemetry.getIfUnique();
        if (otel != null) {
            config.openTelemetry(otel);
        }
        return TracerRuntime.install(config.build());
    }

    @Bean
    @ConditionalOnMissingBean
    public ObservationRegistry observationRegistry() {
        return ObservationRegistry.create();
    }

    @Bean
    @ConditionalOnMissingBean(type = "io.micrometer.tracing.Tracer")
    public AitraceObservationHandler aitraceObservationHandler(TracerRuntime runtime, Environment environment) {
        return new AitraceObservationHandler(spans(runtime, environment));
    }

    static ObservationSpans spans(TracerRuntime runtime, Environment environment) {
        boolean content = environment.getProperty(CAPTURE_CONTENT, Boolean.class, true);
        return new ObservationSpans(runtime.tracer(TRACER_NAME), mappings(), content);
    }

    /** One mapping per observation context whose class is on the class path. */
    static List<SpanMapping<?>> mappings() {
        ClassLoader loader = AitraceSpringAiAutoConfiguration.class.getClassLoader();
        List<SpanMapping<?>> mappings = new ArrayList<>();
        if (ClassUtils.isPresent("org.springframework.ai.chat.client.observation.ChatClientObservationContext", loader)) {
            mappings.add(new ChatClientSpans());
            mappings.add(new AdvisorSpans());
        }
        mappings.add(new ChatModelSpans());
        mappings.add(new ToolCallingSpans());
        mappings.add(new EmbeddingModelSpans());
        if (ClassUtils.isPresent("org.springframework.ai.vectorstore.observation.VectorStoreObservationContext", loader)) {
            mappings.add(new VectorStoreSpans());
        }
        return mappings;
    }

    /** With Micrometer Tracing: the handler joins the tracing group, ahead of Spring's default handler. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.tracing.handler.TracingObservationHandler")
    @ConditionalOnBean(type = "io.micrometer.tracing.Tracer")
    static class TracingHandlerConfiguration {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        AitraceTracingObservationHandler aitraceTracingObservationHandler(TracerRuntime runtime,
                Environment environment, Tracer tracer) {
            return new AitraceTracingObservationHandler(spans(runtime, environment), tracer);
        }
    }

    /**
     * With Spring's OpenTelemetry SDK: its spans (the HTTP server span above all) become aitrace nodes too, so one
     * request is one tree in aitrace. Spring Boot adds SpanProcessor beans to its tracer provider. The processor
     * records into the global runtime, so the SDK does not wait on this configuration's runtime bean (which
     * itself waits on the SDK).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "io.opentelemetry.sdk.trace.SpanProcessor", SPAN_PROCESSOR })
    @ConditionalOnBean(type = "io.micrometer.tracing.Tracer")
    static class SpringSpansConfiguration {
        @Bean
        @ConditionalOnMissingBean(type = SPAN_PROCESSOR)
        io.opentelemetry.sdk.trace.SpanProcessor aitraceSpanProcessor() throws ReflectiveOperationException {
            return (io.opentelemetry.sdk.trace.SpanProcessor) Class.forName(SPAN_PROCESSOR).getMethod("create")
                    .invoke(null);
        }
    }

    /** tracer-core's recorder of other instrumentation's spans (named, not linked, while tracer-core gains it). */
    static final String SPAN_PROCESSOR = "io.aitrace.core.AitraceSpanProcessor";

    /** Without Spring Boot's observation module nobody applies handler beans to the registry: this does. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
    static class HandlerRegistration {
        @Bean
        static BeanPostProcessor aitraceObservationHandlerRegistration(
                ObjectProvider<AitraceObservationHandler> handlers) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                    if (bean instanceof ObservationRegistry registry) {
                        handlers.orderedStream().forEach(h -> registry.observationConfig().observationHandler(h));
                    }
                    return bean;
                }
            };
        }
    }

    /** Logback (Spring Boot's default): IDs in the console pattern, log lines under their span. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "ch.qos.logback.classic.LoggerContext", "io.aitrace.logback.TraceAppender" })
    @ConditionalOnProperty(name = "aitrace.logback.enabled", havingValue = "true", matchIfMissing = true)
    static class LogbackConfiguration {
        @Bean
        LogbackCorrelation aitraceLogbackCorrelation(TracerRuntime runtime, Environment environment) {
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            return new LogbackCorrelation(factory instanceof LoggerContext context ? context : null,
                    environment.getProperty("aitrace.logback.records", Boolean.class, true));
        }
    }
}
