package io.aitrace.spring.ai;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Tells Spring Boot's logging to expect correlation IDs, so its default console pattern shows
 * {@code [traceId-spanId]} of the current span (set by {@link LogbackCorrelation}) without a
 * {@code logback.xml}. The lowest layer: any {@code logging.*} setting of the application wins.
 */
public final class LogCorrelationDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!"false".equalsIgnoreCase(environment.getProperty("aitrace.logback.enabled"))
                && !environment.getPropertySources().contains("aitrace-log-correlation")) {
            environment.getPropertySources().addLast(new MapPropertySource("aitrace-log-correlation",
                    Map.of("logging.expect-correlation-id", "true")));
        }
    }
}
