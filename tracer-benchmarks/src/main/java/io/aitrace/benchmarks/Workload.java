package io.aitrace.benchmarks;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The values every benchmark records, the same for aitrace and its baselines. */
final class Workload {
    static final String MODEL = "gpt-4o";
    static final Long INPUT_TOKENS = 42L;
    static final Double TEMPERATURE = 0.2;
    static final String QUERY = "What's the weather in Paris?";
    static final String PROMPT = "Classify the intent of: What's the weather in Paris?";
    static final String ANSWER = "weather_lookup";

    static final AttributeKey<String> MODEL_KEY = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<Long> TOKENS_KEY = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Double> TEMPERATURE_KEY = AttributeKey.doubleKey("gen_ai.request.temperature");
    static final AttributeKey<String> INPUT_KEY = AttributeKey.stringKey("input.prompt");
    static final AttributeKey<String> OUTPUT_KEY = AttributeKey.stringKey("output.text");

    private Workload() {
    }

    /** One aitrace span: started, made current, three attributes, closed. */
    static void aitraceSpan(Tracer tracer) {
        try (Span span = tracer.span("classify_intent", NodeType.LLM)) {
            span.attribute("gen_ai.request.model", MODEL);
            span.attribute("gen_ai.usage.input_tokens", INPUT_TOKENS);
            span.attribute("gen_ai.request.temperature", TEMPERATURE);
        }
    }

    /** The same with the OpenTelemetry API. */
    static void otelSpan(io.opentelemetry.api.trace.Tracer tracer) {
        io.opentelemetry.api.trace.Span span = tracer.spanBuilder("classify_intent").startSpan();
        try (Scope scope = span.makeCurrent()) {
            span.setAttribute(MODEL_KEY, MODEL);
            span.setAttribute(TOKENS_KEY, INPUT_TOKENS);
            span.setAttribute(TEMPERATURE_KEY, TEMPERATURE);
        } finally {
            span.end();
        }
    }

    /** An agent run: a root span with an input and an output and {@code children} LLM steps, each with both. */
    static void aitraceTrace(Tracer tracer, int children) {
        try (Span run = tracer.span("weather_agent", NodeType.AGENT)) {
            run.input("query", QUERY);
            for (int i = 0; i < children; i++) {
                try (Span step = tracer.span("classify_intent", NodeType.LLM)) {
                    step.attribute("gen_ai.request.model", MODEL);
                    step.input("prompt", PROMPT);
                    step.output("text", ANSWER);
                }
            }
            run.output("answer", ANSWER);
        }
    }

    /** The same with the OpenTelemetry API: inputs and outputs as attributes. */
    static void otelTrace(io.opentelemetry.api.trace.Tracer tracer, int children) {
        io.opentelemetry.api.trace.Span run = tracer.spanBuilder("weather_agent").startSpan();
        try (Scope scope = run.makeCurrent()) {
            run.setAttribute("input.query", QUERY);
            for (int i = 0; i < children; i++) {
                io.opentelemetry.api.trace.Span step = tracer.spanBuilder("classify_intent").startSpan();
                try (Scope inner = step.makeCurrent()) {
                    step.setAttribute(MODEL_KEY, MODEL);
                    step.setAttribute(INPUT_KEY, PROMPT);
                    step.setAttribute(OUTPUT_KEY, ANSWER);
                } finally {
                    step.end();
                }
            }
            run.setAttribute("output.answer", ANSWER);
        } finally {
            run.end();
        }
    }

    /** A fresh directory for one benchmark's files, under {@code java.io.tmpdir}. */
    static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("aitrace-bench-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a benchmark's directory and what is in it (files only, one level). */
    static void delete(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }
}
