package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceNamesTest {
    @Test
    void aJarGivesItsFileNameWithoutTheExtension() {
        assertThat(ServiceNames.fromCommand("/opt/agents/weather-agent.jar --city Paris")).isEqualTo("weather-agent");
    }

    @Test
    void aMainClassGivesItsSimpleName() {
        assertThat(ServiceNames.fromCommand("com.acme.agents.WeatherAgent --city Paris")).isEqualTo("WeatherAgent");
        assertThat(ServiceNames.fromCommand("com.acme/com.acme.agents.WeatherAgent")).isEqualTo("WeatherAgent");
    }

    @Test
    void anUnknownCommandGivesOpenTelemetrysUnknownService() {
        assertThat(ServiceNames.fromCommand(null)).isEqualTo("unknown_service:java");
        assertThat(ServiceNames.fromCommand("  ")).isEqualTo("unknown_service:java");
    }
}
