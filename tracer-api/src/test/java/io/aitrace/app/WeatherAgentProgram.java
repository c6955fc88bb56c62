package io.aitrace.app;

import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Traced;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An application outside the {@code io.aitrace} package that makes every call of DESIGN.md's usage block and
 * prints what it got back, one line per call. Run in a child JVM by the tests.
 */
public final class WeatherAgentProgram {
    static final IOException SEARCH_FAILURE = new IOException("search backend down");
    static final IOException TOOL_FAILURE = new IOException("weather station offline");

    // Package-private, as an application's own interfaces often are.
    interface WeatherTools {
        @Traced
        String forecast(String city);

        @Traced("station_status")
        String stationStatus(String city) throws IOException;

        String units();
    }

    static final class StubWeatherTools implements WeatherTools {
        @Override
        public String forecast(String city) {
            return "rain in " + city;
        }

        @Override
        public String stationStatus(String city) throws IOException {
            throw TOOL_FAILURE;
        }

        @Override
        public String units() {
            return "metric";
        }
    }

    private WeatherAgentProgram() {
    }

    public static void main(String[] args) throws Exception {
        Tracer tracer = TracerFactory.getTracer(WeatherAgentProgram.class);

        Span failedAttempt;
        try (Span run = tracer.span("weather_agent", NodeType.AGENT)) {
            run.inheritableAttribute("gen_ai.conversation.id", "conv-42");
            try (Span step = tracer.span("classify_intent", NodeType.LLM)) {
                step.input("query", "What's the weather in Paris?");
                step.attribute("gen_ai.request.model", "gpt-4o");
                step.output("intent", "weather_lookup");
                step.annotate("High confidence, routing to weather tool");
            }
            String forecast = tracer.call("weather_api", NodeType.TOOL, () -> "sunny, 21C");
            System.out.println("call returned: " + forecast);
            tracer.run("render", NodeType.STEP, () -> System.out.println("run rendered: " + forecast));
            failedAttempt = run;
        }

        try {
            try (Span attempt = tracer.span("search", NodeType.TOOL)) {
                attempt.edge(EdgeType.RETRY_OF, failedAttempt);
                try {
                    search();
                } catch (IOException e) {
                    attempt.error(e);
                    throw e;
                }
            }
        } catch (IOException e) {
            System.out.println("span body exception propagated unchanged: " + (e == SEARCH_FAILURE));
        }

        try {
            tracer.call("weather_api", NodeType.TOOL, WeatherAgentProgram::search);
        } catch (IOException e) {
            System.out.println("call exception propagated unchanged: " + (e == SEARCH_FAILURE));
        }

        Span now = tracer.currentSpan();
        System.out.println("current span outside any span is recording: " + now.isRecording());
        tracer.flush();
        System.out.println("flushed");

        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(4));
        try {
            Future<String> task = pool.submit(() -> "forecast for Lyon");
            System.out.println("wrapped pool task returned: " + task.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdown();
        }
        System.out.println("wrapped pool terminated: " + pool.awaitTermination(30, TimeUnit.SECONDS));

        WeatherTools tools = Tracing.proxy(WeatherTools.class, new StubWeatherTools());
        System.out.println("proxy returned: " + tools.forecast("Paris"));
        System.out.println("proxy passed untraced call through: " + tools.units());
        try {
            tools.stationStatus("Paris");
        } catch (IOException e) {
            System.out.println("proxy exception propagated unchanged: " + (e == TOOL_FAILURE));
        }

        System.out.println("done");
    }

    private static String search() throws IOException {
        throw SEARCH_FAILURE;
    }
}
