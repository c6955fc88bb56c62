package io.aitrace.spring.ai;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.genai.GenAi;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;

/**
 * One embedding call: an {@code embedding} span ({@code embeddings}) with provider, models, dimensions, the
 * input token count, the texts embedded as input, and how many vectors came back as output.
 */
final class EmbeddingModelSpans implements SpanMapping<EmbeddingModelObservationContext> {

    @Override
    public Class<EmbeddingModelObservationContext> contextType() {
        return EmbeddingModelObservationContext.class;
    }

    @Override
    public NodeType nodeType(EmbeddingModelObservationContext context) {
        return NodeType.EMBEDDING;
    }

    @Override
    public SpanKind spanKind(EmbeddingModelObservationContext context) {
        return SpanKind.CLIENT;
    }

    @Override
    public String name(EmbeddingModelObservationContext context) {
        EmbeddingOptions options = context.getRequest().getOptions();
        return ChatModelSpans.ModelAttributes.spanName(context.getOperationMetadata().operationType(),
                options == null ? null : options.getModel());
    }

    @Override
    public void started(Span span, EmbeddingModelObservationContext context, boolean content) {
        EmbeddingRequest request = context.getRequest();
        EmbeddingOptions options = request.getOptions();
        GenAi.embeddings(span, context.getOperationMetadata().provider(), options == null ? null : options.getModel());
        if (options != null) {
            ChatModelSpans.ModelAttributes.setIfPresent(span, "gen_ai.embeddings.dimension.count",
                    options.getDimensions());
        }
        if (content) {
            span.input("texts", request.getInstructions());
        }
    }

    @Override
    public void stopped(Span span, EmbeddingModelObservationContext context, boolean content) {
        EmbeddingResponse response = context.getResponse();
        if (response == null) {
            return;
        }
        if (response.getMetadata() != null) {
            String model = response.getMetadata().getModel();
            GenAi.responseModel(span, model == null || model.isBlank() ? null : model);
            if (response.getMetadata().getUsage() != null) {
                ChatModelSpans.ModelAttributes.setIfPresent(span, GenAi.USAGE_INPUT_TOKENS,
                        response.getMetadata().getUsage().getPromptTokens());
            }
        }
        span.output("vectors", response.getResults() == null ? 0 : response.getResults().size());
    }
}
