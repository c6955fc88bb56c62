package io.aitrace.server;

import com.sun.net.httpserver.HttpServer;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * An agent application as a user writes it, run by {@link OpenTelemetryAgentTest} in a JVM of its own with the
 * OpenTelemetry Java agent: an aitrace AGENT span, and inside it a TOOL span whose tool is an HTTP call (JDK
 * HttpClient, which the agent instruments) to a weather service in the same process (JDK HttpServer, which the
 * agent instruments too) that makes an aitrace span of its own while it answers.
 */
public final class AgentApplication {
    private static final Tracer TRACER = TracerFactory.getTracer(AgentApplication.class);

    private AgentApplication() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer weather = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        weather.createContext("/forecast", exchange -> {
            // A span of the service's own, under the agent's server span for this request.
            String sky = TRACER.call("lookup_sky", NodeType.RETRIEVAL, () -> "sunny");
            byte[] body = ("{\"city\":\"Paris\",\"sky\":\"" + sky + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        weather.start();
        HttpClient http = HttpClient.newHttpClient();
        try (Span run = TRACER.span("weather_agent", NodeType.AGENT)) {
            run.input("query", "Weather in Paris?");
            String forecast = TRACER.call("forecast", NodeType.TOOL, () -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + weather.getAddress().getPort() + "/forecast?city=Paris")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            run.output("answer", forecast);
        }
        TRACER.flush();
        weather.stop(0);
        System.out.println("done");
    }
}
