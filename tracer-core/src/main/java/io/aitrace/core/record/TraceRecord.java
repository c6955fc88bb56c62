package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** One line of the record format, immutable once submitted; written as JSON on the writer thread. */
public interface TraceRecord {

    /** Writes the record as one JSON object (no newline). */
    void writeTo(JsonGenerator json) throws IOException;

    /** True for the end record of a root span: the writer flushes its targets after it. */
    default boolean endsTrace() {
        return false;
    }
}
