package io.aitrace.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;

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
    /**
     * The text bound to the index's pending batch before it is executed: sqlite-jdbc keeps every bound value of a
     * batch until then, so a chunk of records with long inputs would otherwise hold them all in the heap at once.
     */
    private static final int BATCH_CHARS = 1 << 20;
    /** Rows stored and not yet indexed, for {@code /api/stats}. */
    static final String BACKLOG = "SELECT MAX(0, (SELECT COALESCE(MAX(rowid), 0) FROM spans)"
            + " - (SELECT indexed_to FROM text_index WHERE name = 'span_text'))"
            + " + MAX(0, (SELECT COALESCE(MAX(id), 0) FROM logs) - (SELECT indexed_to FROM text_index"
            + " WHERE name = 'log_text'))";

    /** One indexed table: its rows, its FTS5 table and how far that is filled. */
    private final class Table {
        final String name;
        final String maxRowid;
        final PreparedStatement read;
        final PreparedStatement put;
        final Function<String, String[]> text;
        long indexedTo;

        Table(Connection db, String name, String rows, String rowid, String columns,
                Function<String, String[]> text) throws SQLException {
            this.name = name;
            this.maxRowid = "SELECT MAX(" + rowid + ") FROM " + rows;
            this.text = text;
            read = db.prepareStatement("SELECT " + rowid + ", record FROM " + rows + " WHERE " + rowid + " > ?"
                    + " ORDER BY " + rowid + " LIMIT ?");
            // FTS5 takes OR REPLACE on the rowid: the old entry of a row indexed before is deleted first
            put = db.prepareStatement("INSERT OR REPLACE INTO " + name + " (rowid, " + columns + ") VALUES (?"
                    + ",?".repeat(columns.split(",").length) + ")");
            try (ResultSet rs = sql.executeQuery("SELECT indexed_to FROM text_index WHERE name = '" + name + "'")) {
                indexedTo = rs.next() ? rs.getLong(1) : 0;
            }
        }

        /** Binds the row's text to {@link #put}; returns how many characters that is. */
        long bind(long rowid, String record) throws SQLException {
            String[] columns = text.apply(record);
            put.setLong(1, rowid);
            long chars = 0;
            for (int i = 0; i < columns.length; i++) {
                put.setString(i + 2, columns[i]);
                chars += columns[i] == null ? 0 : columns[i].length();
            }
            return chars;
        }

        int index(int limit) throws SQLException {
            int rows = 0;
            long pending = 0;
            read.setLong(1, indexedTo);
            read.setInt(2, limit);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    pending += bind(rs.getLong(1), rs.getString(2));
                    put.addBatch();
                    indexedTo = rs.getLong(1);
                    rows++;
                    if (pending > BATCH_CHARS) {
                        put.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (rows > 0) {
                put.executeBatch();
                save(indexedTo);
            }
            return rows;
        }

        long backlog() throws SQLException {
            return Math.max(0, max() - indexedTo);
        }

        void afterDelete() throws SQLException {
            long max = max();
            if (max < indexedTo) {
                indexedTo = max;
                save(max);
            }
        }

        private long max() throws SQLException {
            try (ResultSet rs = sql.executeQuery(maxRowid)) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }

        private void save(long to) throws SQLException {
            saveProgress.setLong(1, to);
            saveProgress.setString(2, name);
            saveProgress.executeUpdate();
        }

        void close() throws SQLException {
            read.close();
            put.close();
        }
    }

    private final Statement sql;
    private final PreparedStatement saveProgress;
    private final Table spans;
    private final Table logs;

    TextIndex(Connection db) throws SQLException {
        sql = db.createStatement();
        saveProgress = db.prepareStatement("UPDATE text_index SET indexed_to = ? WHERE name = ?");
        spans = new Table(db, SPANS, "spans", "rowid", "name, annotations, attributes, io", TextIndex::spanText);
        logs = new Table(db, LOGS, "logs", "id", "event, attrs", TextIndex::logText);
    }

    /** Whether the span row with this rowid is in the index already (so a rewrite must index it again). */
    boolean isIndexed(long spanRowid) {
        return spanRowid <= spans.indexedTo;
    }

    /** Indexes the span row again, with the record it now holds. */
    void reindexSpan(long rowid, String record) throws SQLException {
        spans.bind(rowid, record);
        spans.put.executeUpdate();
    }

    /** How many stored rows wait to be indexed. */
    long backlog() throws SQLException {
        return spans.backlog() + logs.backlog();
    }

    /**
     * Indexes up to {@code limit} rows of each table's backlog, oldest first, in the caller's transaction;
     * returns how many rows it indexed (fewer than {@code limit} per table: the backlog is done).
     */
    int index(int limit) throws SQLException {
        return spans.index(limit) + logs.index(limit);
    }

    /**
     * After rows were deleted: a rowid above every row left may be given again to a new row, which must then be
     * indexed, so the progress never stays above the highest rowid stored.
     */
    void afterDelete() throws SQLException {
        spans.afterDelete();
        logs.afterDelete();
    }

    /** A span's searchable text, the columns of {@code span_text}, from its record of format v1. */
    static String[] spanText(String record) {
        String[] name = {null};
        StringBuilder notes = new StringBuilder();
        StringBuilder attributes = new StringBuilder();
        StringBuilder input = new StringBuilder();
        StringBuilder output = new StringBuilder();
        fields(record, (field, value, json) -> {
            switch (field) {
                case "name" -> name[0] = text(json, value);
                case "annotations" -> annotations(json, value, notes);
                case "attributes" -> flatten(json, value, null, attributes);
                case "input" -> flatten(json, value, null, input);
                case "output" -> flatten(json, value, null, output);
                default -> json.skipChildren();
            }
        });
        return new String[] {name[0], notes.toString(), attributes.toString(), input + "\n" + output};
    }

    /** A log line's searchable text, the columns of {@code log_text}, from its record of format v1. */
    static String[] logText(String record) {
        String[] event = {null};
        StringBuilder attrs = new StringBuilder();
        StringBuilder exception = new StringBuilder();
        fields(record, (field, value, json) -> {
            switch (field) {
                case "event" -> event[0] = text(json, value);
                case "attrs" -> flatten(json, value, null, attrs);
                case "exception" -> flatten(json, value, null, exception);
                default -> json.skipChildren();
            }
        });
        return new String[] {event[0], attrs + "\n" + exception};
    }

    /** Reads one top-level field of a record; the parser stands on its value. */
    @FunctionalInterface
    private interface FieldReader {
        void read(String field, JsonToken value, JsonParser json) throws IOException;
    }

    /** Hands each top-level field of a record to the reader, in order. */
    private static void fields(String record, FieldReader reader) {
        try (JsonParser json = RecordJson.MAPPER.getFactory().createParser(record)) {
            if (json.nextToken() == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    reader.read(field, json.nextToken(), json);
                }
            }
        } catch (IOException e) {
            // the store wrote the record itself; what was read before the damage is indexed
        }
    }

    /** A scalar's text; null for null, an object or a list (skipped). */
    private static String text(JsonParser json, JsonToken value) throws IOException {
        if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
            return scalar(json, value);
        }
        json.skipChildren();
        return null;
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

    void close() throws SQLException {
        spans.close();
        logs.close();
        saveProgress.close();
        sql.close();
    }
}
