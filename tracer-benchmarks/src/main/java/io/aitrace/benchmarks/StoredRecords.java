package io.aitrace.benchmarks;

import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A collector database holding many records, built once and kept in the temporary directory for later runs
 * ({@code aitrace-bench/store-N-vV.db}, V the schema version). Loading ten million records over HTTP takes hours, so
 * the collector itself ingests a template of {@value #TEMPLATE_TRACES} agent runs (each a root span and nine log
 * lines, ten records) and SQL then copies the template's rows (spans, logs, trace summaries, full-text rows) with
 * new trace IDs and times shifted by a minute per copy, until {@code N} records are stored. Every row is one the
 * write path made; only IDs and times differ between copies.
 */
final class StoredRecords {
    static final int TEMPLATE_TRACES = 1_000;
    static final int RECORDS_PER_TRACE = 10;
    /** A word in every run's input: a search that matches every span. */
    static final String COMMON_WORD = "weather";
    /** A word in one template run's input (so in one run of every copy): a search with few matches. */
    static final String RARE_WORD = "ticket417";
    /** A conversation ID in one run of a hundred: 10,000 matches at ten million records. */
    static final String MIDDLE_WORD = "c17";
    static final String SERVICE = "billing";
    private static final long COPY_SHIFT_US = 60_000_000L;
    private static final String[] SERVICES = {"weather-agent", "billing", "support", "search", "planner"};
    private static final String[] NAMES = {"weather_agent", "refund", "triage", "lookup", "plan"};

    private StoredRecords() {
    }

