package io.aitrace.examples;

import io.aitrace.EdgeType;
import io.aitrace.genai.GenAi;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import io.aitrace.genai.GenAi.Message;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 2, parallel execution: a research agent fans out to three searches (web, docs, arxiv) at once through
 * {@link CompletableFuture}s on an executor wrapped with {@link Tracing#wrap}, then merges what they found and
 * writes the answer. Shows three sibling branches on three pool threads that overlap in time (marked ‖ in the
 * tree), each with its log lines, and {@code data_flow} edges from each search into the merge.
 */
public final class ParallelFanOut {
    private static final Tracer tracer = TracerFactory.getTracer(ParallelFanOut.class);
    private static final Logger log = LoggerFactory.getLogger(ParallelFanOut.class);
    static final List<String> SOURCES = List.of("web", "docs", "arxiv");

    private final ScriptedLlm llm = ScriptedLlm.builder("scripted-gpt")
            .answer("plan", "search web, docs and arxiv in parallel")
            .answer("answer", "Structured concurrency scopes forks to a block; see JEP 505 and the docs.")
            .latency(Duration.ofMillis(20))
            .build();

    /** What one search found, and the span that found it. */
    private record Found(String source, List<String> hits, Span span) {
    }

    public String research(String question, String conversationId) {
        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(SOURCES.size(), daemonThreads()));
        try (Span run = tracer.span("research_agent", NodeType.AGENT)) {
            GenAi.agent(run, "research_agent");
            GenAi.conversation(run, conversationId).input("question", question);
            llm.chat("plan_searches", List.of(Message.user("plan: " + question)));
            run.annotate("three independent sources: searching them in parallel");

            List<CompletableFuture<Found>> searches = SOURCES.stream()
                    .map(source -> CompletableFuture.supplyAsync(() -> search(source, question), pool))
                    .toList();
            List<Found> found = searches.stream().map(CompletableFuture::join).toList();

            List<String> merged = tracer.call("merge_results", NodeType.STEP, () -> {
                Span merge = tracer.currentSpan();
                Set<String> unique = new LinkedHashSet<>();
                for (Found f : found) {
                    merge.edge(EdgeType.DATA_FLOW, f.span());
                    unique.addAll(f.hits());
                }
                log.info("merged {} hits into {} unique results", found.stream().mapToInt(f -> f.hits().size()).sum(),
                        unique.size());
                return List.copyOf(unique);
            });
            String answer = llm.chat("write_answer", List.of(Message.user("answer from: " + merged)));
            run.output("answer", answer);
            return answer;
        } finally {
            pool.shutdown();
        }
    }

    private Found search(String source, String question) {
        try (Span span = tracer.span(source + "_search", NodeType.TOOL)) {
            GenAi.tool(span, source + "_search", ScriptedLlm.nextToolCallId()).input("query", question);
            log.info("searching {}", source);
            ScriptedLlm.pause(Duration.ofMillis(60));
            List<String> hits = List.of("JEP 505: Structured Concurrency", source + ": StructuredTaskScope guide");
            span.output("hits", hits);
            log.info("{} returned {} hits", source, hits.size());
            return new Found(source, hits, span);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "search-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static void main(String[] args) {
        System.out.println(new ParallelFanOut().research("How does structured concurrency work in Java?",
                "conv-research-1"));
        RunExamples.sayWhereRecordsWent();
    }
}
