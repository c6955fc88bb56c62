package io.aitrace.examples;

import io.aitrace.genai.GenAi;
import io.aitrace.genai.GenAi.Message;
import io.aitrace.genai.GenAi.Part;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for a language model, so every example runs offline and gives the same trace each time: canned
 * answers chosen by the first keyword found in the last message, token counts, and a configurable latency and
 * failure (the first N calls, or a seeded random share of them).
 *
 * <pre>{@code
 * ScriptedLlm llm = ScriptedLlm.builder("scripted-gpt").answer("classify", "weather_lookup")
 *         .latency(Duration.ofMillis(30)).failFirst(1, "rate limited").build();
 * String intent = llm.chat("classify_intent", List.of(GenAi.Message.user("classify: weather in Paris?")));
 * }</pre>
 *
 * {@link #chat} is what an instrumented client library does: each call is an {@link NodeType#LLM} span of kind
 * {@link SpanKind#CLIENT} with the OpenTelemetry GenAI attributes set through {@link GenAi}
 * ({@code gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code gen_ai.request.model},
 * {@code gen_ai.response.model}, {@code gen_ai.usage.*_tokens}, {@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}).
 */
public final class ScriptedLlm {
    private static final Tracer tracer = TracerFactory.getTracer(ScriptedLlm.class);
    private static final Logger log = LoggerFactory.getLogger(ScriptedLlm.class);
    private static final AtomicInteger TOOL_CALLS = new AtomicInteger();

    /** One model answer with the token counts a real provider reports. */
    public record Completion(String text, String responseModel, int inputTokens, int outputTokens) {
    }

    /** The model call failed (rate limit, timeout): what a provider's client throws. */
    public static final class ModelCallException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ModelCallException(String message) {
            super(message);
        }
    }

    private final String model;
    private final String provider;
    private final Map<String, String> answers;
    private final String otherwise;
    private final Duration latency;
    private final String failure;
    private final Random failures;
    private final double failureRate;
    private int failFirst;

    private ScriptedLlm(Builder b) {
        this.model = b.model;
        this.provider = b.provider;
        this.answers = new LinkedHashMap<>(b.answers);
        this.otherwise = b.otherwise;
        this.latency = b.latency;
        this.failure = b.failure;
        this.failFirst = b.failFirst;
        this.failureRate = b.failureRate;
        this.failures = new Random(b.seed);
    }

    /** A model named {@code model}, answering "I am not sure." until given answers. */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    public String model() {
        return model;
    }

    /**
     * One traced chat call: an LLM span named {@code spanName}, child of the current span, with the GenAI
     * attributes, the answer as output, and a failure as its error (thrown on as {@link ModelCallException}).
     */
    public String chat(String spanName, List<Message> messages) {
        // Not try-with-resources: a resource is closed before its catch block runs, too late to record the error.
        Span call = tracer.span(spanName, NodeType.LLM, SpanKind.CLIENT);
        try {
            GenAi.chat(call, provider, model);
            GenAi.inputMessages(call, messages);
            log.debug("calling {} ({} message(s))", model, messages.size());
            Completion completion = complete(messages);
            GenAi.responseModel(call, completion.responseModel());
            GenAi.usage(call, completion.inputTokens(), completion.outputTokens());
            GenAi.outputMessages(call, Message.assistant(completion.text()).finishReason("stop"));
            call.output(completion.text());
            return completion.text();
        } catch (RuntimeException e) {
            call.error(e);
            throw e;
        } finally {
            call.close();
        }
    }

    /** A tool call ID as a model would issue it with its tool call: {@code call_1}, {@code call_2}, ... */
    public static String nextToolCallId() {
        return "call_" + TOOL_CALLS.incrementAndGet();
    }

    /** The model call itself, untraced: waits the latency, then fails or answers. */
    public synchronized Completion complete(List<Message> messages) {
        pause(latency);
        if (failFirst > 0) {
            failFirst--;
            throw new ModelCallException(model + ": " + failure);
        }
        if (failureRate > 0 && failures.nextDouble() < failureRate) {
            throw new ModelCallException(model + ": " + failure);
        }
        String prompt = text(messages.get(messages.size() - 1)).toLowerCase(Locale.ROOT);
        String text = answers.entrySet().stream()
                .filter(e -> prompt.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(otherwise);
        return new Completion(text, model + "-2026-01", words(messages), words(List.of(Message.assistant(text))));
    }

    private static int words(List<Message> messages) {
        return messages.stream().mapToInt(m -> text(m).split("\\s+").length).sum();
    }

    /** The text parts of a message, joined. */
    static String text(Message message) {
        return message.parts().stream().filter(p -> p.type().equals("text"))
                .map(p -> String.valueOf(p.fields().get("content"))).collect(Collectors.joining(" "));
    }

    /** Sleeps for a simulated latency (a model, a tool, a service); an interrupt ends it early. */
    static void pause(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sets up a {@link ScriptedLlm}. */
    public static final class Builder {
        private final String model;
        private String provider = "scripted";
        private final Map<String, String> answers = new LinkedHashMap<>();
        private String otherwise = "I am not sure.";
        private Duration latency = Duration.ZERO;
        private String failure = "service unavailable";
        private int failFirst;
        private double failureRate;
        private long seed;

        private Builder(String model) {
            this.model = model;
        }

        /** Answer {@code text} when the last message contains {@code keyword} (case-insensitive; first match wins). */
        public Builder answer(String keyword, String text) {
            answers.put(keyword.toLowerCase(Locale.ROOT), text);
            return this;
        }

        /** The answer when no keyword matches. */
        public Builder otherwise(String text) {
            this.otherwise = text;
            return this;
        }

        /** The {@code gen_ai.provider.name}; {@code scripted} by default. */
        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /** How long each call takes. */
        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /** The first {@code calls} calls fail with {@code message}. */
        public Builder failFirst(int calls, String message) {
            this.failFirst = calls;
            this.failure = message;
            return this;
        }

        /** A share of calls ({@code 0..1}) fails with {@code message}, drawn from a sequence seeded with {@code seed}. */
        public Builder failureRate(double rate, long seed, String message) {
            this.failureRate = rate;
            this.seed = seed;
            this.failure = message;
            return this;
        }

        public ScriptedLlm build() {
            return new ScriptedLlm(this);
        }
    }
}
