package io.aitrace.core.internal.span;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;

/** Copies an aitrace attribute onto the OpenTelemetry span, so other OTel exporters see it too. */
final class OtelAttributes {
    private OtelAttributes() {
    }

    static void set(Span span, String key, JsonNode value) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            span.setAttribute(key, value.textValue());
        } else if (value.isBoolean()) {
            span.setAttribute(key, value.booleanValue());
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            span.setAttribute(key, value.longValue());
        } else if (value.isNumber()) {
            span.setAttribute(key, value.doubleValue());
        } else {
            span.setAttribute(key, value.toString());
        }
    }
}
