package io.aitrace.core.record;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Says that the writer's queue was full and records were dropped:
 * {@code {"v":1,"type":"dropped","timestamp":...,"count":N,"total":M}}, where {@code count} is the number
 * dropped since the previous such record and {@code total} the number since the process started.
 */
public record DroppedRecord(long epochNanos, long count, long total, int queueCapacity) implements TraceRecord {
    @Override
    public void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("v", 1);
        json.writeStringField("type", "dropped");
        json.writeStringField("timestamp", Timestamps.formatEpochNanos(epochNanos));
        json.writeNumberField("count", count);
        json.writeNumberField("total", total);
        json.writeNumberField("queue_capacity", queueCapacity);
        json.writeEndObject();
    }
}
