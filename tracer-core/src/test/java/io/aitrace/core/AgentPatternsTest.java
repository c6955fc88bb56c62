package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.target.MemoryTraces;
import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.EdgeType;
import io.aitrace.genai.GenAi;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import io.aitrace.Tracing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The four agent patterns of the logtracer seed, asserted on the records written and on the graph read back
 * from them by the in-memory target.
 */
class AgentPatternsTest {
    private final MemoryTarget target = new MemoryTarget();
    private final MemoryTraces traces = new MemoryTraces();
    private final TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(target).addTarget(traces).build());
    private final Tracer tracer = runtime.tracer("AgentPatternsTest");

    @AfterEach
    void close() {
        runtime.close();
    }

    private TraceGraph onlyTrace() {
        runtime.flush();
        assertThat(traces.traces()).hasSize(1);
        return traces.traces().get(0);
    }

    private static Node named(TraceGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void sequentialToolCallingNestsClassifyToolAndSynthesizeWithTheirValuesAndAnnotations() {
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            agent.input("query", "What's the weather in Paris?");
            try (Span classify = tracer.span("classify_intent", NodeType.LLM)) {
                GenAi.chat(classify, "openai", "gpt-4o");
                classify.input("messages", List.of(Map.of("role", "user", "content", "What's the weather in Paris?")));
                classify.output("intent", "weather_lookup").output("confidence", 0.97);
                classify.annotate("High confidence, routing to weather tool");
            }
            String forecast = tracer.call("weather_api", NodeType.TOOL, () -> {
                tracer.currentSpan().input(Map.of("city", "Paris", "days", 2));
                return "sunny, 24°C";
            });
            try (Span synthesize = tracer.span("synthesize", NodeType.LLM)) {
                synthesize.input("forecast", forecast);
                synthesize.output("answer", "It is sunny and 24°C in Paris.");
            }
            agent.output("answer", "It is sunny and 24°C in Paris.");
        }
        runtime.flush();

        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans.keySet()).containsExactly("classify_intent", "weather_api", "synthesize", "weather_agent");
        assertThat(spans.get("classify_intent").path("annotations").get(0).path("text").asText())
                .isEqualTo("High confidence, routing to weather tool");
        assertThat(spans.get("weather_api").path("input").toString()).contains("\"city\":\"Paris\"");
        assertThat(spans.get("weather_api").path("output").asText()).isEqualTo("sunny, 24°C");

        TraceGraph graph = onlyTrace();
        Node root = graph.roots().get(0);
        assertThat(root.name()).isEqualTo("weather_agent");
        assertThat(root.children()).extracting(Node::name)
                .containsExactly("classify_intent", "weather_api", "synthesize");
        assertThat(root.children()).allSatisfy(child -> {
            assertThat(child.isConcurrent()).isFalse();
            assertThat(child.lane()).isZero();
        });
        Node classify = named(graph, "classify_intent");
        assertThat(classify.input()).isEqualTo(Map.of("messages",
                List.of(Map.of("role", "user", "content", "What's the weather in Paris?"))));
        assertThat(classify.output()).isEqualTo(Map.of("intent", "weather_lookup", "confidence", 0.97));
        assertThat(classify.annotations()).singleElement()
                .satisfies(a -> assertThat(a.text()).isEqualTo("High confidence, routing to weather tool"));
        assertThat(classify.annotations().get(0).timestamp()).isBetween(classify.start(), classify.end());
        assertThat(classify.attribute(GenAi.REQUEST_MODEL)).isEqualTo("gpt-4o");
        assertThat(named(graph, "weather_api").input()).isEqualTo(Map.of("city", "Paris", "days", 2));
        assertThat(root.output()).isEqualTo(Map.of("answer", "It is sunny and 24°C in Paris."));
        assertThat(graph.nodes()).allSatisfy(n -> assertThat(n.status()).isEqualTo("ok"));
    }

    @Test
    void parallelFanOutOnAWrappedExecutorGivesThreeOverlappingSiblingsInThreeLanes() throws Exception {
        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(3));
        // Each branch waits inside its span until all three are open: they overlap by construction.
        CyclicBarrier allOpen = new CyclicBarrier(3);
        try (Span agent = tracer.span("research_agent", NodeType.AGENT)) {
            List<CompletableFuture<String>> branches = new ArrayList<>();
            for (String source : List.of("news", "papers", "forums")) {
                branches.add(CompletableFuture.supplyAsync(() -> tracer.call("search_" + source, NodeType.TOOL,
                        () -> {
                            awaitAll(allOpen);
                            return source + " results";
                        }), pool));
            }
            CompletableFuture.allOf(branches.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            tracer.run("merge", NodeType.STEP, () -> { });
        } finally {
            pool.shutdown();
        }
        runtime.flush();

        Map<String, JsonNode> spans = target.endedSpans();
        Set<String> threads = new TreeSet<>();
        for (String source : List.of("news", "papers", "forums")) {
            JsonNode branch = spans.get("search_" + source);
            assertThat(SpanTreeTest.parentName(spans, "search_" + source)).isEqualTo("research_agent");
            assertThat(branch.path("output").asText()).isEqualTo(source + " results");
            threads.add(branch.path("thread").asText());
        }
        assertThat(threads).hasSize(3).doesNotContain(spans.get("research_agent").path("thread").asText());

        TraceGraph graph = onlyTrace();
        Node root = graph.roots().get(0);
        List<Node> searches = root.children().stream().filter(n -> n.name().startsWith("search_")).toList();
        assertThat(searches).hasSize(3).allSatisfy(n -> assertThat(n.isConcurrent()).isTrue());
        assertThat(searches).extracting(Node::lane).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(TraceGraph.laneCount(root.children())).isEqualTo(3);
        Node merge = named(graph, "merge");
        assertThat(merge.isConcurrent()).isFalse();
        assertThat(merge.lane()).isZero();
    }

    private static void awaitAll(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the branches did not all start", e);
        }
    }

    @Test
    void retryThenFallbackLinksTheAttemptsAndRecordsEachError() {
        try (Span agent = tracer.span("search_agent", NodeType.AGENT)) {
            Span first = tracer.span("web_search", NodeType.TOOL);
            try (first) {
                try {
                    throw new IOException("rate limited (429)");
                } catch (IOException e) {
                    first.error(e);
                }
            }
            Span retry = tracer.span("web_search", NodeType.TOOL);
            try (retry) {
                retry.edge(EdgeType.RETRY_OF, first).annotate("retrying after 429");
                try {
                    throw new IllegalStateException("still rate limited");
                } catch (IllegalStateException e) {
                    retry.error(e);
                }
            }
            try (Span fallback = tracer.span("cached_search", NodeType.RETRIEVAL)) {
                fallback.edge(EdgeType.FALLBACK_OF, retry).output("results", List.of("cached result"));
            }
        }
        runtime.flush();

        List<JsonNode> ended = target.records(r -> "span".equals(r.path("type").asText()) && !r.path("end").isNull());
        assertThat(ended).extracting(r -> r.path("name").asText() + ":" + r.path("status").asText())
                .containsExactly("web_search:error", "web_search:error", "cached_search:ok", "search_agent:ok");
        assertThat(ended.get(0).path("error").path("type").asText()).isEqualTo("java.io.IOException");
        assertThat(ended.get(0).path("error").path("message").asText()).isEqualTo("rate limited (429)");
        assertThat(ended.get(1).path("edges").get(0).path("type").asText()).isEqualTo("retry_of");
        assertThat(ended.get(1).path("edges").get(0).path("span_id").asText())
                .isEqualTo(ended.get(0).path("span_id").asText());

        TraceGraph graph = onlyTrace();
        List<Node> attempts = graph.roots().get(0).children();
        assertThat(attempts).extracting(Node::name).containsExactly("web_search", "web_search", "cached_search");
        assertThat(attempts).extracting(Node::status).containsExactly("error", "error", "ok");
        assertThat(attempts.get(0).error()).containsEntry("type", "java.io.IOException")
                .containsEntry("message", "rate limited (429)");
        assertThat(attempts.get(1).error()).containsEntry("type", "java.lang.IllegalStateException")
                .containsEntry("message", "still rate limited");
        assertThat(attempts.get(1).edges()).singleElement().satisfies(edge -> {
            assertThat(edge.type()).isEqualTo(EdgeType.RETRY_OF);
            assertThat(edge.toSpanId()).isEqualTo(attempts.get(0).spanId());
        });
        assertThat(attempts.get(2).edges()).singleElement().satisfies(edge -> {
            assertThat(edge.type()).isEqualTo(EdgeType.FALLBACK_OF);
            assertThat(edge.toSpanId()).isEqualTo(attempts.get(1).spanId());
        });
        assertThat(graph.roots().get(0).status()).isEqualTo("ok");
    }

    @Test
    void multiAgentHandoffCarriesTheConversationIdFiveLevelsDeepOnThreeThreads() throws Exception {
        ExecutorService specialists = Tracing.wrap(Executors.newSingleThreadExecutor());
        ExecutorService tools = Tracing.wrap(Executors.newSingleThreadExecutor());
        try (Span router = tracer.span("router", NodeType.AGENT)) {
            GenAi.conversation(router, "conv-7f3a");
            GenAi.agent(router, "router");
            String answer = specialists.submit(() -> tracer.call("travel_agent", NodeType.AGENT, () -> {
                GenAi.agent(tracer.currentSpan(), "travel");
                return tracer.call("plan_trip", NodeType.DECISION, () ->
                        tools.submit(() -> tracer.call("book_hotel", NodeType.TOOL, () ->
                                tracer.call("hotel_api", NodeType.TOOL, () -> "booked")))
                                .get(10, TimeUnit.SECONDS));
            })).get(10, TimeUnit.SECONDS);
            router.output("answer", answer);
        } finally {
            specialists.shutdown();
            tools.shutdown();
        }
        runtime.flush();

        Map<String, JsonNode> spans = target.endedSpans();
        assertThat(spans.keySet()).containsExactlyInAnyOrder("router", "travel_agent", "plan_trip", "book_hotel",
                "hotel_api");
        assertThat(spans.values()).allSatisfy(span -> assertThat(
                span.path("attributes").path(GenAi.CONVERSATION_ID).asText()).isEqualTo("conv-7f3a"));
        assertThat(spans.values().stream().map(s -> s.path("thread").asText()).collect(Collectors.toSet()))
                .hasSize(3);

        TraceGraph graph = traces.byAttribute(GenAi.CONVERSATION_ID, "conv-7f3a").get(0);
        assertThat(graph.nodes()).hasSize(5)
                .allSatisfy(n -> assertThat(n.attribute(GenAi.CONVERSATION_ID)).isEqualTo("conv-7f3a"));
        List<String> chain = new ArrayList<>();
        for (Node n = graph.roots().get(0); n != null; n = n.children().isEmpty() ? null : n.children().get(0)) {
            chain.add(n.depth() + ":" + n.name());
        }
        assertThat(chain).containsExactly("0:router", "1:travel_agent", "2:plan_trip", "3:book_hotel", "4:hotel_api");
        assertThat(named(graph, "travel_agent").attribute(GenAi.AGENT_NAME)).isEqualTo("travel");
        assertThat(named(graph, "router").output()).isEqualTo(Map.of("answer", "booked"));
        assertThat(traces.byAttribute(GenAi.CONVERSATION_ID, "another")).isEmpty();
    }

    @Test
    void aDescendantOverridesAnInheritableAttributeForItsOwnSubtreeOnly() throws Exception {
        ExecutorService pool = Tracing.wrap(Executors.newSingleThreadExecutor());
        try (Span root = tracer.span("root", NodeType.AGENT)) {
            root.inheritableAttribute("tenant", "acme");
            pool.submit(() -> tracer.run("sub_agent", NodeType.AGENT, () -> {
                tracer.currentSpan().inheritableAttribute("tenant", "globex");
                tracer.run("sub_step", NodeType.STEP, () -> { });
            })).get(10, TimeUnit.SECONDS);
            tracer.run("sibling", NodeType.STEP, () -> { });
        } finally {
            pool.shutdown();
        }
        TraceGraph graph = onlyTrace();
        assertThat(named(graph, "root").attribute("tenant")).isEqualTo("acme");
        assertThat(named(graph, "sub_agent").attribute("tenant")).isEqualTo("globex");
        assertThat(named(graph, "sub_step").attribute("tenant")).isEqualTo("globex");
        assertThat(named(graph, "sibling").attribute("tenant")).isEqualTo("acme");
    }
}
