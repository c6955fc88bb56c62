package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Traced;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingProxyTest {
    private final MemoryTarget target = new MemoryTarget();
    private final TracerRuntime runtime = TracerRuntime.install(MemoryTarget.config(target).build());

    interface WeatherTools {
        @Traced
        String forecast(String city, int days);

        @Traced(value = "lookup_city", type = "retrieval")
        String city(String code);

        String untraced();
    }

    static final class Impl implements WeatherTools {
        @Override
        public String forecast(String city, int days) {
            if (city.isEmpty()) {
                throw new IllegalArgumentException("no city");
            }
            return "sunny in " + city + " for " + days + " days";
        }

        @Override
        public String city(String code) {
            return "Paris";
        }

        @Override
        public String untraced() {
            return "plain";
        }
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void tracerFactoryFindsTheCoreProviderAndWritesThroughTheInstalledRuntime() {
        Tracer tracer = TracerFactory.getTracer(TracingProxyTest.class);
        try (Span span = tracer.span("via_factory", NodeType.AGENT)) {
            span.annotate("bound");
        }
        runtime.flush();
        assertThat(target.endedSpans()).containsKey("via_factory");
    }

    @Test
    void tracedMethodsBecomeSpansWithArgumentsAsInputAndTheReturnValueAsOutput() {
        WeatherTools tools = Tracing.proxy(WeatherTools.class, new Impl());
        Tracer tracer = TracerFactory.getTracer("agent");
        try (Span agent = tracer.span("agent", NodeType.AGENT)) {
            assertThat(tools.forecast("Paris", 3)).isEqualTo("sunny in Paris for 3 days");
            assertThat(tools.city("CDG")).isEqualTo("Paris");
            assertThat(tools.untraced()).isEqualTo("plain");
            assertThatThrownBy(() -> tools.forecast("", 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no city");
        }
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans).containsOnlyKeys("agent", "forecast", "lookup_city");
        JsonNode lookup = spans.get("lookup_city");
        assertThat(lookup.path("node_type").asText()).isEqualTo("retrieval");
        assertThat(lookup.path("output").asText()).isEqualTo("Paris");
        assertThat(lookup.path("input").size()).isEqualTo(1);
        assertThat(SpanTreeTest.parentName(spans, "lookup_city")).isEqualTo("agent");
        JsonNode failed = spans.get("forecast");
        assertThat(failed.path("node_type").asText()).isEqualTo("tool");
        assertThat(failed.path("status").asText()).isEqualTo("error");
        assertThat(failed.path("input").size()).isEqualTo(2);
        assertThat(target.records(r -> r.path("name").asText().equals("forecast") && r.path("status").asText().equals("ok")))
                .first().satisfies(ok -> assertThat(ok.path("output").asText()).isEqualTo("sunny in Paris for 3 days"));
    }
}
