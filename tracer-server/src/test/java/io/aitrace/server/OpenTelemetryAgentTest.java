package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.core.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The documented setup beside the OpenTelemetry Java agent (docs/opentelemetry.md), with the real agent jar in a
 * child JVM: the agent exports OTLP to the collector, aitrace sends its records to the same collector, and
 * the collector holds one trace with aitrace's spans and the agent's, nested.
 */
class OpenTelemetryAgentTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static Process startApplication(Path output) throws Exception {
        String agent = System.getProperty("opentelemetry.javaagent.jar");
        assertThat(Path.of(agent)).as("the agent jar, copied by maven-dependency-plugin").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent,
                "-Dotel.service.name=weather-agent",
                "-Dotel.exporter.otlp.endpoint=" + server.url(),
                "-Dotel.exporter.otlp.protocol=http/protobuf",
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Daitrace.target=" + server.url(),
                "-Daitrace.spill.dir=" + server.dir().resolve("spill"),
                "-cp", System.getProperty("java.class.path"),
                AgentApplication.class.getName()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static JsonNode span(JsonNode spans, String name) {
        return StreamSupport.stream(spans.spliterator(), false).filter(s -> s.path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    @Test
    void aitraceSpansAndTheAgentsSpansFormOneTraceInTheCollector() throws Exception {
        Path output = server.dir().resolve("application.log");
        Process application = startApplication(output);
        boolean exited = application.waitFor(3, TimeUnit.MINUTES);
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(exited).as("the application ended; its output:%n%s", log).isTrue();
        assertThat(application.exitValue()).as(log).isZero();
        assertThat(log).contains("done").doesNotContain("aitrace: ");

        // The agent exports on shutdown; its batch and aitrace's may arrive in either order.
        Await.until(() -> {
            JsonNode traces = server.api().get("/api/traces").json().path("traces");
            return traces.size() == 1 && server.api().get("/api/trace/" + traces.get(0).path("trace_id").asText())
                    .json().path("spans").size() >= 5;
        });
        JsonNode traces = server.api().get("/api/traces").json().path("traces");
        assertThat(traces).as("one trace; none for aitrace's own requests to the collector").hasSize(1);
        assertThat(traces.get(0).path("root_name").asText()).isEqualTo("weather_agent");
        JsonNode spans = server.api().get("/api/trace/" + traces.get(0).path("trace_id").asText()).json().path("spans");

        JsonNode agent = span(spans, "weather_agent");
        JsonNode tool = span(spans, "forecast");
        JsonNode client = span(spans, "GET");
        JsonNode weatherServer = span(spans, "GET /forecast");
        assertThat(agent.path("parent_span_id").isNull()).isTrue();
        assertThat(agent.path("input").path("query").asText()).isEqualTo("Weather in Paris?");
        assertThat(tool.path("node_type").asText()).isEqualTo("tool");
        assertThat(tool.path("parent_span_id").asText()).isEqualTo(agent.path("span_id").asText());
        assertThat(tool.path("output").asText()).contains("sunny");
        assertThat(client.path("span_kind").asText()).isEqualTo("CLIENT");
        assertThat(client.path("parent_span_id").asText()).isEqualTo(tool.path("span_id").asText());
        assertThat(client.path("attributes").path("http.request.method").asText()).isEqualTo("GET");
        assertThat(weatherServer.path("span_kind").asText()).isEqualTo("SERVER");
        assertThat(weatherServer.path("parent_span_id").asText()).isEqualTo(client.path("span_id").asText());
        JsonNode lookup = span(spans, "lookup_sky");
        assertThat(lookup.path("node_type").asText()).isEqualTo("retrieval");
        assertThat(lookup.path("parent_span_id").asText()).isEqualTo(weatherServer.path("span_id").asText());
        assertThat(spans).extracting(s -> s.path("name").asText())
                .containsExactlyInAnyOrder("weather_agent", "forecast", "GET", "GET /forecast", "lookup_sky");
    }
}
