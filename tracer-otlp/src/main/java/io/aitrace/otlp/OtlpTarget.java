package io.aitrace.otlp;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Sends ended spans over OTLP/HTTP (protobuf) to Jaeger, Tempo, an OpenTelemetry Collector, Langfuse,
 * Phoenix or any other OTLP receiver, through the OpenTelemetry SDK's {@link OtlpHttpSpanExporter}. A
 * {@link RecordProcessor}: it builds the spans from the typed records (nanosecond times), never from JSON.
 * Start and snapshot records are not sent (an OTLP span cannot change once sent); they mark a span as
 * open, and log records written under an open span become {@code log} events of that span when it ends.
 * Evaluations inside a span record become {@code gen_ai.evaluation.result} span events; an evaluation record for
 * a span already sent ({@code span.evaluate(...)} after {@code close()}, an evaluator's record) becomes a
 * {@code gen_ai.evaluation.result} event as the GenAI conventions define it: an OTLP log record with that event
 * name and the span's IDs, sent to the logs endpoint beside the traces one ({@code …/v1/logs}).
 * Runs on the writer thread like every processor, and never waits for the network there: a batch is handed
 * to the exporter's own thread on every flush (or every {@value #BATCH} spans). Spans that cannot be
 * sent (endpoint down, rejected, too many batches waiting) are counted; the first failure is reported
 * on stderr at once, the totals at close. The targets never notice.
 *
 * <pre>{@code OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 java -jar agent.jar}</pre>
 */
public final class OtlpTarget implements RecordProcessor {
    static final int BATCH = 512;
    /** Spans handed to the exporter and not yet answered; more than this are counted as failed, not queued. */
    static final int MAX_IN_FLIGHT = 16 * BATCH;
    static final int MAX_OPEN_SPANS = 10_000;
    /** Log events kept per span; a span that logs more keeps its first ones. */
    static final int MAX_LOG_EVENTS = 128;
    /** The exporter logs each failure through java.util.logging; aitrace reports its own failures once. */
    private static final Logger EXPORTER_LOG = Logger.getLogger("io.opentelemetry.exporter.otlp.internal.HttpExporter");

    static {
        Filter previous = EXPORTER_LOG.getFilter();
        EXPORTER_LOG.setFilter(r -> !OtlpHttpSender.onSenderThread() && (previous == null || previous.isLoggable(r)));
    }

    private final String endpoint;
    private final Map<String, String> headers;
    private final SpanExporter exporter;
    /** Made on the first evaluation of a span already sent: most runs never need it. */
    private LogRecordExporter evaluationExporter;
    private final List<LogRecordData> pendingEvaluations = new ArrayList<>();
    private Resource lastResource = Resource.empty();
    private final Duration closeTimeout;
    private final List<SpanData> pending = new ArrayList<>();
    /** Log events per span that started and has not ended yet; the oldest go when too many never end. */
    private final Map<String, List<EventData>> openSpans = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<EventData>> eldest) {
            return size() > MAX_OPEN_SPANS;
        }
    };
    private final ConcurrentLinkedQueue<CompletableResultCode> inFlight = new ConcurrentLinkedQueue<>();
    private final AtomicLong inFlightSpans = new AtomicLong();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong exportedEvaluations = new AtomicLong();
    private final AtomicLong failedEvaluations = new AtomicLong();
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private boolean closed;

    /**
     * @param endpoint the full traces URL, e.g. {@code http://localhost:4318/v1/traces}
     * @param headers sent with every request (e.g. {@code Authorization})
     * @param timeout how long one request may take, and how long {@link #close()} waits for the last ones
     */
    public OtlpTarget(String endpoint, Map<String, String> headers, Duration timeout) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.closeTimeout = timeout;
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(timeout)
                .setComponentLoader(OtlpHttpSender.componentLoader())
                .setRetryPolicy(RETRY);
        headers.forEach(builder::addHeader);
        this.exporter = builder.build();
    }

    /** A short retry: a down endpoint is reported within seconds, not after half a minute. */
    private static final RetryPolicy RETRY = RetryPolicy.builder().setMaxAttempts(3)
            .setInitialBackoff(Duration.ofMillis(500)).setMaxBackoff(Duration.ofSeconds(2)).build();

    /** The logs URL beside the traces URL ({@code …/v1/traces} → {@code …/v1/logs}), or null for another path. */
    static String logsUrl(String tracesUrl) {
        return tracesUrl.endsWith("/v1/traces")
                ? tracesUrl.substring(0, tracesUrl.length() - "/v1/traces".length()) + "/v1/logs" : null;
    }

    @Override
    public void onStart(SpanRecord span) {
        if (!closed) {
            openSpans.computeIfAbsent(span.spanId(), id -> new ArrayList<>());
        }
    }

    @Override
    public void onLog(LogRecord log) {
        List<EventData> events = closed || log.spanId() == null ? null : openSpans.get(log.spanId());
        if (events != null && events.size() < MAX_LOG_EVENTS) {
            events.add(OtlpSpan.logEvent(log));
        }
    }

    @Override
    public void onEnd(SpanRecord record) {
        if (closed) {
            return;
        }
        List<EventData> logs = openSpans.remove(record.spanId());
        OtlpSpan span = OtlpSpan.fromRecord(record, logs == null ? List.of() : logs);
        if (span != null) {
            lastResource = span.getResource();
            pending.add(span);
            if (pending.size() >= BATCH) {
                exportSpans();
            }
        }
    }

    /**
     * An evaluation for a span still open becomes an event of that span; one for a span already sent becomes a
     * {@code gen_ai.evaluation.result} log record.
     */
    @Override
    public void onEvaluation(EvaluationRecord evaluation) {
        if (closed) {
            return;
        }
        List<EventData> events = evaluation.spanId() == null ? null : openSpans.get(evaluation.spanId());
        if (events != null) {
            events.add(EventData.create(evaluation.epochNanos(), io.aitrace.genai.GenAi.EVALUATION_RESULT,
                    evaluation.otelAttributes()));
            return;
        }
        OtlpEvaluation record = OtlpEvaluation.of(evaluation, lastResource);
        if (record != null) {
            pendingEvaluations.add(record);
            if (pendingEvaluations.size() >= BATCH) {
                exportEvaluations();
            }
        }
    }

    /** Hands the pending spans and evaluations to the exporters; does not wait for the answers. */
    @Override
    public void flush() {
        export();
    }

    private void exportEvaluations() {
        if (pendingEvaluations.isEmpty()) {
            return;
        }
        List<LogRecordData> batch = List.copyOf(pendingEvaluations);
        pendingEvaluations.clear();
        String url = logsUrl(endpoint);
        if (url == null) {
            failedEvaluations(batch.size(), "the traces endpoint does not end in /v1/traces, so there is no logs"
                    + " endpoint beside it");
            return;
        }
        CompletableResultCode result;
        try {
            if (evaluationExporter == null) {
                var builder = OtlpHttpLogRecordExporter.builder().setEndpoint(url).setTimeout(closeTimeout)
                        .setComponentLoader(OtlpHttpSender.componentLoader()).setRetryPolicy(RETRY);
                headers.forEach(builder::addHeader);
                evaluationExporter = builder.build();
            }
            result = evaluationExporter.export(batch);
        } catch (RuntimeException e) {
            failedEvaluations(batch.size(), Diagnostics.describe(e));
            return;
        }
        inFlight.add(result);
        result.whenComplete(() -> {
            inFlight.remove(result);
            if (result.isSuccess()) {
                exportedEvaluations.addAndGet(batch.size());
            } else {
                Throwable cause = result.getFailureThrowable();
                failedEvaluations(batch.size(), cause == null ? "the export failed" : Diagnostics.describe(cause));
            }
        });
    }

    private void failedEvaluations(int count, String reason) {
        if (failedEvaluations.getAndAdd(count) == 0) {
            Diagnostics.warn("cannot export evaluations of spans already sent to " + endpoint + " over OTLP ("
                    + reason + "); the total is reported at shutdown");
        }
    }

    private void export() {
        exportSpans();
        exportEvaluations(); // after the spans they belong to
    }

    private void exportSpans() {
        if (pending.isEmpty()) {
            return;
        }
        List<SpanData> batch = List.copyOf(pending);
        pending.clear();
        int count = batch.size();
        if (inFlightSpans.get() + count > MAX_IN_FLIGHT) {
            failed(count, "the endpoint is slower than the application makes spans ("
                    + inFlightSpans.get() + " spans still waiting for an answer)");
            return;
        }
        inFlightSpans.addAndGet(count);
        CompletableResultCode result;
        try {
            result = exporter.export(batch);
        } catch (RuntimeException e) {
            inFlightSpans.addAndGet(-count);
            failed(count, Diagnostics.describe(e));
            return;
        }
        inFlight.add(result);
        result.whenComplete(() -> {
            inFlightSpans.addAndGet(-count);
            inFlight.remove(result);
            if (result.isSuccess()) {
                exported.addAndGet(count);
            } else {
                Throwable cause = result.getFailureThrowable();
                failed(count, cause == null ? "the export failed" : Diagnostics.describe(cause));
            }
        });
    }

    private void failed(long count, String reason) {
        failed.addAndGet(count);
        if (failureReported.compareAndSet(false, true)) {
            Diagnostics.warn("cannot export spans to OTLP endpoint " + endpoint + " (" + reason + "); " + count
                    + " spans lost so far, the file and stdout targets are not affected; the total is reported"
                    + " at shutdown");
        }
    }

    /** Sends what is pending, waits for the answers at most the timeout, and reports the spans lost. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        export();
        closed = true;
        // The writer interrupts its thread to end it; wait for the answers all the same, then pass that on.
        boolean interrupted = Thread.interrupted();
        try {
            CompletableResultCode.ofAll(List.copyOf(inFlight)).join(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        long unanswered = inFlightSpans.get();
        exporter.shutdown();
        if (evaluationExporter != null) {
            evaluationExporter.shutdown();
        }
        if (failedEvaluations.get() > 0) {
            Diagnostics.warn(failedEvaluations.get() + " of " + (failedEvaluations.get() + exportedEvaluations.get())
                    + " evaluations of spans already sent could not be exported over OTLP");
        }
        long lost = failed.get() + unanswered;
        if (lost > 0) {
            Diagnostics.warn(lost + " of " + (lost + exported.get()) + " spans could not be exported to OTLP endpoint "
                    + endpoint + (unanswered > 0 ? " (" + unanswered + " still unanswered at shutdown)" : ""));
        }
    }

    /** Spans the endpoint accepted so far. */
    public long exportedSpans() {
        return exported.get();
    }

    /** Evaluations of spans already sent that the logs endpoint accepted so far. */
    public long exportedEvaluations() {
        return exportedEvaluations.get();
    }

    /** Spans that could not be sent so far. */
    public long failedSpans() {
        return failed.get();
    }

    @Override
    public String describe() {
        return "OTLP endpoint " + endpoint;
    }
}
