package io.aitrace.read;

import java.time.Instant;

/**
 * A note on a span saying why something happened, read back from a trace.
 *
 * @param timestamp when it was written, or null if the record had none
 * @param text the note
 */
public record Annotation(Instant timestamp, String text) {
}
