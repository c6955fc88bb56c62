package io.aitrace.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.guardrail.GuardrailResult;
import dev.langchain4j.guardrail.OutputGuardrailResult;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.observability.api.event.AiServiceCompletedEvent;
import dev.langchain4j.observability.api.event.AiServiceErrorEvent;
import dev.langchain4j.observability.api.event.AiServiceEvent;
import dev.langchain4j.observability.api.event.AiServiceRequestIssuedEvent;
import dev.langchain4j.observability.api.event.AiServiceResponseReceivedEvent;
import dev.langchain4j.observability.api.event.AiServiceStartedEvent;
import dev.langchain4j.observability.api.event.GuardrailExecutedEvent;
import dev.langchain4j.observability.api.event.ToolExecutedEvent;
import dev.langchain4j.observability.api.listener.AiServiceCompletedListener;
import dev.langchain4j.observability.api.listener.AiServiceErrorListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.observability.api.listener.AiServiceRequestIssuedListener;
import dev.langchain4j.observability.api.listener.AiServiceResponseReceivedListener;
import dev.langchain4j.observability.api.listener.AiServiceStartedListener;
import dev.langchain4j.observability.api.listener.InputGuardrailExecutedListener;
import dev.langchain4j.observability.api.listener.OutputGuardrailExecutedListener;
import dev.langchain4j.observability.api.listener.ToolExecutedEventListener;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolErrorContext;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecutionErrorHandler;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.genai.GenAi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AI Service listeners: one {@link ServiceInvocation} per AI Service call, found by LangChain4j's invocation ID in
 * every event, whichever thread the event arrives on.
 */
final class AiServiceTracing {
    static final String GUARDRAIL_KIND = "langchain4j.guardrail.kind";
    static final String GUARDRAIL_RESULT = "langchain4j.guardrail.result";
    static final String GUARDRAIL_DURATION = "langchain4j.guardrail.duration";
    static final String INVOCATION_ID = "langchain4j.invocation.id";

    private final LangChain4jTracing tracing;
    private final Map<UUID, ServiceInvocation> invocations = new ConcurrentHashMap<>();

    AiServiceTracing(LangChain4jTracing tracing) {
        this.tracing = tracing;
    }

    List<AiServiceListener<?>> listeners() {
        return List.of(
                (AiServiceStartedListener) event -> guard("AiServiceStartedEvent", () -> started(event)),
                (AiServiceRequestIssuedListener) event -> guard("AiServiceRequestIssuedEvent", () -> requestIssued(event)),
                (AiServiceResponseReceivedListener) event ->
                        guard("AiServiceResponseReceivedEvent", () -> responseReceived(event)),
                (ToolExecutedEventListener) event -> guard("ToolExecutedEvent", () -> toolExecuted(event)),
                (InputGuardrailExecutedListener) event -> guard("InputGuardrailExecutedEvent", () -> guardrail(event, "input")),
                (OutputGuardrailExecutedListener) event ->
                        guard("OutputGuardrailExecutedEvent", () -> guardrail(event, "output")),
                (AiServiceCompletedListener) event -> guard("AiServiceCompletedEvent", () -> completed(event)),
                (AiServiceErrorListener) event -> guard("AiServiceErrorEvent", () -> failed(event)));
    }

    ToolExecutionErrorHandler toolExecutionErrorHandler(ToolExecutionErrorHandler handler) {
        return (error, context) -> {
            ListenerFailures.guard("ToolExecutionErrorHandler", () -> noteToolError(error, context));
            if (handler != null) {
                return handler.handle(error, context);
            }
            String message = error == null ? null : error.getMessage();
            return ToolErrorHandlerResult.text(message == null || message.isBlank()
                    ? (error == null ? "unknown error" : error.getClass().getName()) : message);
        };
    }

    private static void guard(String where, Runnable body) {
        ListenerFailures.guard(where, body);
    }

    private ServiceInvocation invocation(AiServiceEvent event) {
        InvocationContext context = event.invocationContext();
        return context == null || context.invocationId() == null ? null : invocations.get(context.invocationId());
    }

