package io.aitrace.core.pipeline;

import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import java.io.IOException;

/**
 * An in-process consumer of records: gets each record as a typed, immutable, already converted and masked value,
 * on aitrace's writer thread, in the order the records were written. One built-in processor encodes every record
 * once as a JSON line for the byte {@link io.aitrace.core.target.Target}s (file, stdout, collector); the console
 * tree, {@link io.aitrace.core.target.MemoryTraces}, span listeners and OTLP export are processors of their own and
 * never read JSON.
 *
 * <pre>{@code
 * TracerRuntime.create(TracerConfig.builder().addProcessor(new RecordProcessor() {
 *     public void onEnd(SpanRecord span) { if ("error".equals(span.status())) alerts.send(span.name()); }
 * }).build());
 * }</pre>
 *
 * Every method has a default that does nothing. An exception thrown by a processor is caught and reported once on
 * stderr; the processor keeps getting records. Keep them quick: a slow processor delays the writer like a slow
 * target. The values inside the records ({@code JsonNode} trees) are shared: do not change them.
 */
public interface RecordProcessor {

    /**
     * True when this processor needs the start record of every span. When no processor needs them, a span's
     * start record is kept aside until something needs it and left out when the span ends first, and the writer
     * leaves out a start record whose end record is in the same batch (the end says all it says); a span that
     * runs on still gets its {@code onStart}, within the flush interval.
     */
    default boolean needsStartRecords() {
        return false;
    }

    /** A span started ({@code end} 0, status {@code running}). */
    default void onStart(SpanRecord span) {
    }

    /** {@code snapshot()} was called on a running span. */
    default void onSnapshot(SpanRecord span) {
    }

    /** A span ended. */
    default void onEnd(SpanRecord span) {
    }

    /** A log line, with the IDs of the span it was logged in (or none). */
    default void onLog(LogRecord log) {
    }

    /** An evaluation result submitted on its own, for a span written before. */
    default void onEvaluation(EvaluationRecord evaluation) {
    }

    /** Any other record: the writer's {@code dropped} counts, or a record type an integration submitted. */
    default void onOther(TraceRecord record) {
    }

    /** Pushes out what is buffered: on the flush interval, after a root span ended, and on {@code flush()}. */
    default void flush() throws IOException {
    }

    /** The runtime is closing: release what is held. Called once, after the last record. */
    default void close() throws IOException {
    }

    /** A short description for messages. */
    default String describe() {
        return getClass().getSimpleName();
    }
}
