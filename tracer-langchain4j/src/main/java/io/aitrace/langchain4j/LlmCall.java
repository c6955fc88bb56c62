package io.aitrace.langchain4j;

import io.aitrace.Span;

/**
 * One model call's {@code llm} span, carried between the listener methods of that call (in LangChain4j's
 * per-call attribute map) and, for AI Services, from the service listener that started it to the chat model
 * listener that fills it in.
 */
final class LlmCall {
    final Span span;
    final long startNanos = System.nanoTime();
    /** Set by the chat model listener when it takes over a span the AI Service listener started. */
    volatile boolean adopted;
    /** Set when a {@link FirstTokenClock} came with the call (a streaming model wrapped for it). */
    volatile FirstTokenClock clock;

    LlmCall(Span span) {
        this.span = span;
    }

    /**
     * The span an AI Service listener started just before the model is called on this thread, for the chat model
     * listener that runs next on the same thread; empty when the call does not come from an AI Service.
     */
    private static final ThreadLocal<LlmCall> HANDOFF = new ThreadLocal<>();

    static void handOff(LlmCall call) {
        HANDOFF.set(call);
    }

    static LlmCall takeHandoff() {
        LlmCall call = HANDOFF.get();
        if (call != null) {
            HANDOFF.remove();
        }
        return call;
    }

    /** Clears the handoff when it still holds {@code call} (no chat model listener took it). */
    static void dropHandoff(LlmCall call) {
        if (HANDOFF.get() == call) {
            HANDOFF.remove();
        }
    }
}
