package io.aitrace.core;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.internal.pipeline.JsonLinesProcessor;
import io.aitrace.core.internal.pipeline.ListenerProcessor;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.internal.pipeline.DeferredStart;
import io.aitrace.core.internal.pipeline.RecordWriter;
import io.aitrace.core.internal.span.CoreTracer;
import io.aitrace.core.internal.span.W3cPropagation;
import io.aitrace.core.record.SecretKeys;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import io.aitrace.core.record.ValueConverter;
import io.aitrace.core.target.Target;
import io.aitrace.core.target.Targets;
import io.aitrace.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One configured aitrace: the OpenTelemetry tracer spans are made with, the value converter, and the
 * writer that carries records to the targets. {@link io.aitrace.TracerFactory} uses the global runtime,
 * created on first use from {@link TracerConfig#fromEnvironment()}; {@link #install} replaces it.
 *
 * <pre>{@code
 * TracerRuntime.install(TracerConfig.builder().target("run.jsonl").build());
 * // or, standalone (tests, embedding):
 * try (TracerRuntime rt = TracerRuntime.create(config)) { Tracer t = rt.tracer("agent"); ... }
 * }</pre>
 */
public final class TracerRuntime implements AutoCloseable {
    private static final Object GLOBAL_LOCK = new Object();
    private static volatile TracerRuntime global;

    private final TracerConfig config;
    /** The application's tracer spans are made with; null when aitrace makes span IDs itself. */
    private final io.opentelemetry.api.trace.Tracer otelTracer;
    private final ValueConverter converter;
    private final W3cPropagation propagation;
    private final Map<String, String> resource;
    private final RecordWriter writer;
    private final List<Target> targets;
    private final List<RecordProcessor> processors;
    private final long anchorEpochNanos;
    private final long anchorNanoTime;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean misuseReported = new AtomicBoolean();
    private final AtomicBoolean lateErrorReported = new AtomicBoolean();
    private final AtomicBoolean badEvaluationReported = new AtomicBoolean();
    private final AtomicBoolean endedParentReported = new AtomicBoolean();
    private final Thread shutdownHook;

    private TracerRuntime(TracerConfig config, boolean hook) {
        this.config = config;
        Instant now = Instant.now();
        this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.anchorNanoTime = System.nanoTime();
        this.resource = Map.of("service.name", config.serviceName());
        OpenTelemetry otel = config.openTelemetry();
        if (otel != null && !makesValidSpans(otel)) {
            Diagnostics.warn("the OpenTelemetry instance given to TracerConfig makes spans without IDs (no SDK,"
                    + " or an SDK without span processors); aitrace uses an SDK of its own instead");
            otel = null;
        } else if (otel != null) {
            AitraceSpanProcessor.hintIfMissing(otel);
        }
        // Without an SDK of the application's, spans get IDs of aitrace's own making and no SDK span: nothing
        // would read one (aitrace's records are the output), and starting and ending it was half a span's cost.
        this.otelTracer = otel == null ? null : otel.getTracer("io.aitrace");
        this.converter = new ValueConverter(new SecretKeys(config.maskKeys()), config.maxStringLength());
        this.propagation = new W3cPropagation(converter, config.propagateBaggage());
        Instant processStart = ProcessHandle.current().info().startInstant().orElse(now);
        this.processors = config.enabled() ? withListeners(Targets.open(config, processStart), config) : List.of();
        this.targets = processors.stream().filter(p -> p instanceof JsonLinesProcessor)
                .flatMap(p -> ((JsonLinesProcessor) p).targets().stream()).toList();
        this.writer = new RecordWriter(processors, config.queueCapacity(), config.flushInterval(), this::now);
        if (hook) {
            this.shutdownHook = new Thread(this::close, "aitrace-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    private static List<RecordProcessor> withListeners(List<RecordProcessor> processors, TracerConfig config) {
        if (config.listeners().isEmpty()) {
            return processors;
        }
        List<RecordProcessor> all = new java.util.ArrayList<>(processors);
        all.add(new ListenerProcessor(config.listeners()));
        return all;
    }

    private static boolean makesValidSpans(OpenTelemetry otel) {
        io.opentelemetry.api.trace.Span probe = otel.getTracer("io.aitrace").spanBuilder("aitrace-probe")
                .setNoParent().startSpan();
        // Never ended, so it never reaches the application's exporters.
        return probe.getSpanContext().isValid();
    }

    /** A runtime of its own, not the global one; close it when done. It flushes at JVM shutdown too. */
    public static TracerRuntime create(TracerConfig config) {
        return new TracerRuntime(config, true);
    }

    /** The runtime {@link io.aitrace.TracerFactory}'s tracers use, created from the environment on first use. */
    public static TracerRuntime global() {
        TracerRuntime rt = global;
        if (rt == null) {
            synchronized (GLOBAL_LOCK) {
                if (global == null) {
                    global = create(TracerConfig.fromEnvironment());
                }
                rt = global;
            }
        }
        return rt;
    }

    /**
     * Makes a runtime with this configuration the global one; the previous one is flushed and closed.
     * Tracers already handed out by {@link io.aitrace.TracerFactory} switch to it.
     */
    public static TracerRuntime install(TracerConfig config) {
        TracerRuntime next = create(config);
        TracerRuntime previous;
        synchronized (GLOBAL_LOCK) {
            previous = global;
            global = next;
        }
        if (previous != null) {
            previous.close();
        }
        return next;
    }

    /** A tracer bound to this runtime. */
    public Tracer tracer(String name) {
        return new CoreTracer(name, () -> this);
    }

    /**
     * Writes the current span's W3C {@code traceparent}/{@code tracestate} (and {@code baggage} when
     * {@link TracerConfig#propagateBaggage()}) through {@code setter}: {@code Tracing.inject} for this runtime.
     */
    public void inject(java.util.function.BiConsumer<String, String> setter) {
        if (setter == null || !enabled()) {
            return;
        }
        try {
            propagation.inject(setter);
        } catch (RuntimeException e) {
            reportMisuse("inject", e);
        }
    }

    /**
     * The caller's span read from W3C headers through {@code getter}, a non-recording parent; the no-op span when
     * they are missing or malformed: {@code Tracing.extract} for this runtime.
     */
    public io.aitrace.Span extract(java.util.function.Function<String, String> getter) {
        if (getter == null) {
            return io.aitrace.helpers.NoopSpan.INSTANCE;
        }
        try {
            return propagation.extract(getter);
        } catch (RuntimeException e) {
            reportMisuse("extract", e);
            return io.aitrace.helpers.NoopSpan.INSTANCE;
        }
    }

    /** Hands a record to the writer; false (and counted as dropped) when the queue is full. Never blocks. */
    public boolean submit(TraceRecord record) {
        return writer.submit(record);
    }

    /** Queues a snapshot of a running span (processors get it as {@code onSnapshot}); never blocks. */
    public boolean submitSnapshot(SpanRecord span) {
        return writer.submitSnapshot(span);
    }

    /** A span's start: its start record is queued, or kept aside until needed ({@link DeferredStart}). */
    public boolean submitStart(DeferredStart span) {
        return writer.submitStart(span);
    }

    /** A span's end record; its start record goes out first, or is left out when it was still kept aside. */
    public boolean submitEnd(DeferredStart span, SpanRecord end) {
        return writer.submitEnd(span, end);
    }

    /** A snapshot of a span whose start record may be kept aside (that goes first); never blocks. */
    public boolean submitSnapshot(DeferredStart span, SpanRecord snapshot) {
        return writer.submitSnapshot(span, snapshot);
    }

    /** Queues a span's start record now if it is kept aside: a record of another thread is about to refer to it. */
    public void queueStart(DeferredStart span) {
        writer.queueStart(span);
    }

    /** Blocks until the records so far reached the targets, at most {@link TracerConfig#flushTimeout()}. */
    public boolean flush() {
        return writer.flush(config.flushTimeout());
    }

    /** Records dropped so far because the writer's queue was full. */
    public long droppedRecords() {
        return writer.dropped();
    }

    /** Records written to the targets so far. */
    public long writtenRecords() {
        return writer.written();
    }

    public TracerConfig config() {
        return config;
    }

    /** The byte targets records go to as JSON lines. */
    public List<Target> targets() {
        return targets;
    }

    /** The processors records go to as typed values (one of them encodes the JSON lines for the targets). */
    public List<RecordProcessor> processors() {
        return processors;
    }

    /** The converter for values, also for integrations that make their own records. */
    public ValueConverter converter() {
        return converter;
    }

    /** Flushes, closes the targets and reports what was lost. Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.close(config.flushTimeout());
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down already.
            }
        }
    }

    public boolean enabled() {
        return config.enabled() && !closed.get();
    }

    /** Epoch nanoseconds from a monotonic clock anchored at start, so durations never go negative. */
    public long now() {
        return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    }

    /**
     * True when spans come from the application's OpenTelemetry, whose exporters read what is set on them;
     * false when aitrace makes span IDs itself and starts no SDK span (every target works from aitrace's records).
     */
    public boolean copiesToOtel() {
        return otelTracer != null;
    }

    /** The tracer of the application's OpenTelemetry that spans are made with; a no-op tracer when there is none. */
    public io.opentelemetry.api.trace.Tracer otelTracer() {
        return otelTracer != null ? otelTracer : OpenTelemetry.noop().getTracer("io.aitrace");
    }

    public Map<String, String> resource() {
        return resource;
    }

    /** True when a new trace should be recorded, by the configured sample ratio. */
    public boolean sampleNewTrace() {
        double ratio = config.sampleRatio();
        return ratio >= 1.0 || (ratio > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < ratio);
    }

    /** error() on a span that already ended: the end record is written, so say once how to record it. */
    public void reportLateError(String spanName) {
        if (lateErrorReported.compareAndSet(false, true)) {
            Diagnostics.warn("error(...) on span '" + spanName + "' after it ended is ignored: record the error"
                    + " inside the try block, or use tracer.call(...) (further ones are not reported)");
        }
    }

    /** A span started where the current span had ended (on another thread): say once where it went instead. */
    public void reportEndedParent(String spanName, String endedName, String ancestorName) {
        if (endedParentReported.compareAndSet(false, true)) {
            Diagnostics.warn("span '" + spanName + "' was started under '" + endedName + "', which had already ended"
                    + " (closed on another thread?), so it is attached to "
                    + (ancestorName == null ? "the ended span's own parent (no aitrace span above it is open)"
                            : "'" + ancestorName + "'")
                    + " instead; start spans that end elsewhere with tracer.startSpan(...) and make them current"
                    + " with makeCurrent() (further ones are not reported)");
        }
    }

    /** A tracing call failed inside aitrace: say so once, never throw into the application. */
    public void reportBadEvaluation(String spanName) {
        if (badEvaluationReported.compareAndSet(false, true)) {
            Diagnostics.warn("evaluate(...) on span '" + spanName + "' is ignored: it needs a name and a score"
                    + " (a finite number) or a label (further ones are not reported)");
        }
    }

    public void reportMisuse(String what, Throwable cause) {
        if (misuseReported.compareAndSet(false, true)) {
            Diagnostics.warn("internal error in " + what + " (further ones are not reported)", cause);
        }
    }
}
