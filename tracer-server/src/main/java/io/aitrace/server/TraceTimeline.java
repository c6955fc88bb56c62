package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.record.Timestamps;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code GET /api/trace/{id}/timeline?bins=N}: a huge trace's activity over time in N equal bins, for a timeline
 * overview that a viewer draws without loading the spans: per bin, how many spans ran in it, how many started,
 * how many of those failed, and the first span that started in it (null if none), for a click to jump to. One pass
 * over the times kept in the trace's {@link TraceShape}; no record is read.
 */
final class TraceTimeline {
    private static final int DEFAULT_BINS = 200;
    private static final int MAX_BINS = 2000;

    private TraceTimeline() {
    }

    static ObjectNode bins(Connection db, KeptTraces kept, String traceId, ApiExchange request) throws SQLException {
        String id = TracePages.traceId(traceId);
        int bins = binCount(request.param("bins"));
        TraceShape shape = kept.shape(db, id);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < shape.size(); i++) {
            if (shape.starts[i] != TraceShape.NO_TIME) {
                first = Math.min(first, shape.starts[i]);
                last = Math.max(last, shape.ends[i] != TraceShape.NO_TIME ? shape.ends[i] : shape.starts[i]);
            }
        }
        if (first == Long.MAX_VALUE) {
            throw new ApiException(404, "no span of trace " + id + " has a start time");
        }
        long width = Math.max(1, (last - first + bins - 1) / bins);
        long[] change = new long[bins + 1];
        long[] started = new long[bins];
        long[] errors = new long[bins];
        String[] firstSpan = new String[bins]; // spans are in start order: the first seen in a bin started first
        for (int i = 0; i < shape.size(); i++) {
            if (shape.starts[i] == TraceShape.NO_TIME) {
                continue;
            }
            int from = bin(shape.starts[i], first, width, bins);
            int to = shape.ends[i] == TraceShape.NO_TIME ? bins - 1 : bin(shape.ends[i], first, width, bins); // running
            change[from]++;
            change[to + 1]--;
            started[from]++;
            if (shape.failed[i]) {
                errors[from]++;
            }
            if (firstSpan[from] == null) {
                firstSpan[from] = shape.id(i);
            }
        }
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        answer.put("trace_id", id);
        answer.put("start", Timestamps.format(TraceQueries.instant(first)));
        answer.put("end", Timestamps.format(TraceQueries.instant(last)));
        answer.put("bin_ms", width / 1000.0);
        ArrayNode running = answer.putArray("running");
        ArrayNode startedArray = answer.putArray("started");
        ArrayNode errorArray = answer.putArray("errors");
        ArrayNode firstArray = answer.putArray("first_span");
        long active = 0;
        for (int i = 0; i < bins; i++) {
            active += change[i];
            running.add(active);
            startedArray.add(started[i]);
            errorArray.add(errors[i]);
            firstArray.add(firstSpan[i]);
        }
        return answer;
    }

    private static int bin(long micros, long first, long width, int bins) {
        return (int) Math.max(0, Math.min(bins - 1, (micros - first) / width));
    }

    private static int binCount(String text) {
        if (text == null) {
            return DEFAULT_BINS;
        }
        try {
            int bins = Integer.parseInt(text);
            if (bins >= 1 && bins <= MAX_BINS) {
                return bins;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new ApiException(400, "bins must be a whole number from 1 to " + MAX_BINS + ", not '" + text + "'");
    }
}
