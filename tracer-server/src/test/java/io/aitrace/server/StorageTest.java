package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aitrace.core.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
    @TempDir
    Path dir;

    private static String pragma(Path db, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aNewDatabaseIsInWalModeAtTheCurrentSchemaVersion() throws Exception {
        Path db = dir.resolve("nested/dirs/logs.db");
        try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            assertThat(new ApiClient(server.url()).get("/api/stats").json().path("schema_version").asInt())
                    .isEqualTo(Schema.VERSION);
        }
        assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(db, "user_version")).isEqualTo(String.valueOf(Schema.VERSION));
        assertThat(pragma(db, "auto_vacuum")).isEqualTo("2");
    }

    @Test
    void aNewDatabaseHasPagesOf8KiBAndAnExistingOneKeepsItsOwn() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        Path existing = dir.resolve("existing.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + existing); Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE kept (x)");
        }
        for (Path db : List.of(fresh, existing)) {
            try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
                ApiClient api = new ApiClient(server.url());
                String trace = Records.traceId();
                api.postNdjson(Records.log(trace, Records.spanId(), "2026-12-04T10:00:00Z", "info", "stored"));
                assertThat(api.get("/api/trace/" + trace).json().path("logs")).hasSize(1);
            }
        }

        assertThat(pragma(fresh, "page_size")).isEqualTo("8192");
        assertThat(pragma(existing, "page_size")).isEqualTo("4096");
        assertThat(pragma(existing, "journal_mode")).isEqualTo("wal");
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedUntouched() throws Exception {
        Path db = dir.resolve("newer.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
            sql.execute("PRAGMA user_version = 99");
        }

        assertThatThrownBy(() -> AitraceServer.start(ServerConfig.builder().port(0).database(db).build()))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot open the database " + db.toAbsolutePath() + ": the database " + db.toAbsolutePath()
                        + " has schema version 99, newer than this aitrace understands (" + Schema.VERSION
                        + "): use a newer aitrace or another --db");
        assertThat(pragma(db, "user_version")).isEqualTo("99");
    }

    @Test
    void tracesOlderThanTheRetentionAgeAreDeletedAtStart() throws Exception {
        Path db = dir.resolve("logs.db");
        String trace = Records.traceId();
        try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            new ApiClient(server.url()).postNdjson(Records.span(trace, Records.spanId(), null, "old",
                    "2026-11-21T18:00:00Z", "2026-11-21T18:00:01Z"));
        }
        try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(db)
                .retain(Duration.ofMillis(1)).build())) {
            ApiClient api = new ApiClient(server.url());
            assertThat(Await.until(() -> api.get("/api/trace/" + trace).status() == 404)).isTrue();
            assertThat(api.get("/api/search?q=old").json().path("hits")).isEmpty();
            assertThat(api.get("/api/stats").json().path("spans").asLong()).isZero();
        }
    }

    @Test
    void theOldestTracesGoWhileTheDataIsLargerThanTheSizeLimit() throws Exception {
        Path db = dir.resolve("logs.db");
        String big = "x".repeat(4000);
        String oldest = null;
        String newest = null;
        String[] lines = new String[200];
        for (int i = 0; i < lines.length; i++) {
            String trace = Records.traceId();
            String start = String.format("2026-11-21T18:%02d:%02dZ", i / 60, i % 60);
            lines[i] = Records.span(trace, Records.spanId(), null, "t" + i, start, start, "ok",
                    "{\"blob\":\"" + big + i + "\"}");
            oldest = oldest == null ? trace : oldest;
            newest = trace;
        }
        try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
            assertThat(new ApiClient(server.url()).postNdjson(lines).status()).isEqualTo(200);
        }
        long limit = 512 * 1024; // an empty database takes a page of 8 KiB for each of its tables and indexes
        try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(db)
                .maxDbBytes(limit).build())) {
            ApiClient api = new ApiClient(server.url());
            String first = oldest;
            assertThat(Await.until(() -> api.get("/api/trace/" + first).status() == 404)).isTrue();
            assertThat(api.get("/api/trace/" + newest).status()).isEqualTo(200);
            long traces = api.get("/api/stats").json().path("traces").asLong();
            assertThat(traces).isBetween(1L, 199L);
        }
        long pages = Long.parseLong(pragma(db, "page_count")) - Long.parseLong(pragma(db, "freelist_count"));
        assertThat(pages * Long.parseLong(pragma(db, "page_size"))).isLessThanOrEqualTo(limit);
    }

    @Test
    void agesAndSizesParseAsTheCommandLineWritesThem() {
        assertThat(ServerConfig.parseAge("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ServerConfig.parseAge("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ServerConfig.parseAge("30")).isEqualTo(Duration.ofDays(30));
        assertThat(ServerConfig.parseSize("2g")).isEqualTo(2L << 30);
        assertThat(ServerConfig.parseSize("500MB")).isEqualTo(500L << 20);
        assertThat(ServerConfig.parseSize("1.5GiB")).isEqualTo(3L << 29);
        assertThat(ServerConfig.parseSize("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> ServerConfig.parseSize("lots")).hasMessage("not a size: 'lots' (expected e.g. 2g, 500m, 4096)");
        assertThatThrownBy(() -> ServerConfig.parseAge("soon")).hasMessage("not an age: 'soon' (expected e.g. 7d, 12h, 30m)");
    }
}