    /** The database with {@code records} records, built first when no earlier run left it. */
    static Path database(int records) {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "aitrace-bench");
            Files.createDirectories(dir);
            Path building = dir.resolve("store-building.db");
            deleteDatabase(building);
            try (AitraceServer collector = AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                    .database(building).build())) {
                collector.ingest(template());
            }
            int version = schemaVersion(building);
            Path done = dir.resolve("store-" + records + "-v" + version + ".db");
            if (Files.exists(done)) {
                deleteDatabase(building);
                return done;
            }
            long started = System.nanoTime();
            copy(building, records / (TEMPLATE_TRACES * RECORDS_PER_TRACE));
            return keep(building, done, started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("building the stored records failed: " + e.getMessage(), e);
        }
    }

    /** Agent runs as JSON lines: template trace n has the ID {@code %016x(n)} followed by sixteen zeros. */
    private static List<String> template() {
        List<String> lines = new ArrayList<>();
        long base = 1_764_000_000_000_000L;
        for (int n = 1; n <= TEMPLATE_TRACES; n++) {
            String trace = String.format("%016x%016x", n, 0);
            String span = String.format("%016x", n);
            long start = base + n * 50_000L;
            String status = n % 20 == 0 ? "error" : "ok";
            lines.add("{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + span
                    + "\",\"parent_span_id\":null,\"name\":\"" + NAMES[n % NAMES.length] + "\",\"node_type\":\"agent\","
                    + "\"span_kind\":\"INTERNAL\",\"start\":\"" + time(start) + "\",\"end\":\"" + time(start + 40_000)
                    + "\",\"status\":\"" + status + "\",\"error\":null,\"attributes\":{\"gen_ai.request.model\":"
                    + "\"gpt-4o\",\"gen_ai.usage.input_tokens\":" + (100 + n % 50) + ",\"gen_ai.usage.output_tokens\":"
                    + (20 + n % 10) + ",\"gen_ai.conversation.id\":\"c" + n % 100 + "\"},\"input\":{\"query\":\""
                    + "What's the " + COMMON_WORD + " in Paris for ticket" + n + "?\"},\"output\":{\"intent\":"
                    + "\"weather_lookup\"},\"annotations\":[],\"edges\":[],\"resource\":{\"service.name\":\""
                    + SERVICES[n % SERVICES.length] + "\"},\"thread\":\"main\"}");
            for (int i = 1; i < RECORDS_PER_TRACE; i++) {
                lines.add("{\"v\":1,\"type\":\"log\",\"timestamp\":\"" + time(start + i * 1000L) + "\",\"level\":\""
                        + (i == 9 && status.equals("error") ? "error" : "info") + "\",\"logger\":\"com.acme.Agent\","
                        + "\"event\":\"calling model step " + i + "\",\"trace_id\":\"" + trace + "\",\"span_id\":\""
                        + span + "\",\"parent_span_id\":null,\"thread\":\"main\",\"attrs\":{\"user_id\":" + n % 7
                        + "},\"exception\":null}");
            }
        }
        return lines;
    }

    private static String time(long micros) {
        return io.aitrace.core.record.Timestamps.formatEpochNanos(micros * 1000L);
    }

    /** Copies the template's rows {@code copies - 1} times, each copy with its own trace IDs and later times. */
    private static void copy(Path db, int copies) throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = sql.createStatement()) {
            statement.execute("PRAGMA synchronous = OFF");
            statement.execute("PRAGMA cache_size = -262144");
            statement.execute("PRAGMA temp_store = MEMORY");
            List<String> copyStatements = new ArrayList<>();
            for (String table : List.of("spans", "logs", "traces", "evaluations", "span_text", "log_text")) {
                List<String> columns = columns(sql, table);
                if (columns.isEmpty()) {
                    continue;
                }
                boolean fullText = table.endsWith("_text");
                // a full-text row has the rowid of its span or log row: shifted by the same amount
                String rowsOf = table.equals("span_text") ? "spans" : table.equals("log_text") ? "logs" : table;
                long rows = single(sql, "SELECT COALESCE(MAX(rowid), 0) FROM " + rowsOf);
                if (rows == 0) {
                    continue;
                }
                List<String> values = new ArrayList<>();
                for (String column : columns) {
                    if (column.equals("trace_id")) {
                        values.add("substr(trace_id, 1, 16) || printf('%016x', ?1)");
                    } else if (column.endsWith("_us")) {
                        values.add(column + " + ?1 * " + COPY_SHIFT_US);
                    } else if (column.equals("id") && !fullText) {
                        values.add("id + ?1 * " + rows);
                    } else {
                        values.add(column);
                    }
                }
                String rowid = table.equals("logs") || table.equals("evaluations") ? "" : "rowid, ";
                String rowidValue = rowid.isEmpty() ? "" : "rowid + ?1 * " + rows + ", ";
                copyStatements.add("INSERT INTO " + table + " (" + rowid + String.join(", ", columns) + ") SELECT "
                        + rowidValue + String.join(", ", values) + " FROM " + table + " WHERE rowid <= " + rows);
            }
            sql.setAutoCommit(false);
            for (int c = 1; c < copies; c++) {
                for (String copy : copyStatements) {
                    try (java.sql.PreparedStatement insert = sql.prepareStatement(copy)) {
                        insert.setInt(1, c);
                        insert.executeUpdate();
                    }
                }
                if (c % 20 == 0 || c == copies - 1) {
                    sql.commit();
                }
            }
            sql.setAutoCommit(true);
            if (single(sql, "SELECT COUNT(*) FROM span_text WHERE span_text MATCH '" + RARE_WORD + "'") < copies) {
                throw new SQLException("the full-text rows were not copied (a contentless index?): rebuild the"
                        + " benchmark's store another way");
            }
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** Gives a database built at {@code building} its lasting name, and says how long the build took. */
    private static Path keep(Path building, Path done, long started) throws IOException {
        Files.move(building, done, StandardCopyOption.REPLACE_EXISTING);
        System.err.printf("built %s in %.0f s%n", done, (System.nanoTime() - started) / 1e9);
        return done;
    }

    /** The trace {@link #withHugeTrace} adds: newest of all, so on the list's first page. */
    static final String HUGE_TRACE = "ffffffffffffffff0000000000000000";

    /**
     * A copy of {@code db} ({@code store-N-vV-huge-M.db}, kept for later runs like the store) holding besides its
     * traces one of {@code spans} spans, the newest: a root with an input lasting the whole trace and children one
     * after the other (so every span is on the critical path), one in a hundred a model call (gpt-4o, 1,000 tokens in, 100 out). Its rows are made by SQL, as the write path would
     * make them (its summary row, the spans' columns and records); no full-text rows, which the list does not read (a
     * search does not find the huge trace's words).
     */
    static Path withHugeTrace(Path db, int spans) {
        try {
            Path done = Path.of(db.toString().replace(".db", "-huge-" + spans + "-v3.db"));
            if (Files.exists(done)) {
                return done;
            }
            Path building = Path.of(db.toString().replace(".db", "-huge-building.db"));
            deleteDatabase(building);
            try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement statement = sql.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            Files.copy(db, building);
            long started = System.nanoTime();
            try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + building);
                 Statement statement = sql.createStatement()) {
                statement.execute("PRAGMA synchronous = OFF");
                statement.execute("PRAGMA cache_size = -262144");
                long t0 = single(sql, "SELECT MAX(start_us) FROM traces") + COPY_SHIFT_US;
                String record = "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + HUGE_TRACE + "\",\"span_id\":\"'"
                        + " || printf('%016x', i) || '\",\"parent_span_id\":' || CASE WHEN i = 1 THEN 'null' ELSE"
                        + " '\"0000000000000001\"' END || ',\"name\":\"' || CASE WHEN i % 100 = 0 THEN 'chat' ELSE"
                        + " 'step' END || '\",\"node_type\":\"tool\",\"span_kind\":\"INTERNAL\",\"start\":\"'"
                        + " || strftime('%Y-%m-%dT%H:%M:%fZ', (" + t0 + " + i * 10) / 1e6, 'unixepoch') || '\",\"end\":\"'"
                        + " || strftime('%Y-%m-%dT%H:%M:%fZ', (" + t0 + " + CASE WHEN i = 1 THEN " + spans + " * 10 + 10"
                        + " ELSE i * 10 + 5 END) / 1e6, 'unixepoch')"
                        + " || '\",\"status\":\"ok\",\"error\":null,\"attributes\":' || CASE WHEN i % 100 = 0 THEN"
                        + " '{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":1000,"
                        + "\"gen_ai.usage.output_tokens\":100}' ELSE '{}' END || ',\"input\":{\"query\":\"What''s the "
                        + COMMON_WORD + " in Paris, step ' || i || '?\"},\"output\":null,\"annotations\":[],"
                        + "\"edges\":[],\"resource\":{\"service.name\":\"bench\"},\"thread\":\"main\"}'";
                statement.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + spans + ") INSERT INTO spans (trace_id, span_id, parent_span_id, name, service, status,"
                        + " start_us, end_us, ended, input_tokens, output_tokens, record) SELECT '" + HUGE_TRACE
                        + "', printf('%016x', i), CASE WHEN i = 1 THEN NULL ELSE '0000000000000001' END,"
                        + " CASE WHEN i % 100 = 0 THEN 'chat' ELSE 'step' END, 'bench', 'ok', " + t0 + " + i * 10, "
                        + t0 + " + CASE WHEN i = 1 THEN " + spans + " * 10 + 10 ELSE i * 10 + 5 END, 1, CASE WHEN i % 100 = 0 THEN 1000 END,"
                        + " CASE WHEN i % 100 = 0 THEN 100 END, '" + record + " FROM n");
                long calls = spans / 100;
                statement.executeUpdate("INSERT INTO traces (trace_id, root_name, service, start_us, end_us,"
                        + " duration_ms, span_count, log_count, error_count, input_tokens, output_tokens, running,"
                        + " updated_us, running_spans, root_span_id, root_parent_id, root_start_us) VALUES ('"
                        + HUGE_TRACE + "', 'step', 'bench', " + (t0 + 10) + ", " + (t0 + spans * 10L + 10) + ", "
                        + spans / 100.0 + ", " + spans + ", 0, 0, " + calls * 1000 + ", " + calls * 100
                        + ", 0, " + (t0 + spans * 10L + 5) + ", 0, '0000000000000001', NULL, " + (t0 + 10) + ")");
                // its spans count as indexed: a collector opening the store would otherwise spend its first minutes
                // putting a million spans into the full-text index behind every request measured
                statement.executeUpdate("UPDATE text_index SET indexed_to = (SELECT MAX(rowid) FROM spans)"
                        + " WHERE name = 'span_text'");
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return keep(building, done, started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("adding the huge trace failed: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code next_cursor} that {@code GET /api/traces} gives after {@code position} traces (newest first): the
     * collector's cursor is the base64url of {@code start_us:trace_id}. Paging there through the API would cost
     * minutes of the benchmark's setup.
     */
    static String cursorAt(Path db, int position) {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = sql.createStatement();
             ResultSet rs = statement.executeQuery("SELECT start_us, trace_id FROM traces"
                     + " ORDER BY start_us DESC, trace_id DESC LIMIT 1 OFFSET " + (position - 1))) {
            if (!rs.next()) {
                throw new IllegalStateException("fewer than " + position + " traces in " + db);
            }
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((rs.getLong(1) + ":"
                    + rs.getString(2)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> columns(Connection sql, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = sql.createStatement();
             ResultSet rs = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        return columns;
    }

    private static long single(Connection sql, String query) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static int schemaVersion(Path db) throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            return (int) single(sql, "PRAGMA user_version");
        }
    }

    private static void deleteDatabase(Path db) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
    }
}
