package io.aitrace.spring.ai;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.genai.GenAi;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/**
 * One tool call: a {@code tool} span ({@code execute_tool}) with the tool's name, type, description and call
 * ID, the arguments the model sent as input and the tool's result as output (also as
 * {@code gen_ai.tool.call.arguments} / {@code .result}). JSON arguments and results are kept as objects, so
 * secret-looking keys inside them are masked.
 */
final class ToolCallingSpans implements SpanMapping<ToolCallingObservationContext> {

    @Override
    public Class<ToolCallingObservationContext> contextType() {
        return ToolCallingObservationContext.class;
    }

    @Override
    public NodeType nodeType(ToolCallingObservationContext context) {
        return NodeType.TOOL;
    }

    @Override
    public String name(ToolCallingObservationContext context) {
        return GenAi.OP_EXECUTE_TOOL + " " + context.getToolDefinition().name();
    }

    @Override
    public void started(Span span, ToolCallingObservationContext context, boolean content) {
        String callId = context.getToolCallId();
        GenAi.tool(span, context.getToolDefinition().name(), callId == null || callId.isEmpty() ? null : callId);
        span.attribute(GenAi.TOOL_TYPE, context.getToolType());
        String description = context.getToolDefinition().description();
        if (description != null && !description.isBlank()) {
            span.attribute(GenAi.TOOL_DESCRIPTION, description);
        }
        span.attribute("spring.ai.tool.return_direct", context.getToolMetadata().returnDirect());
        if (content) {
            Object arguments = Messages.parse(context.getToolCallArguments());
            span.attribute(GenAi.TOOL_CALL_ARGUMENTS, arguments);
            span.input(arguments);
        }
    }

    @Override
    public void stopped(Span span, ToolCallingObservationContext context, boolean content) {
        if (content && context.getToolCallResult() != null) {
            Object result = Messages.parse(context.getToolCallResult());
            span.attribute(GenAi.TOOL_CALL_RESULT, result);
            span.output(result);
        }
    }
}
