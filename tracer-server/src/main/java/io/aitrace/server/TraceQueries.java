package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.record.Timestamps;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** {@code GET /api/traces}: trace lists with filters and cursors. Parameterised SQL only. */
final class TraceQueries {
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 1000;

    private TraceQueries() {
    }

    /** {@code GET /api/traces}: newest first, one page. */
    static ObjectNode traces(Connection db, KeptTraces kept, ApiExchange request) throws SQLException {
        int limit = limit(request.param("limit"), DEFAULT_LIMIT);
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        String cursor = request.param("cursor");
        if (cursor != null) {
            String[] parts = decodeCursor(cursor);
            // a row value: SQLite seeks the (start_us, trace_id) index to it instead of scanning down from the top
            where.append(" AND (t.start_us, t.trace_id) < (?, ?)");
            args.add(Long.parseLong(parts[0]));
            args.add(parts[1]);
        }
        if (request.param("service") != null) {
            where.append(" AND t.service = ?");
            args.add(request.param("service"));
        }
        if (request.param("name") != null) {
            where.append(" AND t.root_name = ?");
            args.add(request.param("name"));
        }
        String status = request.param("status");
        if (status != null) {
            switch (status) {
                case "error": where.append(" AND t.error_count > 0"); break;
                case "ok": where.append(" AND t.error_count = 0 AND t.running = 0"); break;
                case "running": where.append(" AND t.running = 1"); break;
                default: throw new ApiException(400, "status must be error, ok or running, not '" + status + "'");
            }
        }
        if (request.param("min_duration_ms") != null) {
            where.append(" AND t.duration_ms >= ?");
            args.add(number("min_duration_ms", request.param("min_duration_ms")));
        }
        if (request.param("max_duration_ms") != null) {
            where.append(" AND t.duration_ms <= ?");
            args.add(number("max_duration_ms", request.param("max_duration_ms")));
        }
        if (request.param("since") != null) {
            where.append(" AND t.start_us >= ?");
            args.add(micros("since", request.param("since")));
        }
        if (request.param("until") != null) {
            where.append(" AND t.start_us < ?");
            args.add(micros("until", request.param("until")));
        }
        for (String attr : request.params("attr")) {
            int eq = attr.indexOf('=');
            if (eq <= 0 || attr.substring(0, eq).contains("\"") || attr.substring(0, eq).contains("\\")) {
                throw new ApiException(400, "attr must be key=value, not '" + attr + "'");
            }
            where.append(" AND EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id"
                    + " AND CAST(json_extract(s.record, ?) AS TEXT) = ?)");
            args.add("$.attributes.\"" + attr.substring(0, eq) + "\"");
            args.add(attr.substring(eq + 1));
        }
        TraceAnswers.filterByEvaluations(request.params("eval"), where, args);
        String q = request.param("q");
        if (q != null) {
            String match = SearchQueries.matchExpression(q);
            long traces = traceCount(db);
            long many = manyMatches(traces);
            long matches = countMatches(db, match, many);
            if (matches >= many) {
                // walk the traces newest first and ask the index about each one's own rows: a page fills quickly.
                // CROSS JOIN keeps that order: left free, SQLite 3.54 scans every match of the word for each trace
                where.append(" AND (EXISTS (SELECT 1 FROM spans s CROSS JOIN span_text f ON f.rowid = s.rowid"
                        + " WHERE s.trace_id = t.trace_id AND span_text MATCH ?) OR EXISTS (SELECT 1 FROM logs l"
                        + " CROSS JOIN log_text g ON g.rowid = l.id WHERE l.trace_id = t.trace_id AND log_text MATCH ?))");
            } else {
                // few matches: look up the trace of each and sort those. Some thousands: gather their trace IDs
                // once, then walk the traces newest first keeping those in the set (the unary + stops SQLite
                // from looking each one up instead), so a page needs about limit·traces/matches steps of the walk.
                // Not with a filter read from the trace's row: one that no match passes would walk every trace
                boolean walk = matches >= FEW_MATCHES && !filtersRows(request);
                where.append(walk ? " AND +t.trace_id IN (" : " AND t.trace_id IN (");
                where.append("SELECT s.trace_id FROM span_text JOIN spans s ON s.rowid = span_text.rowid"
                        + " WHERE span_text MATCH ? UNION ALL SELECT l.trace_id FROM log_text JOIN logs l"
                        + " ON l.id = log_text.rowid WHERE log_text MATCH ?)");
            }
            args.add(match);
            args.add(match);
        }
        String sql = "SELECT t.trace_id, t.root_name, t.service, t.start_us, t.duration_ms, t.span_count, t.log_count,"
                + " t.error_count, t.input_tokens, t.output_tokens, t.running, t.updated_us FROM traces t" + where
                + " ORDER BY t.start_us DESC, t.trace_id DESC LIMIT ?";
        args.add(limit + 1);
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        ArrayNode rows = answer.putArray("traces");
        List<String> stamps = new ArrayList<>();
        String next = null;
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    if (++n > limit) {
                        break;
                    }
                    ObjectNode row = rows.addObject();
                    row.put("trace_id", rs.getString(1));
                    row.put("root_name", rs.getString(2));
                    row.put("service", rs.getString(3));
                    row.put("start", Timestamps.format(instant(rs.getLong(4))));
                    double duration = rs.getDouble(5);
                    if (rs.wasNull()) {
                        row.putNull("duration_ms");
                    } else {
                        row.put("duration_ms", duration);
                    }
                    row.put("span_count", rs.getLong(6));
                    row.put("log_count", rs.getLong(7));
                    row.put("error_count", rs.getLong(8));
                    row.put("input_tokens", rs.getLong(9));
                    row.put("output_tokens", rs.getLong(10));
                    row.put("running", rs.getInt(11) == 1);
                    stamps.add(TraceAnswers.stamp(rs.getLong(12), rs.getLong(6)));
                    next = encodeCursor(rs.getLong(4), rs.getString(1));
                }
                answer.put("next_cursor", n > limit ? next : null);
            }
        }
        TraceAnswers.addTo(db, kept, rows, stamps);
        return answer;
    }

    /**
     * Below this many matching spans and log lines, {@code /api/traces?q=} looks up the trace of each match and sorts
     * them (some microseconds a match); from here on it walks the traces newest first against the set of their IDs
     * (at ten million records: 10 ms for 1,000 matches listed against 15 ms walked, 82 against 45 for 10,000).
     */
    static final int FEW_MATCHES = 2_000;

    /**
     * From how many matches probing the newest traces one by one beats the walk. The walk first gathers the trace
     * IDs of every match, about 4 µs a match; a probe asks the full-text index about one trace's rows, about 250 µs,
     * and with M matches among T traces a page of 50 needs about 50·T/M of them: the two cross near 56·√T matches
     * (56,000 at a million traces), where either costs about 0.2 s at ten million records.
     */
    static long manyMatches(long traces) {
        return Math.max(FEW_MATCHES, 56 * (long) Math.sqrt((double) traces));
    }

    /** Whether the request filters traces by what only their rows tell (not their start or ID). */
    private static boolean filtersRows(ApiExchange request) {
        for (String name : List.of("service", "name", "status", "min_duration_ms", "max_duration_ms")) {
            if (request.param(name) != null) {
                return true;
            }
        }
        return !request.params("attr").isEmpty() || !request.params("eval").isEmpty();
    }

    private static long traceCount(Connection db) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement("SELECT COALESCE(MAX(rowid), 0) FROM traces");
             ResultSet rs = sql.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** How many spans and log lines the words match, counted up to {@code bound} (so asking is cheap). */
    private static long countMatches(Connection db, String match, long bound) throws SQLException {
        try (PreparedStatement sql = db.prepareStatement("SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM span_text"
                + " WHERE span_text MATCH ?1 LIMIT ?2)) + (SELECT COUNT(*) FROM (SELECT 1 FROM log_text"
                + " WHERE log_text MATCH ?1 LIMIT ?2))")) {
            sql.setString(1, match);
            sql.setLong(2, bound);
            try (ResultSet rs = sql.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
    }

    static int limit(String text, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit < 1) {
                throw new NumberFormatException();
            }
            return Math.min(limit, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "limit must be a positive whole number, not '" + text + "'");
        }
    }

    private static double number(String name, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + " must be a number of milliseconds, not '" + text + "'");
        }
    }

    /** An ISO-8601 time, or a number of milliseconds since the epoch. */
    private static long micros(String name, String text) {
        Instant instant = Timestamps.parse(text);
        if (instant == null) {
            try {
                instant = Instant.ofEpochMilli(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new ApiException(400, name + " must be an ISO-8601 time or epoch milliseconds, not '" + text + "'");
            }
        }
        return RecordJson.micros(instant);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
    }

    private static String encodeCursor(long startUs, String traceId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((startUs + ":" + traceId).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
            Long.parseLong(parts[0]);
            if (parts.length == 2 && TRACE_ID.matcher(parts[1]).matches()) {
                return parts;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ApiException(400, "not a cursor from this server: '" + cursor + "'");
    }
}
