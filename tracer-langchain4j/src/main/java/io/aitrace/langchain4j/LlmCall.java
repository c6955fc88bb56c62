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

    /** The last message of the request, to tell this call's listener from another call's on the same thread. */
    final Object lastMessage;

    LlmCall(Span span) {
        this(span, null);
    }

    LlmCall(Span span, Object lastMessage) {
        this.span = span;
        this.lastMessage = lastMessage;
    }

    /**
     * Whether a model call whose request ends with {@code lastMessage} is the one this span was started for: the
     * model passes the service's messages on as they are, so the last one is the same object. A span left on a
     * thread by a streamed call whose response came elsewhere is not taken by a later, unrelated call.
     */
    boolean isFor(Object requestLastMessage) {
        return !adopted && !span.isEnded() && (lastMessage == null || lastMessage == requestLastMessage);
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
