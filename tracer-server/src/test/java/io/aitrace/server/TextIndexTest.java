package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.core.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The full-text index is filled behind ingest, and search still finds every acknowledged record. */
class TextIndexTest {
    private static final String START = "2026-11-21T18:00:00Z";
    private static final String END = "2026-11-21T18:00:01Z";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @TempDir
    Path dir;

    @Test
    void aRecordIsFoundByEverySearchAsSoonAsItsIngestIsAcknowledged() {
        ApiClient api = server.api();
        String trace = Records.traceId();
        String span = Records.spanId();
        assertThat(api.postNdjson(Records.span(trace, span, null, "plan", START, END, "ok",
                        "{\"animal\":\"pangolin\"}"), Records.log(trace, span, START, "info", "met an okapi"))
                .status()).isEqualTo(200);

        JsonNode spanHits = api.get("/api/search?q=pangolin").json().path("hits");
        assertThat(spanHits).hasSize(1);
        assertThat(spanHits.get(0).path("span_id").asText()).isEqualTo(span);
        JsonNode logHits = api.get("/api/search?q=okapi").json().path("hits");
        assertThat(logHits).hasSize(1);
        assertThat(logHits.get(0).path("field").asText()).isEqualTo("log");
        assertThat(api.get("/api/traces?q=okapi").json().path("traces").get(0).path("trace_id").asText())
                .isEqualTo(trace);
        assertThat(api.get("/api/trace/" + trace + "/search?q=pangolin").json().path("total").asInt()).isEqualTo(1);
    }

    @Test
    void theIndexCatchesUpByItselfOnceIngestIsIdle() {
        ApiClient api = server.api();
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.span(trace, span, null, "plan", START, END),
                Records.log(trace, span, START, "info", "idle indexing"));

