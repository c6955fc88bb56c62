package io.aitrace.server;

/**
 * A record of format v1 ready for the store: its JSON text and every column value the writer binds, computed on
 * the thread that read the request, so the single writer thread does nothing but SQL.
 */
sealed interface RecordRow permits RecordRow.Span, RecordRow.Log, RecordRow.Evaluation {
    /** {@code "span"}, {@code "log"} or {@code "evaluation"}, the record's type and its event name on the live stream. */
    String type();

    /** The trace, lowercase hex; null for a log line outside any trace. */
    String traceId();

    /** The record as stored and returned: one line of JSON in format v1. */
    String json();

    /** A span record: one row of {@code spans} (its full-text index is made from {@code json} later). */
    record Span(String traceId, String spanId, String parentSpanId, String name, String service, String status,
            Long startUs, Long endUs, Long inputTokens, Long outputTokens, String json) implements RecordRow {
        @Override
        public String type() {
            return "span";
        }

        boolean ended() {
            return endUs != null;
        }
    }

    /**
     * A log record: one row of {@code logs}, stored once per {@code digest} in its trace. The digest is the first
     * {@value RecordJson#LOG_DIGEST_BYTES} bytes of the record's SHA-256, stored as a blob.
     */
    record Log(String traceId, String spanId, Long timestampUs, String level, byte[] digest, String json)
            implements RecordRow {
        @Override
        public String type() {
            return "log";
        }
    }

    /** An evaluation record sent for a span after it was written: one row of {@code evaluations}, stored once. */
    record Evaluation(String traceId, String spanId, Long timestampUs, String name, Double score, String label,
            String digest, String json) implements RecordRow {
        @Override
        public String type() {
            return "evaluation";
        }
    }
}
