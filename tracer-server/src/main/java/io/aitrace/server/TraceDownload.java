package io.aitrace.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/trace/{id}} without paging parameters: the whole trace, written to the response while it is read
 * from the database, so a trace of any size passes through a few kilobytes of the collector's heap (plus its tree
 * of IDs, {@link ReaderTree}). The answer is the one documented in docs/api.md: the stored records as they are,
 * then {@code roots}, {@code children} and {@code edges} as tracer-core's reader links those records.
 *
 * <p>The status line goes out before the first record is read, so a failure after it (the database, the disk)
 * cannot become an error status: the response is then cut off without its last chunk, and every HTTP client reports
 * an incomplete body instead of a short trace that looks whole.
 */
final class TraceDownload {
    /** Thrown once the answer has begun: the connection must be dropped, not closed cleanly. */
    static final class Broken extends RuntimeException {
        Broken(Exception cause) {
            super("the trace download broke off: " + cause.getMessage(), cause);
        }
    }

    private TraceDownload() {
    }

    /**
     * Sends the trace, everything read in one read transaction (one snapshot, whatever is ingested meanwhile).
     *
     * @throws ApiException 400 for a malformed ID, 404 when the trace has no records (before anything is sent)
     * @throws Broken when the answer failed after its status was sent: the caller drops the connection
     */
    static void send(Store store, ApiExchange exchange, String traceId) throws SQLException {
        String id = TracePages.traceId(traceId);
        store.read(db -> {
            boolean autoCommit = db.getAutoCommit();
            db.setAutoCommit(false); // one snapshot for the tree and the records
            try {
                ReaderTree tree = ReaderTree.read(db, id);
                if (tree == null) {
                    throw new ApiException(404, "no trace " + id);
                }
                stream(exchange, out -> {
                    // not closed on failure: closing would end the JSON and the chunked body as if all were sent
                    JsonGenerator json = RecordJson.MAPPER.getFactory().createGenerator(out)
                            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    write(db, id, tree, json);
                    json.close();
                });
                return null;
            } finally {
                db.rollback(); // nothing was written: ends the read transaction
                db.setAutoCommit(autoCommit);
            }
        });
    }

    /** What writes the body. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException, SQLException;
    }

    /** Sends 200 with a chunked body (none for HEAD); any failure from here on is {@link Broken}. */
    static void stream(ApiExchange exchange, Body body) {
        HttpExchange http = exchange.http();
        try {
            http.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            http.getResponseHeaders().set("Cache-Control", "no-store");
            if ("HEAD".equals(exchange.method())) {
                http.sendResponseHeaders(200, -1);
                return;
            }
            http.sendResponseHeaders(200, 0);
            OutputStream out = http.getResponseBody();
            body.writeTo(out);
            out.close(); // the last chunk: the client now knows the body is whole
        } catch (IOException | SQLException | RuntimeException e) {
            throw new Broken(e);
        }
    }

    private static void write(Connection db, String traceId, ReaderTree tree, JsonGenerator json)
            throws IOException, SQLException {
        json.writeStartObject();
        json.writeStringField("trace_id", traceId);
        json.writeArrayFieldStart("spans");
        Map<Integer, List<JsonNode>> edges = spans(db, traceId, tree, json);
        json.writeEndArray();
        json.writeArrayFieldStart("logs");
        records(db, "SELECT record FROM logs WHERE trace_id = ? ORDER BY ts_us, id", traceId, json);
        json.writeEndArray();
        // evaluation records sent after their span; the span records carry the ones made in code
        json.writeArrayFieldStart("evaluations");
        records(db, "SELECT record FROM evaluations WHERE trace_id = ? ORDER BY ts_us, id", traceId, json);
        json.writeEndArray();
        json.writeArrayFieldStart("roots");
        for (int root : tree.roots) {
            json.writeString(tree.spanId(root));
        }
        json.writeEndArray();
        json.writeObjectFieldStart("children");
        for (int i = 0; i < tree.size(); i++) {
            if (tree.firstChild[i] >= 0) {
                json.writeArrayFieldStart(tree.spanId(i));
                for (int c = tree.firstChild[i]; c >= 0; c = tree.nextSibling[c]) {
                    json.writeString(tree.spanId(c));
                }
                json.writeEndArray();
            }
        }
        json.writeEndObject();
        json.writeArrayFieldStart("edges");
        for (Map.Entry<Integer, List<JsonNode>> node : edges.entrySet()) {
            String from = tree.spanId(node.getKey());
            for (JsonNode edge : node.getValue()) {
                JsonNode toTrace = edge.get("trace_id");
                json.writeStartObject();
                json.writeStringField("from", from);
                json.writeStringField("type", text(edge.get("type")));
                json.writeStringField("trace_id", toTrace == null || toTrace.isNull() || "".equals(text(toTrace))
                        ? traceId : text(toTrace));
                json.writeStringField("span_id", text(edge.get("span_id")));
                json.writeEndObject();
            }
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /**
     * Writes each span record in start order (a missing start first, as SQL sorts), one primary-key lookup each;
     * returns the edges of the spans that have any, by node, in node order.
     */
    private static Map<Integer, List<JsonNode>> spans(Connection db, String traceId, ReaderTree tree,
            JsonGenerator json) throws IOException, SQLException {
        Map<Integer, List<JsonNode>> edges = new TreeMap<>();
        try (PreparedStatement sql = db.prepareStatement(
                "SELECT record FROM spans WHERE trace_id = ? AND span_id = ?")) {
            sql.setString(1, traceId);
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < tree.size(); i++) {
                    if (tree.implicit[i] || (pass == 0) != (tree.starts[i] == ReaderTree.NO_START)) {
                        continue;
                    }
                    sql.setString(2, tree.spanId(i));
                    try (ResultSet rs = sql.executeQuery()) {
                        if (rs.next()) {
                            String record = rs.getString(1);
                            json.writeRawValue(record);
                            // the collector writes records compactly: a span with edges has this text in it
                            if (record.contains("\"edges\":[{")) {
                                List<JsonNode> found = edges(record);
                                if (!found.isEmpty()) {
                                    edges.put(i, found);
                                }
                            }
                        }
                    }
                }
            }
        }
        return edges;
    }

    /** The edges of a span record that the reader keeps: objects with a {@code span_id}. */
    private static List<JsonNode> edges(String record) throws IOException {
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode edge : RecordJson.MAPPER.readTree(record).path("edges")) {
            if (edge.isObject() && edge.hasNonNull("span_id") && !"".equals(text(edge.get("span_id")))) {
                kept.add(edge);
            }
        }
        return kept;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
    }

    private static void records(Connection db, String sql, String traceId, JsonGenerator json)
            throws IOException, SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, traceId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    json.writeRawValue(rs.getString(1));
                }
            }
        }
    }
}
