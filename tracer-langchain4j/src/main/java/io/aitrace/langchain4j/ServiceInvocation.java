package io.aitrace.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import io.aitrace.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The spans of one AI Service call: its agent span, its last model call, its open tools; guarded by its own monitor. */
final class ServiceInvocation {
    final Span agent;
    final Map<String, ToolRun> tools = new LinkedHashMap<>();
    final Map<String, Throwable> toolErrors = new ConcurrentHashMap<>();
    LlmCall lastLlm;
    /** An output guardrail asked for the answer again. */
    boolean rejected;

    ServiceInvocation(Span agent) {
        this.agent = agent;
    }

    /**
     * Ends the last model call's span when no chat model listener took it and no response event came for it
     * (LangChain4j sends none for a guardrail's reprompt).
     */
    void endUnansweredLlm() {
        if (lastLlm != null && !lastLlm.adopted) {
            LlmCall.dropHandoff(lastLlm);
            lastLlm.span.close();
        }
    }

    ToolRun tool(ToolExecutionRequest request, AiServiceTracing owner) {
        return tools.computeIfAbsent(AiServiceTracing.key(request),
                k -> new ToolRun(owner.startTool(agent, request)));
    }

    /**
     * Ends the open tool spans; a tool whose result goes back to the model marked as an error is an error span
     * (with the exception when the error handler saw it, else with the text the model is told, which is message
     * content and so only kept when content is captured). True when one of them failed.
     */
    boolean closeTools(List<ChatMessage> nextMessages, boolean captureContent) {
        Map<String, ToolExecutionResultMessage> results = new LinkedHashMap<>();
        for (ChatMessage message : nextMessages) {
            if (message instanceof ToolExecutionResultMessage result && result.id() != null) {
                results.put(result.id(), result);
            }
        }
        boolean anyFailed = false;
        for (Map.Entry<String, ToolRun> entry : tools.entrySet()) {
            ToolRun run = entry.getValue();
            ToolExecutionResultMessage result = results.get(entry.getKey());
            if (!run.failed && result != null && Boolean.TRUE.equals(result.isError())) {
                run.failed = true;
                run.span.error(captureContent && result.text() != null ? result.text()
                        : "the tool failed (its result goes to the model as an error)");
            }
            anyFailed |= run.failed;
            run.span.close();
        }
        tools.clear();
        return anyFailed;
    }

    /** One tool call of an AI Service call: its span, open until the model hears back (or the call ends). */
    static final class ToolRun {
        final Span span;
        boolean executed;
        boolean failed;

        ToolRun(Span span) {
            this.span = span;
        }
    }
}
