package io.aitrace.spring.ai;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.genai.GenAi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * One vector store operation: a {@code retrieval} span ({@code retrieval}) with the database system,
 * operation and collection, the query (text, top K, threshold) as input and the documents found (ID, score,
 * text) as output.
 */
final class VectorStoreSpans implements SpanMapping<VectorStoreObservationContext> {

    @Override
    public Class<VectorStoreObservationContext> contextType() {
        return VectorStoreObservationContext.class;
    }

    @Override
    public NodeType nodeType(VectorStoreObservationContext context) {
        return NodeType.RETRIEVAL;
    }

    @Override
    public SpanKind spanKind(VectorStoreObservationContext context) {
        return SpanKind.CLIENT;
    }

    @Override
    public String name(VectorStoreObservationContext context) {
        return context.getDatabaseSystem() + " " + context.getOperationName();
    }

    @Override
    public void started(Span span, VectorStoreObservationContext context, boolean content) {
        span.attribute(GenAi.OPERATION_NAME, GenAi.OP_RETRIEVAL);
        span.attribute("db.system.name", context.getDatabaseSystem());
        span.attribute("db.operation.name", context.getOperationName());
        ChatModelSpans.ModelAttributes.setIfPresent(span, "db.collection.name", context.getCollectionName());
        ChatModelSpans.ModelAttributes.setIfPresent(span, GenAi.DATA_SOURCE_ID, context.getCollectionName());
        ChatModelSpans.ModelAttributes.setIfPresent(span, "db.vector.query.similarity_metric",
                context.getSimilarityMetric());
        SearchRequest query = context.getQueryRequest();
        if (query != null) {
            span.attribute("db.vector.query.top_k", query.getTopK());
            span.attribute("db.vector.query.similarity_threshold", query.getSimilarityThreshold());
            if (content) {
                span.input("query", query.getQuery());
            }
        }
    }

    @Override
    public void stopped(Span span, VectorStoreObservationContext context, boolean content) {
        List<Document> documents = context.getQueryResponse();
        if (documents == null) {
            return;
        }
        List<Map<String, Object>> found = new ArrayList<>();
        for (Document document : documents) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", document.getId());
            entry.put("score", document.getScore());
            if (content) {
                entry.put("text", document.getText());
            }
            found.add(entry);
        }
        span.output("documents", found);
    }
}
