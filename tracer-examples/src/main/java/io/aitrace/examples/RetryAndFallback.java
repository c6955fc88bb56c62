package io.aitrace.examples;

import io.aitrace.EdgeType;
import io.aitrace.genai.GenAi;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.genai.GenAi.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 3, retry and fallback: a support agent searches its knowledge base, which times out; it retries once
 * (a {@code retry_of} edge to the failed attempt), the retry fails too, so it falls back to a web search (a
 * {@code fallback_of} edge to the retry), which succeeds, and the model answers from it. Shows mixed statuses
 * (two failed spans under an agent that succeeded), each error with its exception type and message, the warnings
 * logged under the failed attempts and annotations saying why each path was taken.
 */
public final class RetryAndFallback {
    private static final Tracer tracer = TracerFactory.getTracer(RetryAndFallback.class);
    private static final Logger log = LoggerFactory.getLogger(RetryAndFallback.class);

    private final ScriptedLlm llm = ScriptedLlm.builder("scripted-gpt")
            .answer("answer", "Reset it from Settings → Account → Reset password; the link is valid for 1 hour.")
            .latency(Duration.ofMillis(20))
            .build();

    public String answer(String question, String conversationId) {
        try (Span run = tracer.span("support_agent", NodeType.AGENT)) {
            GenAi.agent(run, "support_agent");
            GenAi.conversation(run, conversationId).input("question", question);

            Span first = tracer.span("kb_search", NodeType.TOOL);
            List<String> results = attempt("kb_search", first, question);
            if (results == null) {
                Span retry = tracer.span("kb_search", NodeType.TOOL);
                retry.edge(EdgeType.RETRY_OF, first).annotate("knowledge base timed out: retrying once");
                results = attempt("kb_search", retry, question);
                if (results == null) {
                    Span fallback = tracer.span("web_search", NodeType.TOOL);
                    fallback.edge(EdgeType.FALLBACK_OF, retry)
                            .annotate("knowledge base down after a retry: falling back to web search");
                    results = attempt("web_search", fallback, question);
                }
            }
            if (results == null) {
                throw new IllegalStateException("no search answered");
            }

            String answer = llm.chat("answer", List.of(Message.user("answer from the web results: " + question)));
            run.output("answer", answer);
            return answer;
        }
    }

    /**
     * Runs one search attempt in its (started) tool span and closes it: the results, or null when it failed. The
     * span is not a try-with-resources resource because a resource is closed before its catch block runs, and
     * error() on a closed span is ignored.
     */
    private List<String> attempt(String tool, Span span, String question) {
        try {
            GenAi.tool(span, tool, ScriptedLlm.nextToolCallId()).input("query", question);
            List<String> results = search(tool);
            span.output("results", results);
            return results;
        } catch (UncheckedIOException e) {
            span.error(e.getCause());
            log.warn("{} failed: {}", tool, e.getCause().getMessage());
            return null;
        } finally {
            span.close();
        }
    }

    private List<String> search(String tool) {
        ScriptedLlm.pause(Duration.ofMillis(25));
        if (tool.equals("kb_search")) {
            throw new UncheckedIOException(new IOException("knowledge base timed out after 25 ms"));
        }
        return List.of("How to reset your password (help center)");
    }

    public static void main(String[] args) {
        System.out.println(new RetryAndFallback().answer("How do I reset my password?", "conv-support-1"));
        RunExamples.sayWhereRecordsWent();
    }
}
