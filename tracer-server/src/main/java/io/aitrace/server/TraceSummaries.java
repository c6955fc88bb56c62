package io.aitrace.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-trace summary rows that {@code /api/traces} reads, kept up to date incrementally: each stored span or log
 * changes its trace's row by what it adds or replaces, so storing a batch costs the same whether its trace holds ten
 * spans or a million. A transaction reads each touched row once, changes it in memory and writes it once at commit.
 *
 * <p>The root is the earliest span without a parent, else the earliest span whose parent is not stored: a span
 * arriving before its parent may stand in as root until the parent, or a span without one, arrives.
 */
final class TraceSummaries {
    private static final class Summary {
        /** The trace had a summary row when this transaction first read it. */
        boolean stored;
        /** A record was counted into it: only then is its row written (a stale start record changes nothing). */
        boolean counted;
        String rootName;
        String service;
        String rootSpanId;
        String rootParentId;
        Long rootStartUs;
        Long startUs;
        Long endUs;
        long spans;
        long logs;
        long errors;
        long inputTokens;
        long outputTokens;
        long runningSpans;

        void time(Long us) {
            if (us != null) {
                startUs = startUs == null ? us : Math.min(startUs, us);
                endUs = endUs == null ? us : Math.max(endUs, us);
            }
        }
    }

    /** What a span row held before a write replaced it. */
    record OldSpan(long rowid, String status, boolean ended, Long inputTokens, Long outputTokens) {
    }

    /** Trace IDs in one statement of {@link #preload}. */
    static final int PRELOAD = 64;
    /** Summary rows written by one statement. */
    static final int SAVE_ROWS = 16;
    private static final int SAVE_COLUMNS = 17;
    private static final String COLUMNS = "root_name, service, start_us, end_us, span_count, log_count, error_count,"
            + " input_tokens, output_tokens, running_spans, root_span_id, root_parent_id, root_start_us";

    private final PreparedStatement load;
    private final PreparedStatement loadMany;
    /** {@link #save}'s upserts, by the rows they write. */
    private final RowStatements saves;
    private final PreparedStatement spanExists;
    private final Map<String, Summary> pending = new HashMap<>();
    /** The trace last asked for and its summary: a batch's records come trace by trace. */
    private String lastTraceId;
    private Summary last;

    TraceSummaries(Connection db) throws SQLException {
        saves = new RowStatements(db, SAVE_ROWS, "INSERT INTO traces (trace_id, root_name, service, start_us, end_us,"
                + " duration_ms, span_count, log_count, error_count, input_tokens, output_tokens, running,"
                + " running_spans, root_span_id, root_parent_id, root_start_us, updated_us) VALUES ",
                "(" + "?,".repeat(SAVE_COLUMNS - 1) + "?)",
                " ON CONFLICT (trace_id) DO UPDATE SET root_name = excluded.root_name,"
                + " service = excluded.service, start_us = excluded.start_us, end_us = excluded.end_us,"
                + " duration_ms = excluded.duration_ms, span_count = excluded.span_count,"
                + " log_count = excluded.log_count, error_count = excluded.error_count,"
                + " input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,"
                + " running = excluded.running, running_spans = excluded.running_spans,"
                + " root_span_id = excluded.root_span_id, root_parent_id = excluded.root_parent_id,"
                + " root_start_us = excluded.root_start_us, updated_us = excluded.updated_us");
        load = db.prepareStatement("SELECT " + COLUMNS + " FROM traces WHERE trace_id = ?");
        loadMany = db.prepareStatement("SELECT " + COLUMNS + ", trace_id FROM traces WHERE trace_id IN (?"
                + ",?".repeat(PRELOAD - 1) + ")");
        spanExists = db.prepareStatement("SELECT 1 FROM spans WHERE trace_id = ? AND span_id = ?");
    }

    /**
     * Whether a span of this trace may be stored: false for a trace without a summary row (every stored span has
     * one) that this transaction has not stored a span of, so a new trace's spans need no lookup.
     */
    boolean mayHoldSpans(String traceId) throws SQLException {
        Summary s = summary(traceId);
        return s.stored || s.spans > 0;
    }

    /** Counts a span just stored; {@code old} is the row it replaced, null for a new span. */
    void span(RecordRow.Span span, OldSpan old) throws SQLException {
        Summary s = summary(span.traceId());
        s.counted = true;
        if (old == null) {
            s.spans++;
        } else {
            s.errors -= "error".equals(old.status()) ? 1 : 0;
            s.inputTokens -= value(old.inputTokens());
            s.outputTokens -= value(old.outputTokens());
            s.runningSpans -= old.ended() ? 0 : 1;
        }
        s.errors += "error".equals(span.status()) ? 1 : 0;
        s.inputTokens += value(span.inputTokens());
        s.outputTokens += value(span.outputTokens());
        s.runningSpans += span.ended() ? 0 : 1;
        s.time(span.startUs());
        s.time(span.endUs());
        if (span.spanId().equals(s.rootSpanId)) {
            s.rootName = span.name();
            s.service = span.service();
            s.rootParentId = span.parentSpanId();
            s.rootStartUs = span.startUs();
        } else if (becomesRoot(s, span)) {
            s.rootSpanId = span.spanId();
            s.rootParentId = span.parentSpanId();
            s.rootStartUs = span.startUs();
            s.rootName = span.name();
            s.service = span.service();
        }
    }

