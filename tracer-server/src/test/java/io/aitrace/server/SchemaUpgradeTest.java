package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written by the previous aitrace (schema version 1) keeps its traces and their summaries. */
class SchemaUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aVersion1TraceGetsItsRootAndRunningCountAndKeepsCountingAfterTheUpgrade() throws Exception {
        Path db = dir.resolve("v1.db");
        String trace = Records.traceId();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
            for (String statement : Schema.MIGRATIONS.get(0)) {
                sql.execute(statement);
            }
            sql.execute("INSERT INTO spans VALUES ('" + trace + "', 'aaaaaaaaaaaaaaaa', NULL, 'agent', 'svc', 'running',"
                    + " 1000, NULL, 0, NULL, NULL, '{}')");
            sql.execute("INSERT INTO spans VALUES ('" + trace + "', 'bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', 'tool',"
                    + " 'svc', 'ok', 2000, 3000, 1, NULL, NULL, '{}')");
            sql.execute("INSERT INTO traces VALUES ('" + trace + "', 'agent', 'svc', 1000, 3000, 2.0, 2, 0, 0, 0, 0,"
                    + " 1, 0)");
            sql.execute("PRAGMA user_version = 1");
        }

        try (Store store = new Store(db, changed -> { })) {
            // the root's end record arrives after the upgrade
            RecordRow end = RecordParser.parse(Records.span(trace, "aaaaaaaaaaaaaaaa", null, "agent",
                    "1970-01-01T00:00:00.001Z", "1970-01-01T00:00:00.010Z")).row();
            store.write(tx -> {
                tx.put(end);
                return 1;
            }).get();
            store.read(c -> {
                try (Statement sql = c.createStatement(); var rs = sql.executeQuery("SELECT span_count, running,"
                        + " running_spans, root_span_id, root_name, duration_ms FROM traces")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(2);
                    assertThat(rs.getInt(2)).isZero();
                    assertThat(rs.getLong(3)).isZero();
                    assertThat(rs.getString(4)).isEqualTo("aaaaaaaaaaaaaaaa");
                    assertThat(rs.getString(5)).isEqualTo("agent");
                    assertThat(rs.getDouble(6)).isEqualTo(9.0);
                }
                return null;
            });
        }
    }

    @Test
    void aVersion3DatabaseGetsThePartialIndexesOfTheStatusFiltersAndTheListUsesThem() throws Exception {
        Path db = dir.resolve("v3.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
            for (int v = 0; v < 3; v++) {
                for (String statement : Schema.MIGRATIONS.get(v)) {
                    sql.execute(statement);
                }
            }
            sql.execute("INSERT INTO traces (trace_id, root_name, service, start_us, span_count, log_count,"
                    + " error_count, input_tokens, output_tokens, running, updated_us) VALUES"
                    + " ('" + Records.traceId() + "', 'failed', 'svc', 1000, 1, 0, 1, 0, 0, 0, 0),"
                    + " ('" + Records.traceId() + "', 'running', 'svc', 2000, 1, 0, 0, 0, 0, 1, 0),"
                    + " ('" + Records.traceId() + "', 'fine', 'svc', 3000, 1, 0, 0, 0, 0, 0, 0)");
            sql.execute("PRAGMA user_version = 3");
        }

        try (Store store = new Store(db, changed -> { })) {
            store.read(c -> {
                try (Statement sql = c.createStatement()) {
                    for (String[] status : new String[][] {{"running = 1", "traces_running", "running"},
                            {"error_count > 0", "traces_errors", "failed"}}) {
                        String query = "SELECT root_name FROM traces WHERE " + status[0]
                                + " ORDER BY start_us DESC, trace_id DESC LIMIT 51";
                        try (var plan = sql.executeQuery("EXPLAIN QUERY PLAN " + query)) {
                            assertThat(plan.next()).isTrue();
                            assertThat(plan.getString("detail")).contains("INDEX " + status[1]);
                        }
                        try (var rs = sql.executeQuery(query)) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(1)).isEqualTo(status[2]);
                            assertThat(rs.next()).isFalse();
                        }
                    }
                    try (var rs = sql.executeQuery("PRAGMA user_version")) {
                        assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION);
                    }
                }
                return null;
            });
        }
    }

    @Test
    void aLogStoredWithAHexDigestIsStillFoundAsTheSameLineWhenItIsSentAgainAfterTheUpgrade() throws Exception {
        Path db = dir.resolve("v6.db");
        String trace = Records.traceId();
        String span = Records.spanId();
        RecordRow.Log sent = (RecordRow.Log) RecordParser.parse(Records.log(trace, span, "2026-12-04T10:00:00.000001Z",
                "INFO", "tool called")).row();
        // schema 6 stored a log's digest as the SHA-256 of its record in 64 hex characters
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        logsAtVersion(db, 6, List.of(sent),
                log -> HexFormat.of().formatHex(sha256.digest(log.json().getBytes(StandardCharsets.UTF_8))));

        try (Store store = new Store(db, changed -> { })) {
            RecordRow other = RecordParser.parse(Records.log(trace, span, "2026-12-04T10:00:00.000002Z", "INFO",
                    "tool answered")).row();
            store.write(tx -> {
                tx.putAll(List.of(sent, other));
                return 2;
            }).get();
            store.read(c -> {
                try (Statement sql = c.createStatement();
                        var rs = sql.executeQuery("SELECT json_extract(record, '$.event'), typeof(digest),"
                                + " length(digest) FROM logs ORDER BY ts_us, id")) {
                    for (String event : List.of("tool called", "tool answered")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo(event);
                        assertThat(rs.getString(2)).isEqualTo("blob");
                        assertThat(rs.getInt(3)).isEqualTo(RecordJson.LOG_DIGEST_BYTES);
                    }
                    assertThat(rs.next()).isFalse();
                }
                return null;
            });
        }
    }
    @Test
    void aVersion7DatabaseStillFindsLinesSentAgainAndReadsLogsInTimeOrderFromOneIndex() throws Exception {
        Path db = dir.resolve("v7.db");
        String trace = Records.traceId();
        String span = Records.spanId();
        RecordRow.Log timed = (RecordRow.Log) RecordParser.parse(Records.log(trace, span,
                "2026-12-04T10:00:00.000002Z", "INFO", "timed")).row();
        RecordRow.Log untimed = (RecordRow.Log) RecordParser.parse(Records.log(trace, span, "x", "INFO", "untimed")
                .replace("\"timestamp\":\"x\",", "")).row();
        logsAtVersion(db, 7, List.of(timed, untimed), RecordRow.Log::digest);

        try (Store store = new Store(db, changed -> { })) {
            RecordRow earlier = RecordParser.parse(Records.log(trace, span, "2026-12-04T10:00:00.000001Z", "INFO",
                    "earlier")).row();
            store.write(tx -> {
                tx.putAll(List.of(timed, untimed, earlier));
                tx.put(untimed);
                return 4;
            }).get();
            store.read(c -> {
                try (Statement sql = c.createStatement()) {
                    try (var rs = sql.executeQuery("SELECT json_extract(record, '$.event') FROM logs"
                            + " ORDER BY ts_us, id")) {
                        for (String event : List.of("untimed", "earlier", "timed")) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(1)).isEqualTo(event);
                        }
                        assertThat(rs.next()).isFalse();
                    }
                    try (var rs = sql.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'"
                            + " AND tbl_name = 'logs' ORDER BY name")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("logs_trace");
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("logs_untimed");
                        assertThat(rs.next()).isFalse();
                    }
                    try (var rs = sql.executeQuery("EXPLAIN QUERY PLAN SELECT id, ts_us, record FROM logs"
                            + " WHERE trace_id = '" + trace + "' ORDER BY ts_us, id LIMIT 10")) {
                        StringBuilder plan = new StringBuilder();
                        while (rs.next()) {
                            plan.append(rs.getString(4)).append('\n');
                        }
                        // rows come in time order from the index; only rows of equal time are sorted by id
                        assertThat(plan.toString()).contains("USING INDEX logs_trace (trace_id=?)")
                                .contains("USE TEMP B-TREE FOR LAST TERM OF ORDER BY");
                    }
                }
                return null;
            });
        }
    }

    /** A database file at schema {@code version} holding these log rows, their digests as that version stored them. */
    private static void logsAtVersion(Path db, int version, List<RecordRow.Log> logs,
            Function<RecordRow.Log, Object> storedDigest) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
            for (int v = 0; v < version; v++) {
                for (String statement : Schema.MIGRATIONS.get(v)) {
                    sql.execute(statement);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO logs (trace_id, span_id, ts_us, level,"
                    + " digest, record) VALUES (?, ?, ?, 'INFO', ?, ?)")) {
                for (RecordRow.Log log : logs) {
                    insert.setString(1, log.traceId());
                    insert.setString(2, log.spanId());
                    insert.setObject(3, log.timestampUs());
                    insert.setObject(4, storedDigest.apply(log));
                    insert.setString(5, log.json());
                    insert.executeUpdate();
                }
            }
            sql.execute("PRAGMA user_version = " + version);
        }
    }
}
