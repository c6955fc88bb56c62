package io.aitrace.core.internal.span;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * The span processor of aitrace's own SDK. aitrace writes its records itself, so the processor does
 * nothing; it exists because an SDK with no processor at all hands out invalid spans without IDs.
 */
public final class IdOnlySpanProcessor implements SpanProcessor {
    @Override public void onStart(Context parentContext, ReadWriteSpan span) { }
    @Override public boolean isStartRequired() { return false; }
    @Override public void onEnd(ReadableSpan span) { }
    @Override public boolean isEndRequired() { return false; }
}
