package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.record.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code GET /api/trace/{id}/timeline?bins=N}: a huge trace's activity over time in N equal bins, for a timeline
 * overview that a viewer draws without loading the spans: per bin, how many spans ran in it, how many started,
 * how many of those failed, and the first span that started in it (null if none), for a click to jump to. One pass over the spans' times; no record is read.
 */
final class TraceTimeline {
    private static final int DEFAULT_BINS = 200;
    private static final int MAX_BINS = 2000;

    private TraceTimeline() {
    }

    static ObjectNode bins(Connection db, String traceId, ApiExchange request) throws SQLException {
        String id = TracePages.traceId(traceId);
        int bins = binCount(request.param("bins"));
        long first;
        long last;
        try (PreparedStatement sql = db.prepareStatement("SELECT MIN(start_us), MAX(COALESCE(end_us, start_us))"
                + " FROM spans WHERE trace_id = ?")) {
            sql.setString(1, id);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                first = rs.getLong(1);
                if (rs.wasNull()) {
                    throw new ApiException(404, "no trace " + id);
                }
                last = rs.getLong(2);
            }
        }
        long width = Math.max(1, (last - first + bins - 1) / bins);
        long[] change = new long[bins + 1];
        long[] started = new long[bins];
        long[] errors = new long[bins];
        long[] firstStart = new long[bins];
        String[] firstSpan = new String[bins];
        try (PreparedStatement sql = db.prepareStatement("SELECT start_us, end_us, status, span_id FROM spans"
                + " WHERE trace_id = ? AND start_us IS NOT NULL")) {
            sql.setString(1, id);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    int from = bin(rs.getLong(1), first, width, bins);
                    long end = rs.getLong(2);
                    int to = rs.wasNull() ? bins - 1 : bin(end, first, width, bins); // still running: to the end
                    change[from]++;
                    change[to + 1]--;
                    started[from]++;
                    long start = rs.getLong(1);
                    if (firstSpan[from] == null || start < firstStart[from]) {
                        firstStart[from] = start;
                        firstSpan[from] = rs.getString(4);
                    }
                    if ("error".equals(rs.getString(3))) {
                        errors[from]++;
                    }
                }
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
