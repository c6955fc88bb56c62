package io.aitrace.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A streaming model that notes when the first chunk of each answer arrives, for the chat model listener's time to
 * first token. LangChain4j's listeners see no chunks, so the clock rides in the call's listener attributes and the
 * handler is wrapped; everything else goes to the wrapped model unchanged.
 */
final class FirstTokenTimingModel implements StreamingChatModel {
    private final StreamingChatModel model;

    FirstTokenTimingModel(StreamingChatModel model) {
        this.model = model;
    }

    @Override
    public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        FirstTokenClock clock = new FirstTokenClock();
        Map<Object, Object> attributes = new HashMap<>();
        if (options != null && options.listenerAttributes() != null) {
            attributes.putAll(options.listenerAttributes());
        }
        attributes.put(FirstTokenClock.KEY, clock);
        model.chat(request, ChatRequestOptions.builder().listenerAttributes(attributes).build(),
                new TimingHandler(handler, clock));
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return model.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return model.listeners();
    }

    @Override
    public ModelProvider provider() {
        return model.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return model.supportedCapabilities();
    }

    @Override
    public String toString() {
        return "FirstTokenTimingModel[" + model + "]";
    }

    /** Passes every callback on as it came; the first chunk of any kind starts the clock. */
    private record TimingHandler(StreamingChatResponseHandler handler, FirstTokenClock clock)
            implements StreamingChatResponseHandler {

        @Override
        public void onPartialResponse(String partialResponse) {
            clock.chunkArrived();
            handler.onPartialResponse(partialResponse);
        }

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            clock.chunkArrived();
            handler.onPartialResponse(partialResponse, context);
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking) {
            clock.chunkArrived();
            handler.onPartialThinking(partialThinking);
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
            clock.chunkArrived();
            handler.onPartialThinking(partialThinking, context);
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall) {
            clock.chunkArrived();
            handler.onPartialToolCall(partialToolCall);
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
            clock.chunkArrived();
            handler.onPartialToolCall(partialToolCall, context);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall completeToolCall) {
            clock.chunkArrived();
            handler.onCompleteToolCall(completeToolCall);
        }

        @Override
        public void onUnmappedRawEvent(Object rawEvent) {
            handler.onUnmappedRawEvent(rawEvent);
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            handler.onCompleteResponse(completeResponse);
        }

        @Override
        public void onError(Throwable error) {
            handler.onError(error);
        }
    }
}
