package io.aitrace.langchain4j;

import dev.langchain4j.agentic.observability.AfterAgentToolExecution;
import dev.langchain4j.agentic.observability.AgentInvocationError;
import dev.langchain4j.agentic.observability.AgentListener;
import dev.langchain4j.agentic.observability.AgentRequest;
import dev.langchain4j.agentic.observability.AgentResponse;
import dev.langchain4j.agentic.observability.BeforeAgentToolExecution;
import dev.langchain4j.agentic.planner.AgentInstance;
import dev.langchain4j.agentic.scope.AgenticScope;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.service.tool.ToolExecution;
import io.aitrace.NodeType;
import io.aitrace.Scope;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.genai.GenAi;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code agent} span per agent invocation of a {@code langchain4j-agentic} system, a child of its parent
 * agent's span (found by the parent's agent ID in the same agentic scope, whichever thread runs it), so the spans
 * nest as the workflow does and parallel branches become siblings. While an agent runs, its span is current on
 * the agent's thread, so the model calls it makes (with {@link TracingChatModelListener}) nest under it. LangChain4j
 * calls the before, after and error methods of one invocation on the thread that runs it.
 */
final class TracingAgentListener implements AgentListener {
    static final String TOPOLOGY = "langchain4j.agentic.topology";

    private final LangChain4jTracing tracing;
    private final Map<Key, Deque<Run>> running = new ConcurrentHashMap<>();
    private final Map<String, Span> tools = new ConcurrentHashMap<>();

    private TracingAgentListener(LangChain4jTracing tracing) {
        this.tracing = tracing;
    }

    static AgentListener create(LangChain4jTracing tracing) {
        return new TracingAgentListener(tracing);
    }

    /** An agent within one agentic scope; scopes compare by identity. */
    private record Key(AgenticScope scope, String agentId) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.scope == scope && java.util.Objects.equals(key.agentId, agentId);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(scope) * 31 + java.util.Objects.hashCode(agentId);
        }
    }

    private record Run(Span span, Scope scope) {
    }

    @Override
    public boolean inheritedBySubagents() {
        return true;
    }

    @Override
    public void beforeAgentInvocation(AgentRequest request) {
        ListenerFailures.guard("AgentListener.beforeAgentInvocation", () -> {
            AgentInstance agent = request.agent();
            Span parent = parentSpan(request.agenticScope(), agent);
            String name = agent == null || agent.name() == null ? "agent" : agent.name();
            Span span = tracing.tracer().startSpan(name, NodeType.AGENT, SpanKind.INTERNAL, parent);
            GenAi.agent(span, name);
            if (agent != null) {
                ChatSpans.setIfPresent(span, GenAi.AGENT_ID, agent.agentId());
                if (agent.description() != null && !agent.description().isBlank()) {
                    span.attribute(GenAi.AGENT_DESCRIPTION, agent.description());
                }
                if (agent.topology() != null) {
                    span.attribute(TOPOLOGY, agent.topology().name());
                    if (!agent.leaf()) {
                        span.attribute(GenAi.OPERATION_NAME, GenAi.OP_INVOKE_WORKFLOW);
                    }
                }
            }
            if (tracing.captureContent() && request.inputs() != null) {
                span.input(visibleInputs(request.inputs()));
            }
            running.computeIfAbsent(key(request.agenticScope(), agent), k -> new ArrayDeque<>())
                    .push(new Run(span, span.makeCurrent()));
        });
    }

    /** The inputs without LangChain4j's own bookkeeping (planner state keys start with {@code __}). */
    private static Map<String, Object> visibleInputs(Map<String, Object> inputs) {
        Map<String, Object> visible = new java.util.LinkedHashMap<>();
        inputs.forEach((key, value) -> {
            if (key == null || !key.startsWith("__")) {
                visible.put(key, value);
            }
        });
        return visible;
    }

    private Span parentSpan(AgenticScope scope, AgentInstance agent) {
        AgentInstance parent = agent == null ? null : agent.parent();
        if (parent != null) {
            Deque<Run> runs = running.get(key(scope, parent));
            Run run = runs == null ? null : runs.peek();
            if (run != null) {
                return run.span();
            }
        }
        Span current = tracing.tracer().currentSpan();
        return current.isRecording() ? current : null;
    }

    @Override
    public void afterAgentInvocation(AgentResponse response) {
        ListenerFailures.guard("AgentListener.afterAgentInvocation", () -> {
            Run run = finish(response.agenticScope(), response.agent());
            if (run == null) {
                return;
            }
            if (tracing.captureContent() && response.output() != null) {
                run.span().output(response.output());
            }
            run.span().close();
        });
    }

    @Override
    public void onAgentInvocationError(AgentInvocationError error) {
        ListenerFailures.guard("AgentListener.onAgentInvocationError", () -> {
            Run run = finish(error.agenticScope(), error.agent());
            if (run != null) {
                run.span().fail(error.error());
            }
        });
    }

    private Run finish(AgenticScope scope, AgentInstance agent) {
        Key key = key(scope, agent);
        Deque<Run> runs = running.get(key);
        if (runs == null) {
            return null;
        }
        Run run = runs.poll();
        if (runs.isEmpty()) {
            running.remove(key, runs);
        }
        if (run != null) {
            run.scope().close();
        }
        return run;
    }

    @Override
    public void beforeAgentToolExecution(BeforeAgentToolExecution before) {
        ListenerFailures.guard("AgentListener.beforeAgentToolExecution", () -> {
            ToolExecutionRequest request = before.toolExecution() == null ? null : before.toolExecution().request();
            if (request == null) {
                return;
            }
            Deque<Run> runs = running.get(key(before.agenticScope(), before.agentInstance()));
            Run run = runs == null ? null : runs.peek();
            Span tool = tracing.tracer().startSpan(request.name() == null ? "tool" : request.name(), NodeType.TOOL,
                    SpanKind.INTERNAL, run == null ? null : run.span());
            GenAi.tool(tool, request.name(), request.id());
            if (tracing.captureContent() && request.arguments() != null) {
                tool.input(request.arguments());
            }
            tools.put(toolKey(request), tool);
        });
    }

    @Override
    public void afterAgentToolExecution(AfterAgentToolExecution after) {
        ListenerFailures.guard("AgentListener.afterAgentToolExecution", () -> {
            ToolExecution execution = after.toolExecution();
            if (execution == null || execution.request() == null) {
                return;
            }
            Span tool = tools.remove(toolKey(execution.request()));
            if (tool == null) {
                return;
            }
            if (tracing.captureContent() && execution.result() != null) {
                tool.output(execution.result());
            }
            if (execution.hasFailed()) {
                tool.error(execution.result() == null ? "tool failed" : execution.result());
            }
            tool.close();
        });
    }

    private static Key key(AgenticScope scope, AgentInstance agent) {
        return new Key(scope, agent == null ? null : agent.agentId());
    }

    private static String toolKey(ToolExecutionRequest request) {
        return request.id() != null ? request.id()
                : System.identityHashCode(request) + "|" + request.name();
    }
}