        assertThat(Await.until(() -> api.get("/api/stats").json().path("unindexed").asLong() == 0))
                .as("every record indexed without a search asking for it").isTrue();
    }

    @Test
    void aSpanRewrittenAfterItWasIndexedIsFoundByItsNewTextOnly() {
        ApiClient api = server.api();
        String trace = Records.traceId();
        String span = Records.spanId();
        api.postNdjson(Records.span(trace, span, null, "plan", START, null, "running", "{\"animal\":\"tapir\"}"));
        assertThat(api.get("/api/search?q=tapir").json().path("hits")).hasSize(1);

        api.postNdjson(Records.span(trace, span, null, "plan", START, END, "ok", "{\"animal\":\"quetzal\"}"));

        assertThat(api.get("/api/search?q=quetzal").json().path("hits")).hasSize(1);
        assertThat(api.get("/api/search?q=tapir").json().path("hits")).isEmpty();
    }

    @Test
    void aTraceStoredWhereTheNewestDeletedTraceWasIsFound() throws Exception {
        try (Store store = new Store(dir.resolve("logs.db"), changed -> { })) {
            String deleted = Records.traceId();
            Records.store(store, Records.span(deleted, Records.spanId(), null, "alpaca", START, END));
            assertThat(tracesMatching(store, "alpaca")).containsExactly(deleted);
            store.write(tx -> {
                tx.writes.deleteTrace(deleted); // as retention does
                return 0;
            }).get();

            String trace = Records.traceId(); // its span takes the rowid the deleted one had
            Records.store(store, Records.span(trace, Records.spanId(), null, "vicuna", START, END));

            assertThat(tracesMatching(store, "vicuna")).containsExactly(trace);
        }
    }

    private static java.util.List<String> tracesMatching(Store store, String word) throws Exception {
        return store.readIndexed(db -> {
            java.util.List<String> traces = new java.util.ArrayList<>();
            try (PreparedStatement sql = db.prepareStatement("SELECT s.trace_id FROM span_text"
                    + " JOIN spans s ON s.rowid = span_text.rowid WHERE span_text MATCH ?")) {
                sql.setString(1, word);
                try (java.sql.ResultSet rs = sql.executeQuery()) {
                    while (rs.next()) {
                        traces.add(rs.getString(1));
                    }
                }
            }
            return traces;
        });
    }

    @Test
    void rowsCommittedButNotYetIndexedWhenTheProcessDiedAreFoundAfterARestart() throws Exception {
        Path db = dir.resolve("crashed.db");
        new Store(db, changed -> { }).close();
        String trace = Records.traceId();
        String span = Records.spanId();
        RecordRow.Span stored = (RecordRow.Span) RecordParser.parse(Records.span(trace, span, null, "plan", START, END,
                "ok", "{\"animal\":\"capybara\"}")).row();
        RecordRow.Log log = (RecordRow.Log) RecordParser.parse(Records.log(trace, span, START, "info",
                "fed the axolotl")).row();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO spans (trace_id, span_id, name, ended,"
                    + " record) VALUES (?, ?, 'plan', 1, ?)")) {
                insert.setString(1, trace);
                insert.setString(2, span);
                insert.setString(3, stored.json());
                insert.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO logs (trace_id, span_id, digest, record)"
                    + " VALUES (?, ?, ?, ?)")) {
                insert.setString(1, trace);
                insert.setString(2, span);
                insert.setBytes(3, log.digest());
                insert.setString(4, log.json());
                insert.executeUpdate();
            }
        }

        try (AitraceServer restarted = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            ApiClient api = new ApiClient(restarted.url());
            assertThat(api.get("/api/search?q=capybara").json().path("hits")).hasSize(1);
            assertThat(api.get("/api/search?q=axolotl").json().path("hits")).hasSize(1);
        }
    }

    @Test
    void aDatabaseIndexedByAnOlderAitraceKeepsItsIndexAndIndexesNothingTwice() throws Exception {
        Path db = dir.resolve("v3.db");
        String old = Records.traceId();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
            for (int v = 0; v < 3; v++) {
                for (String statement : Schema.MIGRATIONS.get(v)) {
                    sql.execute(statement);
                }
            }
            sql.execute("INSERT INTO spans (trace_id, span_id, name, ended, record) VALUES ('" + old
                    + "', 'aaaaaaaaaaaaaaaa', 'plan', 1, '{}')");
            sql.execute("INSERT INTO span_text (rowid, name, annotations, attributes, io)"
                    + " VALUES (last_insert_rowid(), 'plan', '', 'animal: wombat', '')");
            sql.execute("PRAGMA user_version = 3");
        }

        try (AitraceServer upgraded = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            ApiClient api = new ApiClient(upgraded.url());
            String trace = Records.traceId();
            api.postNdjson(Records.span(trace, Records.spanId(), null, "act", START, END, "ok",
                    "{\"animal\":\"wombat\"}"));

            JsonNode hits = api.get("/api/search?q=wombat").json().path("hits");
            assertThat(hits).extracting(hit -> hit.path("trace_id").asText()).containsExactlyInAnyOrder(old, trace);
            assertThat(api.get("/api/stats").json().path("unindexed").asLong()).isZero();
        }
    }

    @Test
    void theIndexedTextOfASpanIsItsNameAnnotationsAttributesAndInputAndOutputAsKeyValueLines() {
        String record = "{\"v\":1,\"type\":\"span\",\"name\":\"plan\",\"attributes\":{\"model\":\"gpt-4o\","
                + "\"tags\":[\"fast\",{\"depth\":2}],\"score\":1.50,\"none\":null},\"input\":\"What is up?\","
                + "\"output\":{\"answer\":{\"text\":\"sky\",\"ok\":true}},"
                + "\"annotations\":[{\"ts\":\"x\",\"text\":\"first\"},{\"text\":null},{\"text\":\"second\"}]}";

        assertThat(TextIndex.spanText(record)).containsExactly("plan", "first\nsecond\n",
                "model: gpt-4o\ntags: fast\ndepth: 2\nscore: 1.5\n", "What is up?\n\ntext: sky\nok: true\n");
        assertThat(TextIndex.logText("{\"event\":\"called\",\"attrs\":{\"user_id\":42},"
                + "\"exception\":{\"type\":\"java.io.IOException\",\"message\":\"gone\"}}"))
                .containsExactly("called", "user_id: 42\n\ntype: java.io.IOException\nmessage: gone\n");
    }
}