    private void started(AiServiceStartedEvent event) {
        InvocationContext context = event.invocationContext();
        if (context == null || context.invocationId() == null) {
            return;
        }
        String name = agentName(context);
        Span current = tracing.tracer().currentSpan();
        Span agent = tracing.tracer().startSpan(name, NodeType.AGENT, SpanKind.INTERNAL,
                current.isRecording() ? current : null);
        GenAi.agent(agent, name);
        agent.attribute(INVOCATION_ID, context.invocationId().toString());
        if (tracing.captureContent()) {
            Map<String, Object> input = new LinkedHashMap<>();
            event.systemMessage().ifPresent(system -> input.put("system", system.text()));
            if (event.userMessage() != null) {
                GenAi.Message user = ChatSpans.message(event.userMessage());
                input.put("user", event.userMessage().hasSingleText() ? event.userMessage().singleText()
                        : user == null ? null : user.toMap());
            }
            agent.input(input);
        }
        invocations.put(context.invocationId(), new ServiceInvocation(agent));
    }

    private static String agentName(InvocationContext context) {
        String type = context.interfaceName();
        if (type != null) {
            type = type.substring(type.lastIndexOf('.') + 1);
            type = type.substring(type.lastIndexOf('$') + 1);
        }
        String method = context.methodName();
        if (type == null || type.isEmpty()) {
            return method == null ? "ai_service" : method;
        }
        return method == null ? type : type + "." + method;
    }

    private void requestIssued(AiServiceRequestIssuedEvent event) {
        ServiceInvocation invocation = invocation(event);
        if (invocation == null) {
            return;
        }
        ChatRequest request = event.request();
        LlmCall call;
        synchronized (invocation) {
            invocation.endUnansweredLlm();
            boolean toolFailed = invocation.closeTools(request == null ? List.of() : request.messages(),
                    tracing.captureContent());
            String model = ChatSpans.modelName(request, event.invocationContext().defaultRequestParameters());
            Span span = tracing.tracer().startSpan(ChatSpans.spanName(model), NodeType.LLM, SpanKind.CLIENT,
                    invocation.agent);
            ChatSpans.request(span, request, event.invocationContext().modelProvider(), tracing.captureContent());
            if (span.isRecording() && model != null) {
                GenAi.operation(span, GenAi.OP_CHAT, null, model);
            }
            if ((toolFailed || invocation.rejected) && invocation.lastLlm != null) {
                span.edge(EdgeType.RETRY_OF, invocation.lastLlm.span);
            }
            invocation.rejected = false;
            call = new LlmCall(span, ChatSpans.lastMessage(request));
            invocation.lastLlm = call;
        }
        LlmCall.handOff(call);
    }

    private void responseReceived(AiServiceResponseReceivedEvent event) {
        ServiceInvocation invocation = invocation(event);
        if (invocation == null) {
            return;
        }
        ChatResponse response = event.response();
        synchronized (invocation) {
            LlmCall call = invocation.lastLlm;
            if (call != null) {
                LlmCall.dropHandoff(call);
                if (!call.adopted) {
                    // No chat model listener on this model: the service's own events fill the span in.
                    ChatSpans.response(call.span, response, tracing.captureContent());
                    call.span.close();
                }
            }
            AiMessage answer = response == null ? null : response.aiMessage();
            if (answer != null && answer.hasToolExecutionRequests()) {
                for (ToolExecutionRequest request : answer.toolExecutionRequests()) {
                    invocation.tool(request, this);
                }
            }
        }
    }

    Span startTool(Span agent, ToolExecutionRequest request) {
        Span tool = tracing.tracer().startSpan(request.name() == null ? "tool" : request.name(), NodeType.TOOL,
                SpanKind.INTERNAL, agent);
        GenAi.tool(tool, request.name(), request.id());
        if (tracing.captureContent() && request.arguments() != null) {
            tool.input(request.arguments());
            tool.attribute(GenAi.TOOL_CALL_ARGUMENTS, request.arguments());
        }
        return tool;
    }

    private void toolExecuted(ToolExecutedEvent event) {
        ServiceInvocation invocation = invocation(event);
        if (invocation == null || event.request() == null) {
            return;
        }
        synchronized (invocation) {
            ServiceInvocation.ToolRun run = invocation.tool(event.request(), this);
            run.executed = true;
            if (tracing.captureContent() && event.resultText() != null) {
                run.span.output(event.resultText());
                run.span.attribute(GenAi.TOOL_CALL_RESULT, event.resultText());
            }
            Throwable error = invocation.toolErrors.remove(key(event.request()));
            if (error != null) {
                run.failed = true;
                run.span.error(error);
            }
        }
    }

