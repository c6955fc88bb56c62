package io.aitrace.read;

import io.aitrace.EdgeType;

/**
 * A typed link read back from a trace: from the span that declared it to the span it points at.
 *
 * @param type the edge type, or null when the record names one this version does not know
 * @param typeName the name as written in the record, e.g. {@code "retry_of"}
 * @param fromSpanId the span that declared the edge
 * @param toTraceId the trace of the span pointed at (may differ from the declaring span's trace)
 * @param toSpanId the span pointed at
 */
public record Edge(EdgeType type, String typeName, String fromSpanId, String toTraceId, String toSpanId) {
}
