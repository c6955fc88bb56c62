package io.aitrace.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The full-text index ({@code span_text}, {@code log_text}), filled behind ingest instead of inside it: a stored
 * span or log row is indexed later, by rowid order, from its stored record. {@code text_index} keeps, per table,
 * the highest rowid indexed, and moves in the same transaction as the index rows, so after a crash indexing
 * resumes where it stopped and a record is never indexed twice or skipped. Only the store's writer thread uses
 * it: when ingest is idle, when the backlog passes {@link Store}'s bound, and before a query that searches
 * (so a search sees every record acknowledged before it).
 *
 * <p>A span rewritten after it was indexed (its end record after its start record) is indexed again at once,
 * as before; one rewritten before it was indexed needs nothing, since the indexer reads the row as it is then.
 */
final class TextIndex {
    private static final String SPANS = "span_text";
    private static final String LOGS = "log_text";
    /** Rows stored and not yet indexed, for {@code /api/stats}. */
    static final String BACKLOG = "SELECT MAX(0, (SELECT COALESCE(MAX(rowid), 0) FROM spans)"
            + " - (SELECT indexed_to FROM text_index WHERE name = 'span_text'))"
            + " + MAX(0, (SELECT COALESCE(MAX(id), 0) FROM logs) - (SELECT indexed_to FROM text_index"
            + " WHERE name = 'log_text'))";

    private final PreparedStatement readSpans;
    private final PreparedStatement readLogs;
    private final PreparedStatement putSpanText;
    private final PreparedStatement putLogText;
    private final PreparedStatement saveProgress;
    private final Statement sql;
    private long spansIndexedTo;
    private long logsIndexedTo;

    TextIndex(Connection db) throws SQLException {
        readSpans = db.prepareStatement("SELECT rowid, record FROM spans WHERE rowid > ? ORDER BY rowid LIMIT ?");
        readLogs = db.prepareStatement("SELECT id, record FROM logs WHERE id > ? ORDER BY id LIMIT ?");
        // FTS5 takes OR REPLACE on the rowid: the old entry of a span indexed before is deleted first
        putSpanText = db.prepareStatement(
                "INSERT OR REPLACE INTO span_text (rowid, name, annotations, attributes, io) VALUES (?,?,?,?,?)");
        putLogText = db.prepareStatement("INSERT OR REPLACE INTO log_text (rowid, event, attrs) VALUES (?,?,?)");
        saveProgress = db.prepareStatement("UPDATE text_index SET indexed_to = ? WHERE name = ?");
        sql = db.createStatement();
        spansIndexedTo = progress(SPANS);
        logsIndexedTo = progress(LOGS);
    }

    /** Whether the span row with this rowid is in the index already (so a rewrite must index it again). */
    boolean isIndexed(long spanRowid) {
        return spanRowid <= spansIndexedTo;
    }

    /** Indexes the span row again, with the record it now holds. */
    void reindexSpan(long rowid, String record) throws SQLException {
        putSpan(rowid, record);
        putSpanText.executeUpdate();
    }

    /** How many stored rows wait to be indexed. */
    long backlog() throws SQLException {
        return Math.max(0, max("SELECT MAX(rowid) FROM spans") - spansIndexedTo)
                + Math.max(0, max("SELECT MAX(id) FROM logs") - logsIndexedTo);
    }

    /**
     * Indexes up to {@code limit} rows of each table's backlog, oldest first, in the caller's transaction;
     * returns how many rows it indexed (fewer than {@code limit} per table: the backlog is done).
     */
    int index(int limit) throws SQLException {
        int spans = 0;
        readSpans.setLong(1, spansIndexedTo);
        readSpans.setInt(2, limit);
        try (ResultSet rs = readSpans.executeQuery()) {
            while (rs.next()) {
                putSpan(rs.getLong(1), rs.getString(2));
                putSpanText.addBatch();
                spansIndexedTo = rs.getLong(1);
                spans++;
            }
        }
        if (spans > 0) {
            putSpanText.executeBatch();
            save(SPANS, spansIndexedTo);
        }
        int logs = 0;
        readLogs.setLong(1, logsIndexedTo);
        readLogs.setInt(2, limit);
        try (ResultSet rs = readLogs.executeQuery()) {
            while (rs.next()) {
                putLog(rs.getLong(1), rs.getString(2));
                putLogText.addBatch();
                logsIndexedTo = rs.getLong(1);
                logs++;
            }
        }
        if (logs > 0) {
            putLogText.executeBatch();
            save(LOGS, logsIndexedTo);
        }
        return spans + logs;
    }

    /**
     * After rows were deleted: a rowid above every row left may be given again to a new row, which must then be
     * indexed, so the progress never stays above the highest rowid stored.
     */
    void afterDelete() throws SQLException {
        long spans = max("SELECT MAX(rowid) FROM spans");
        if (spans < spansIndexedTo) {
            spansIndexedTo = spans;
            save(SPANS, spans);
        }
        long logs = max("SELECT MAX(id) FROM logs");
        if (logs < logsIndexedTo) {
            logsIndexedTo = logs;
            save(LOGS, logs);
        }
    }

