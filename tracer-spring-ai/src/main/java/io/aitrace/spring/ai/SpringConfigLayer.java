package io.aitrace.spring.ai;

import io.aitrace.core.TracerConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The {@code aitrace.*} keys of the Spring configuration ({@code application.properties} or {@code .yaml},
 * profiles, test properties, command line) as one more layer of {@link TracerConfig}, between the environment
 * and {@code ~/.config/aitrace/config.properties}: system properties and {@code AITRACE_*} / {@code LOG_TRG} /
 * {@code OTEL_SERVICE_NAME} still win, as they win over {@code application.properties} in Spring. Each key is
 * read as TracerConfig spells it ({@code aitrace.service.name}) or in Spring's kebab case
 * ({@code aitrace.service-name}). The service name defaults to {@code spring.application.name}.
 */
final class SpringConfigLayer {
    static final List<String> KEYS = List.of(TracerConfig.TARGET, TracerConfig.SERVICE_NAME,
            TracerConfig.QUEUE_CAPACITY, TracerConfig.FLUSH_INTERVAL, TracerConfig.FLUSH_TIMEOUT,
            TracerConfig.MAX_STRING_LENGTH, TracerConfig.MASK_KEYS, TracerConfig.SPILL_DIR, TracerConfig.TOKEN,
            TracerConfig.ENABLED, TracerConfig.SAMPLE_RATIO, TracerConfig.OTLP_ENDPOINT);

    private SpringConfigLayer() {
    }

    /** A builder reading the Spring layer; the caller may add code-level settings before {@code build()}. */
    static TracerConfig.Builder builder(Environment environment) {
        return builder(environment, System.getProperties(), System.getenv());
    }

    static TracerConfig.Builder builder(Environment environment, Properties system, Map<String, String> env) {
        Properties layered = new Properties();
        for (String key : KEYS) {
            String value = fromSpringConfig(environment, key);
            if (value != null && !setByEnvironment(key, env)) {
                layered.setProperty(key, value);
            }
        }
        String appName = environment.getProperty("spring.application.name");
        if (!layered.containsKey(TracerConfig.SERVICE_NAME) && !setByEnvironment(TracerConfig.SERVICE_NAME, env)
                && appName != null && !appName.isBlank()) {
            layered.setProperty(TracerConfig.SERVICE_NAME, appName.trim());
        }
        // TracerConfig reads this in place of the system properties: the real ones go on top, so they still win.
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("aitrace.") && !system.getProperty(name).isBlank()) {
                layered.setProperty(name, system.getProperty(name));
            }
        }
        return TracerConfig.builder().systemProperties(layered).environment(env);
    }

    /** The value from the Spring configuration itself, leaving out the system properties and environment. */
    private static String fromSpringConfig(Environment environment, String key) {
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

    private static boolean setByEnvironment(String key, Map<String, String> env) {
        if (isSet(env.get(key.toUpperCase(Locale.ROOT).replace('.', '_')))) {
            return true;
        }
        return key.equals(TracerConfig.TARGET) && isSet(env.get("LOG_TRG"))
                || key.equals(TracerConfig.SERVICE_NAME) && isSet(env.get("OTEL_SERVICE_NAME"));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
