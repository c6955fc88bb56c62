package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/search}: full-text hits over span names, annotations, attributes, inputs and outputs and over
 * log lines (SQLite FTS5). Snippets come as parts ({@code {"text":...,"hit":true}}) so no client parses HTML.
 */
final class SearchQueries {
    private static final String OPEN = "\u0002";
    private static final String CLOSE = "\u0003";
    private static final String[] SPAN_FIELDS = {"name", "annotations", "attributes", "io"};
    private static final int DEFAULT_LIMIT = 20;
    /** Matches ranked per search: the newest this many. */
    static final int RANKED = 1_000;

    private SearchQueries() {
    }

    /** The user's words as an FTS5 query: every word must occur; no operator syntax to get wrong. */
    static String matchExpression(String q) {
        List<String> terms = new ArrayList<>();
        for (String word : q.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                terms.add("\"" + word.replace("\"", "\"\"") + "\"");
            }
        }
        if (terms.isEmpty()) {
            throw new ApiException(400, "q must contain a word to search for");
        }
        return String.join(" ", terms);
    }

    static ObjectNode search(Connection db, ApiExchange request) throws SQLException {
        String q = request.param("q");
        if (q == null) {
            throw new ApiException(400, "missing q, the words to search for");
        }
        int limit = TraceQueries.limit(request.param("limit"), DEFAULT_LIMIT);
        String match = matchExpression(q);
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        ArrayNode hits = answer.putArray("hits");
        String snippets = String.join(", ", snippet(0), snippet(1), snippet(2), snippet(3));
        try (PreparedStatement statement = db.prepareStatement("SELECT s.trace_id, s.span_id, s.name, " + snippets
                + " FROM span_text JOIN spans s ON s.rowid = span_text.rowid WHERE span_text MATCH ?1"
                + " AND " + newest("span_text") + " ORDER BY rank LIMIT ?2")) {
            statement.setString(1, match);
            statement.setInt(2, limit);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    for (int column = 0; column < SPAN_FIELDS.length; column++) {
                        String snippet = rs.getString(4 + column);
                        if (snippet != null && snippet.contains(OPEN)) {
                            hit(hits, rs.getString(1), rs.getString(2), rs.getString(3), SPAN_FIELDS[column], snippet);
                            break;
                        }
                    }
                }
            }
        }
        if (hits.size() < limit) {
            try (PreparedStatement statement = db.prepareStatement("SELECT l.trace_id, l.span_id, "
                    + "snippet(log_text, -1, '" + OPEN + "', '" + CLOSE + "', '…', 12), s.name"
                    + " FROM log_text JOIN logs l ON l.id = log_text.rowid LEFT JOIN spans s"
                    + " ON s.trace_id = l.trace_id AND s.span_id = l.span_id WHERE log_text MATCH ?1"
                    + " AND " + newest("log_text") + " ORDER BY rank LIMIT ?2")) {
                statement.setString(1, match);
                statement.setInt(2, limit - hits.size());
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        hit(hits, rs.getString(1), rs.getString(2), rs.getString(4), "log", rs.getString(3));
                    }
                }
            }
        }
        return answer;
    }

    /**
     * Keeps a search to the {@value #RANKED} newest rows that match (rowids grow with ingest): ranking every match of
     * a word found in millions of rows computes a score for each of them, seconds instead of milliseconds. FTS5
     * walks a word's rows newest first and seeks to a rowid, so both the bound and the ranking read few rows.
     */
    private static String newest(String table) {
        return table + ".rowid >= COALESCE((SELECT rowid FROM " + table + " WHERE " + table + " MATCH ?1"
                + " ORDER BY rowid DESC LIMIT 1 OFFSET " + (RANKED - 1) + "), 0)";
    }

    private static String snippet(int column) {
        return "snippet(span_text, " + column + ", '" + OPEN + "', '" + CLOSE + "', '…', 12)";
    }

    private static void hit(ArrayNode hits, String traceId, String spanId, String name, String field, String snippet) {
        ObjectNode hit = hits.addObject();
        hit.put("trace_id", traceId);
        hit.put("span_id", spanId);
        hit.put("name", name);
        hit.put("field", field);
        ArrayNode parts = hit.putArray("snippet");
        snippet = snippet.replaceAll("\\s+", " ").strip(); // the indexed text has a line per value
        int at = 0;
        while (at < snippet.length()) {
            int open = snippet.indexOf(OPEN, at);
            if (open < 0) {
                part(parts, snippet.substring(at), false);
                break;
            }
            part(parts, snippet.substring(at, open), false);
            int close = snippet.indexOf(CLOSE, open);
            close = close < 0 ? snippet.length() : close;
            part(parts, snippet.substring(open + 1, close), true);
            at = close + 1;
        }
    }

    private static void part(ArrayNode parts, String text, boolean hit) {
        if (!text.isEmpty()) {
            parts.addObject().put("text", text).put("hit", hit);
        }
    }
}