    private void noteToolError(Throwable error, ToolErrorContext context) {
        if (error == null || context == null || context.invocationContext() == null
                || context.toolExecutionRequest() == null) {
            return;
        }
        ServiceInvocation invocation = invocations.get(context.invocationContext().invocationId());
        if (invocation != null) {
            invocation.toolErrors.put(key(context.toolExecutionRequest()), error);
        }
    }

    static String key(ToolExecutionRequest request) {
        return request.id() != null ? request.id() : request.name() + "|" + request.arguments();
    }

    private void guardrail(GuardrailExecutedEvent<?, ?, ?> event, String kind) {
        ServiceInvocation invocation = invocation(event);
        Span parent = invocation != null ? invocation.agent : null;
        String name = event.guardrailClass() == null ? kind + "_guardrail" : event.guardrailName();
        Span span = tracing.tracer().startSpan(name, NodeType.GUARDRAIL, SpanKind.INTERNAL, parent);
        span.attribute(GUARDRAIL_KIND, kind);
        if (event.duration() != null) {
            span.attribute(GUARDRAIL_DURATION, event.duration());
        }
        GuardrailResult<?> result = event.result();
        if (result != null) {
            span.attribute(GUARDRAIL_RESULT, result.result() == null ? null : result.result().name());
            List<String> failures = new ArrayList<>();
            for (GuardrailResult.Failure failure : result.failures()) {
                if (failure != null && failure.message() != null) {
                    failures.add(failure.message());
                }
            }
            if (!result.isSuccess()) {
                Throwable cause = result.getFirstFailureException();
                if (cause != null) {
                    span.error(cause);
                } else {
                    span.error(failures.isEmpty() ? "guardrail " + result.result() : String.join("; ", failures));
                }
                if (result instanceof OutputGuardrailResult output) {
                    span.attribute("langchain4j.guardrail.retry", output.isRetry());
                    span.attribute("langchain4j.guardrail.reprompt", output.isReprompt());
                    if (invocation != null && (output.isRetry() || output.isReprompt())) {
                        synchronized (invocation) {
                            invocation.rejected = true;
                        }
                    }
                }
            }
            if (tracing.captureContent()) {
                Object checked = checkedText(event.request());
                if (checked != null) {
                    span.input(checked);
                }
                if (!failures.isEmpty()) {
                    span.output("failures", failures);
                }
            }
        }
        span.close();
    }

    private static Object checkedText(Object request) {
        if (request instanceof dev.langchain4j.guardrail.InputGuardrailRequest input && input.userMessage() != null) {
            return input.userMessage().hasSingleText() ? input.userMessage().singleText() : null;
        }
        if (request instanceof dev.langchain4j.guardrail.OutputGuardrailRequest output
                && output.responseFromLLM() != null && output.responseFromLLM().aiMessage() != null) {
            return output.responseFromLLM().aiMessage().text();
        }
        return null;
    }

    private void completed(AiServiceCompletedEvent event) {
        ServiceInvocation invocation = remove(event);
        if (invocation == null) {
            return;
        }
        synchronized (invocation) {
            invocation.endUnansweredLlm();
            invocation.closeTools(List.of(), false);
            if (tracing.captureContent()) {
                Optional<Object> result = event.result();
                result.ifPresent(value -> invocation.agent.output(serviceResult(value)));
            }
            invocation.agent.close();
        }
    }

    /** What the service returned, without LangChain4j's wrappers (whose raw HTTP data says nothing new). */
    private static Object serviceResult(Object value) {
        if (value instanceof Result<?> result) {
            return result.content();
        }
        if (value instanceof ChatResponse response) {
            return response.aiMessage() == null ? null : response.aiMessage().text();
        }
        return value;
    }

    private void failed(AiServiceErrorEvent event) {
        ServiceInvocation invocation = remove(event);
        if (invocation == null) {
            return;
        }
        synchronized (invocation) {
            if (invocation.lastLlm != null) {
                LlmCall.dropHandoff(invocation.lastLlm);
                if (!invocation.lastLlm.adopted && !invocation.lastLlm.span.isEnded()) {
                    invocation.lastLlm.span.fail(event.error());
                }
            }
            invocation.closeTools(List.of(), false);
            invocation.agent.fail(event.error());
        }
    }

    private ServiceInvocation remove(AiServiceEvent event) {
        InvocationContext context = event.invocationContext();
        return context == null || context.invocationId() == null ? null : invocations.remove(context.invocationId());
    }
}
