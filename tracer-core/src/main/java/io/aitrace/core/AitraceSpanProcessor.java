package io.aitrace.core;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.internal.span.ForeignSpan;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Records the spans of other OpenTelemetry instrumentation (library instrumentations, Spring's tracing bridge,
 * the application's own OpenTelemetry API calls) as aitrace nodes of the same trace. Register it on the
 * application's SDK:
 *
 * <pre>{@code
 * SdkTracerProvider tracing = SdkTracerProvider.builder()
 *         .addSpanProcessor(AitraceSpanProcessor.create())          // into aitrace's records
 *         .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
 *         .build();
 * }</pre>
 *
 * The node type comes from {@code gen_ai.operation.name} ({@code chat} → llm, {@code execute_tool} → tool, ...),
 * else {@code openinference.span.kind}, else step; attributes, events (as annotations), links (as edges), status
 * and exception, and {@code input.value}/{@code output.value} or the GenAI messages (as input and output) are
 * kept. aitrace's own spans, which the same SDK makes when it is handed to {@code TracerConfig.openTelemetry},
 * are left alone: aitrace writes them itself. Spans below a trace that aitrace's sample ratio left out are
 * left out too. Never throws into the SDK.
 */
public final class AitraceSpanProcessor implements SpanProcessor {
    /** The instrumentation scope of aitrace's own spans. */
    static final String OWN_SCOPE = "io.aitrace";
    private static final String PROBE = "aitrace-processor-probe";
    private static final AttributeKey<Boolean> PROBE_SEEN = AttributeKey.booleanKey("aitrace.processor_seen");

    private final Supplier<TracerRuntime> runtime;
    /** Spans started below an unsampled aitrace root, by span ID, until they end. */
    private final Map<String, Boolean> leftOut = new ConcurrentHashMap<>();

    private AitraceSpanProcessor(Supplier<TracerRuntime> runtime) {
        this.runtime = runtime;
    }

    /** A processor that records into the global runtime (the one {@code TracerFactory}'s tracers use). */
    public static AitraceSpanProcessor create() {
        return new AitraceSpanProcessor(TracerRuntime::global);
    }

    /** A processor that records into {@code runtime}. */
    public static AitraceSpanProcessor create(TracerRuntime runtime) {
        return new AitraceSpanProcessor(() -> runtime);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        try {
            if (isOwn(span)) {
                if (PROBE.equals(span.getName())) {
                    span.setAttribute(PROBE_SEEN, true);
                }
                return;
            }
            if (ForeignSpan.isBelowUnsampledRoot(parentContext)) {
                leftOut.put(span.getSpanContext().getSpanId(), Boolean.TRUE);
                return;
            }
            record(span, false);
        } catch (RuntimeException | LinkageError e) {
            report(e);
        }
    }

    private void record(ReadableSpan span, boolean ended) {
        TracerRuntime rt = runtime.get();
        if (rt != null && rt.enabled()) {
            rt.submit(ForeignSpan.record(span.toSpanData(), rt.converter(), ended));
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        try {
            if (!isOwn(span) && leftOut.remove(span.getSpanContext().getSpanId()) == null) {
                record(span, true);
            }
        } catch (RuntimeException | LinkageError e) {
            report(e);
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** Flushes aitrace's records (the writer is shared with aitrace's own spans). */
    @Override
    public CompletableResultCode forceFlush() {
        TracerRuntime rt = runtime.get();
        if (rt != null) {
            rt.flush();
        }
        return CompletableResultCode.ofSuccess();
    }

    /**
     * Says once on stderr when the application's SDK handed to aitrace has no AitraceSpanProcessor, so that spans
     * of other instrumentation would be missing from aitrace's trace. Probes with a span that is never ended.
     */
    static void hintIfMissing(OpenTelemetry otel) {
        io.opentelemetry.api.trace.Span probe = otel.getTracer(OWN_SCOPE).spanBuilder(PROBE).setNoParent().startSpan();
        if (probe instanceof ReadableSpan && ((ReadableSpan) probe).getAttribute(PROBE_SEEN) == null) {
            Diagnostics.warn("spans that other instrumentation makes through the OpenTelemetry SDK given to"
                    + " TracerConfig are not recorded by aitrace: add AitraceSpanProcessor.create() to its"
                    + " SdkTracerProvider to see them in the trace (docs/opentelemetry.md)");
        }
    }

    private static boolean isOwn(ReadableSpan span) {
        return OWN_SCOPE.equals(span.getInstrumentationScopeInfo().getName());
    }

    private void report(Throwable e) {
        TracerRuntime rt = runtime.get();
        if (rt != null) {
            rt.reportMisuse("AitraceSpanProcessor", e);
        } else {
            Diagnostics.warn("AitraceSpanProcessor failed", e);
        }
    }

    @Override
    public String toString() {
        return "AitraceSpanProcessor";
    }
}