    /** A span's searchable text, the columns of {@code span_text}, from its record of format v1. */
    static String[] spanText(String record) {
        String name = null;
        StringBuilder notes = new StringBuilder();
        StringBuilder attributes = new StringBuilder();
        StringBuilder input = new StringBuilder();
        StringBuilder output = new StringBuilder();
        try (JsonParser json = RecordJson.MAPPER.getFactory().createParser(record)) {
            if (json.nextToken() == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    JsonToken value = json.nextToken();
                    switch (field) {
                        case "name" -> name = value.isScalarValue() && value != JsonToken.VALUE_NULL
                                ? scalar(json, value) : skip(json);
                        case "annotations" -> annotations(json, value, notes);
                        case "attributes" -> flatten(json, value, null, attributes);
                        case "input" -> flatten(json, value, null, input);
                        case "output" -> flatten(json, value, null, output);
                        default -> json.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // the store wrote the record itself; what was read before the damage is indexed
        }
        return new String[] {name, notes.toString(), attributes.toString(), input + "\n" + output};
    }

    /** A log line's searchable text, the columns of {@code log_text}, from its record of format v1. */
    static String[] logText(String record) {
        String event = null;
        StringBuilder attrs = new StringBuilder();
        StringBuilder exception = new StringBuilder();
        try (JsonParser json = RecordJson.MAPPER.getFactory().createParser(record)) {
            if (json.nextToken() == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    JsonToken value = json.nextToken();
                    switch (field) {
                        case "event" -> event = value.isScalarValue() && value != JsonToken.VALUE_NULL
                                ? scalar(json, value) : skip(json);
                        case "attrs" -> flatten(json, value, null, attrs);
                        case "exception" -> flatten(json, value, null, exception);
                        default -> json.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // as for spans
        }
        return new String[] {event, attrs + "\n" + exception};
    }

    /** The text of each annotation, one a line. */
    private static void annotations(JsonParser json, JsonToken value, StringBuilder out) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            json.skipChildren();
            return;
        }
        for (JsonToken item; (item = json.nextToken()) != JsonToken.END_ARRAY && item != null; ) {
            if (item != JsonToken.START_OBJECT) {
                json.skipChildren();
                continue;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken token = json.nextToken();
                if (field.equals("text") && token.isScalarValue() && token != JsonToken.VALUE_NULL) {
                    out.append(scalar(json, token)).append('\n');
                } else {
                    json.skipChildren();
                }
            }
        }
    }

    /**
     * The text of a JSON value for the full-text index: keys and leaf values, one pair a line; the items of a list
     * go under the list's key, and nulls are left out.
     */
    private static void flatten(JsonParser json, JsonToken value, String key, StringBuilder out) throws IOException {
        if (value == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                flatten(json, json.nextToken(), field, out);
            }
        } else if (value == JsonToken.START_ARRAY) {
            for (JsonToken item; (item = json.nextToken()) != JsonToken.END_ARRAY && item != null; ) {
                flatten(json, item, key, out);
            }
        } else if (value != null && value != JsonToken.VALUE_NULL) {
            if (key != null) {
                out.append(key).append(": ");
            }
            out.append(scalar(json, value)).append('\n');
        }
    }

    /** A scalar as Java writes the value Jackson reads from it (so 1.50 is 1.5, as the index always had it). */
    private static String scalar(JsonParser json, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT -> json.getNumberValue().toString();
            case VALUE_NUMBER_FLOAT -> String.valueOf(json.getDoubleValue());
            default -> json.getText();
        };
    }

    private static String skip(JsonParser json) throws IOException {
        json.skipChildren();
        return null;
    }

    void close() throws SQLException {
        for (Statement statement : new Statement[] {readSpans, readLogs, putSpanText, putLogText, saveProgress, sql}) {
            statement.close();
        }
    }

    private void putSpan(long rowid, String record) throws SQLException {
        String[] text = spanText(record);
        putSpanText.setLong(1, rowid);
        for (int i = 0; i < text.length; i++) {
            putSpanText.setString(i + 2, text[i]);
        }
    }

    private void putLog(long rowid, String record) throws SQLException {
        String[] text = logText(record);
        putLogText.setLong(1, rowid);
        putLogText.setString(2, text[0]);
        putLogText.setString(3, text[1]);
    }

    private void save(String table, long indexedTo) throws SQLException {
        saveProgress.setLong(1, indexedTo);
        saveProgress.setString(2, table);
        saveProgress.executeUpdate();
    }

    private long progress(String table) throws SQLException {
        try (ResultSet rs = sql.executeQuery("SELECT indexed_to FROM text_index WHERE name = '" + table + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private long max(String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
