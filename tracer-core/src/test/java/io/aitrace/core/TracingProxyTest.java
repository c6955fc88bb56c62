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
import java.io.IOException;
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

    static final class Planner implements TripPlanner {
        final IOException outage = new IOException("hotel search down");
        boolean down;

        @Override
        public String forecast(String city) {
            return "sunny";
        }

        @Override
        public String hotels(String city) throws IOException {
            if (down) {
                throw outage;
            }
            return "3 hotels";
        }

        @Override
        public String toString() {
            return "Planner";
        }
    }

    @Test
    void aDefaultMethodRunsOnTheProxySoTheTracedMethodsItCallsBecomeItsChildren() throws Exception {
        TripPlanner planner = Tracing.proxy(TripPlanner.class, new Planner());
        assertThat(planner.plan("Paris")).isEqualTo("sunny; 3 hotels");
        runtime.flush();
        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans).containsOnlyKeys("plan", "forecast", "find_hotels");
        assertThat(spans.get("plan").path("node_type").asText()).isEqualTo("agent");
        assertThat(spans.get("forecast").path("node_type").asText()).isEqualTo("tool");
        assertThat(spans.get("find_hotels").path("node_type").asText()).isEqualTo("retrieval");
        assertThat(SpanTreeTest.parentName(spans, "forecast")).isEqualTo("plan");
        assertThat(SpanTreeTest.parentName(spans, "find_hotels")).isEqualTo("plan");
        assertThat(spans.get("plan").path("output").asText()).isEqualTo("sunny; 3 hotels");
    }

    @Test
    void aCheckedExceptionIsRethrownAsTheSameObjectAndRecordedWithItsType() {
        Planner impl = new Planner();
        impl.down = true;
        TripPlanner planner = Tracing.proxy(TripPlanner.class, impl);
        assertThatThrownBy(() -> planner.hotels("Paris")).isSameAs(impl.outage);
        runtime.flush();
        JsonNode failed = target.endedSpans().get("find_hotels");
        assertThat(failed.path("status").asText()).isEqualTo("error");
        assertThat(failed.path("error").path("type").asText()).isEqualTo("java.io.IOException");
        assertThat(failed.path("error").path("message").asText()).isEqualTo("hotel search down");
    }

    @Test
    void objectMethodsPassThroughUntraced() {
        Planner impl = new Planner();
        TripPlanner planner = Tracing.proxy(TripPlanner.class, impl);
        TripPlanner other = Tracing.proxy(TripPlanner.class, impl);
        assertThat(planner.toString()).isEqualTo("Planner");
        assertThat(planner.hashCode()).isEqualTo(impl.hashCode());
        assertThat(planner.equals(planner)).isTrue();
        assertThat(planner.equals(other)).isFalse();
        runtime.flush();
        assertThat(target.lines()).isEmpty();
    }
}
