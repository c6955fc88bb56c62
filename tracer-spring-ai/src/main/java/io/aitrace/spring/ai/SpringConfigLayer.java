package io.aitrace.spring.ai;

import io.aitrace.core.TracerConfig;
import java.util.List;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The {@code aitrace.*} keys of the Spring configuration ({@code application.properties} or {@code .yaml},
 * profiles, test properties, command line) as one more layer of {@link TracerConfig}, below the environment and
 * above {@code ~/.config/aitrace/config.properties}: system properties and {@code AITRACE_*} / {@code LOG_TRG} /
 * {@code OTEL_SERVICE_NAME} still win, as they win over {@code application.properties} in Spring. Each key is
 * read as TracerConfig spells it ({@code aitrace.service.name}) or in Spring's kebab case
 * ({@code aitrace.service-name}). The service name defaults to {@code spring.application.name}.
 */
final class SpringConfigLayer {

    private SpringConfigLayer() {
    }

    /** A builder reading the Spring layer; the caller may add code-level settings before {@code build()}. */
    static TracerConfig.Builder builder(Environment environment) {
        return TracerConfig.builder().layer(key -> lookup(environment, key));
    }

    static String lookup(Environment environment, String key) {
        String value = fromSpringConfig(environment, key);
        if (value == null && key.equals(TracerConfig.SERVICE_NAME)) {
            String appName = environment.getProperty("spring.application.name");
            value = appName == null || appName.isBlank() ? null : appName.trim();
        }
        return value;
    }

    /**
     * The value from the Spring configuration itself, leaving out the system properties and the environment,
     * which TracerConfig reads as its own, higher layers.
     */
    private static String fromSpringConfig(Environment environment, String key) {
        if (!key.startsWith("aitrace.")) {
            return null;
        }
        String kebab = "aitrace." + key.substring("aitrace.".length()).replace('.', '-');
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            String value = environment.getProperty(key, environment.getProperty(kebab));
            return value == null || value.isBlank() ? null : value.trim();
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            String name = source.getName();
            if (name.equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)
                    || name.equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                    || name.equals("configurationProperties")) { // Boot's view over all the others
                continue;
            }
            for (String candidate : List.of(key, kebab)) {
                Object value = source.getProperty(candidate);
                if (value != null && !String.valueOf(value).isBlank()) {
                    // Placeholders (${...}) resolve against the whole environment, as Spring would.
                    return environment.resolvePlaceholders(String.valueOf(value)).trim();
                }
            }
        }
        return null;
    }
}