    private boolean becomesRoot(Summary s, RecordRow.Span span) throws SQLException {
        boolean parentless = span.parentSpanId() == null;
        if (s.rootSpanId == null || span.spanId().equals(s.rootParentId)) {
            return true; // the first span, or the parent the stand-in root was waiting for
        }
        if (s.rootParentId == null && !parentless) {
            return false; // a real root is known and this span has a parent
        }
        if (s.rootParentId != null && parentless) {
            return true; // a real root replaces a stand-in
        }
        boolean earlier = span.startUs() != null && (s.rootStartUs == null || span.startUs() < s.rootStartUs);
        if (!earlier) {
            return false;
        }
        if (parentless) {
            return true;
        }
        spanExists.setString(1, span.traceId());
        spanExists.setString(2, span.parentSpanId());
        try (ResultSet rs = spanExists.executeQuery()) {
            return !rs.next();
        }
    }

    /** Counts a log line just stored. */
    void log(RecordRow.Log log) throws SQLException {
        Summary s = summary(log.traceId());
        s.counted = true;
        s.logs++;
        String level = log.level();
        if ("error".equals(level) || "critical".equals(level) || "fatal".equals(level)) {
            s.errors++;
        }
        s.time(log.timestampUs());
    }

    /** Forgets what this transaction counted for a trace that is being deleted. */
    void forget(String traceId) {
        pending.remove(traceId);
        forgetLast();
    }

    /** Forgets everything counted since the last {@link #save}: the transaction rolled back. */
    void discard() {
        pending.clear();
        forgetLast();
    }

    private void forgetLast() {
        lastTraceId = null;
        last = null;
    }

    /** Writes the summary rows this transaction changed, {@value #SAVE_ROWS} to a statement. */
    void save(long nowMicros) throws SQLException {
        List<Map.Entry<String, Summary>> rows = new ArrayList<>(pending.size());
        for (Map.Entry<String, Summary> entry : pending.entrySet()) {
            if (entry.getValue().counted) {
                rows.add(entry); // one only looked at (mayHoldSpans) keeps its row as it is, stamp included
            }
        }
        for (int from = 0; from < rows.size(); from += SAVE_ROWS) {
            int to = Math.min(rows.size(), from + SAVE_ROWS);
            PreparedStatement save = saves.rows(to - from);
            for (int i = from; i < to; i++) {
                bind(save, (i - from) * SAVE_COLUMNS, rows.get(i).getKey(), rows.get(i).getValue(), nowMicros);
            }
            save.executeUpdate();
        }
        pending.clear();
        forgetLast();
    }

    private static void bind(PreparedStatement save, int at, String traceId, Summary s, long nowMicros)
            throws SQLException {
        long start = s.startUs != null ? s.startUs : nowMicros;
        save.setString(at + 1, traceId);
        save.setString(at + 2, s.rootName);
        save.setString(at + 3, s.service);
        save.setLong(at + 4, start);
        SpanWrites.setLong(save, at + 5, s.endUs);
        if (s.endUs == null) {
            save.setNull(at + 6, Types.REAL);
        } else {
            save.setDouble(at + 6, (s.endUs - start) / 1000.0);
        }
        save.setLong(at + 7, s.spans);
        save.setLong(at + 8, s.logs);
        save.setLong(at + 9, s.errors);
        save.setLong(at + 10, s.inputTokens);
        save.setLong(at + 11, s.outputTokens);
        save.setInt(at + 12, s.runningSpans > 0 ? 1 : 0);
        save.setLong(at + 13, s.runningSpans);
        save.setString(at + 14, s.rootSpanId);
        save.setString(at + 15, s.rootParentId);
        SpanWrites.setLong(save, at + 16, s.rootStartUs);
        save.setLong(at + 17, nowMicros);
    }

    /**
     * Reads the summary rows of these traces, {@value #PRELOAD} to a statement, unless this transaction has them:
     * a batch's new traces cost a statement, not one each.
     */
    void preload(Collection<String> traceIds) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String traceId : traceIds) {
            if (!pending.containsKey(traceId)) {
                missing.add(traceId);
            }
        }
        for (int from = 0; from < missing.size(); from += PRELOAD) {
            List<String> chunk = missing.subList(from, Math.min(missing.size(), from + PRELOAD));
            for (int i = 0; i < PRELOAD; i++) {
                loadMany.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1))); // the last again: no match twice
            }
            for (String traceId : chunk) {
                pending.put(traceId, new Summary());
            }
            try (ResultSet rs = loadMany.executeQuery()) {
                while (rs.next()) {
                    read(rs, pending.get(rs.getString(14)));
                }
            }
        }
    }

    private Summary summary(String traceId) throws SQLException {
        if (traceId.equals(lastTraceId)) {
            return last;
        }
        Summary s = pending.get(traceId);
        if (s == null) {
            s = new Summary();
            load.setString(1, traceId);
            try (ResultSet rs = load.executeQuery()) {
                if (rs.next()) {
                    read(rs, s);
                }
            }
            pending.put(traceId, s);
        }
        lastTraceId = traceId;
        last = s;
        return s;
    }

    /** A stored summary row ({@link #COLUMNS}) into a summary of this transaction. */
    private static void read(ResultSet rs, Summary s) throws SQLException {
        s.stored = true;
        s.rootName = rs.getString(1);
        s.service = rs.getString(2);
        s.startUs = SpanWrites.longOrNull(rs, 3);
        s.endUs = SpanWrites.longOrNull(rs, 4);
        s.spans = rs.getLong(5);
        s.logs = rs.getLong(6);
        s.errors = rs.getLong(7);
        s.inputTokens = rs.getLong(8);
        s.outputTokens = rs.getLong(9);
        s.runningSpans = rs.getLong(10);
        s.rootSpanId = rs.getString(11);
        s.rootParentId = rs.getString(12);
        s.rootStartUs = SpanWrites.longOrNull(rs, 13);
    }

    private static long value(Long tokens) {
        return tokens == null ? 0 : tokens;
    }


    /** Closes the prepared statements. */
    void close() throws SQLException {
        load.close();
        loadMany.close();
        saves.close();
        spanExists.close();
    }
}
