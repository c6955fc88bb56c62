package io.aitrace.examples;

import io.aitrace.genai.GenAi;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 8, tools through {@link Tracing#proxy}: the agent calls its {@link TravelTools} through a proxy, and
 * each {@link io.aitrace.Traced} method becomes a span (node type and name from the annotation, the arguments by
 * parameter name as input, the return value as output) with no tracing code in the tools. A traced default
 * method runs on the proxy, so the traced calls it makes are its children. A tool that throws gives a failed span
 * and the exception reaches the agent unchanged; an unannotated method is not traced. On
 * JDK 25 {@code StructuredConcurrency} runs the same tools in {@code StructuredTaskScope} forks.
 */
public final class ProxiedTools {
    private static final Tracer tracer = TracerFactory.getTracer(ProxiedTools.class);
    private static final Logger log = LoggerFactory.getLogger(ProxiedTools.class);

    private final TravelTools tools = Tracing.proxy(TravelTools.class, new TravelTools.Scripted());

    public String plan(String city, String passport) {
        try (Span agent = tracer.span("trip_planner", NodeType.AGENT)) {
            GenAi.agent(agent, "trip_planner").input(Map.of("city", city, "passport", passport));
            log.info("planning with {}", tools.describe());
            String brief = tools.brief(city);
            String visa;
            try {
                visa = tools.visaRequirements(passport, "FR");
            } catch (IllegalArgumentException e) {
                log.warn("visa check failed: {}", e.getMessage());
                agent.annotate("visa rules unknown: telling the user to check with the consulate");
                visa = "check with the consulate";
            }
            String plan = brief + "; visa: " + visa;
            agent.output("plan", plan);
            return plan;
        }
    }

    public static void main(String[] args) {
        System.out.println(new ProxiedTools().plan("Nice", args.length > 0 ? args[0] : "BR"));
        RunExamples.sayWhereRecordsWent();
    }
}
