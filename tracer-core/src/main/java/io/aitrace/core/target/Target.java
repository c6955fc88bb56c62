package io.aitrace.core.target;

import java.io.IOException;

/**
 * Where JSON-lines records go: a file, stdout, a collector. Only the writer thread calls a target, so an
 * implementation needs no locking of its own for these calls. A target may be slow or fail; the writer
 * counts what it loses and the application never waits for it.
 */
public interface Target {

    /** One complete record: UTF-8 JSON followed by {@code '\n'}. The bytes are only valid during the call. */
    void write(byte[] line, int offset, int length) throws IOException;

    /** Pushes buffered records out (to the OS, the collector). May block the writer thread, never the app. */
    void flush() throws IOException;

    /** Flushes and releases the target. Stdout is flushed, never closed. */
    void close() throws IOException;

    /** What to call this target in messages, e.g. {@code file /home/me/trace.jsonl}. */
    String describe();
}
