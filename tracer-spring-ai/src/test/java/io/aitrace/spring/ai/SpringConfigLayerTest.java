package io.aitrace.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.TracerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class SpringConfigLayerTest {
    @TempDir
    Path dir;

    private TracerConfig config(Map<String, Object> application, Properties system, Map<String, String> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new MapPropertySource("application.properties", application));
        return SpringConfigLayer.builder(environment).systemProperties(system).environment(env)
                .configFile(dir.resolve("none.properties")).build();
    }

    @Test
    void aitraceKeysOfTheApplicationPropertiesReachTheTracerConfig() {
        TracerConfig config = config(Map.of("aitrace.target", "-", "aitrace.service.name", "booking",
                "aitrace.sample.ratio", "0.25"), new Properties(), Map.of());

        assertThat(config.target()).isEqualTo("-");
        assertThat(config.serviceName()).isEqualTo("booking");
        assertThat(config.sampleRatio()).isEqualTo(0.25);
    }

    @Test
    void springsKebabCaseWorksToo() {
        TracerConfig config = config(Map.of("aitrace.service-name", "booking", "aitrace.sample-ratio", "50%",
                "aitrace.queue-capacity", "100"), new Properties(), Map.of());

        assertThat(config.serviceName()).isEqualTo("booking");
        assertThat(config.sampleRatio()).isEqualTo(0.5);
        assertThat(config.queueCapacity()).isEqualTo(100);
    }

    @Test
    void theServiceNameDefaultsToTheSpringApplicationName() {
        TracerConfig config = config(Map.of("spring.application.name", "weather-app"), new Properties(), Map.of());

        assertThat(config.serviceName()).isEqualTo("weather-app");
    }

    @Test
    void placeholdersResolveAgainstTheWholeEnvironment() {
        TracerConfig config = config(Map.of("aitrace.target", "${app.dir}/traces.jsonl", "app.dir", "/srv/app"),
                new Properties(), Map.of());

        assertThat(config.target()).isEqualTo("/srv/app/traces.jsonl");
    }

    @Test
    void systemPropertiesAndTheEnvironmentStillWinOverTheApplicationProperties() {
        Properties system = new Properties();
        system.setProperty("aitrace.target", "from-system.jsonl");
        Map<String, String> env = new HashMap<>();
        env.put("OTEL_SERVICE_NAME", "from-env");
        env.put("AITRACE_SAMPLE_RATIO", "0.1");

        TracerConfig config = config(Map.of("aitrace.target", "from-app.jsonl", "aitrace.service.name", "from-app",
                "spring.application.name", "app-name", "aitrace.sample.ratio", "0.9"), system, env);

        assertThat(config.target()).isEqualTo("from-system.jsonl");
        assertThat(config.serviceName()).isEqualTo("from-env");
        assertThat(config.sampleRatio()).isEqualTo(0.1);
    }

    @Test
    void logTrgInTheEnvironmentWinsOverTheApplicationsTarget() {
        TracerConfig config = config(Map.of("aitrace.target", "from-app.jsonl"), new Properties(),
                Map.of("LOG_TRG", "-"));

        assertThat(config.target()).isEqualTo("-");
    }
}
