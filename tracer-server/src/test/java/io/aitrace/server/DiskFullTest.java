package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Stderr;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full disk is a 507 naming it, with one console line when it starts and one when storing works again; the
 * disk fills here through SQLite's {@code max_page_count}, which fails writes exactly as a full disk does.
 */
class DiskFullTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static void limitPages(String value) throws Exception {
        server.server().store().write(tx -> {
            try (Statement sql = tx.writes.db().createStatement()) {
                long pages = 0;
                try (ResultSet rs = sql.executeQuery("PRAGMA page_count")) {
                    pages = rs.next() ? rs.getLong(1) : 0;
                }
                sql.execute("PRAGMA max_page_count = " + (value.equals("now") ? pages : 1_000_000_000L));
            }
            return 0;
        }).get();
    }

    private static String[] spans(String trace, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(Records.span(trace, Records.spanId(), null, "x".repeat(2000), "2026-11-21T18:00:00Z",
                    "2026-11-21T18:00:01Z"));
        }
        return lines.toArray(String[]::new);
    }

    @Test
    void aFullDiskIsA507NamingItAndTheConsoleSaysWhenItStartsAndEnds() throws Exception {
        String trace = Records.traceId();
        ApiClient.Answer[] answers = new ApiClient.Answer[3];
        String err = Stderr.capture(() -> {
            limitPages("now");
            answers[0] = server.api().postNdjson(spans(trace, 200));
            answers[1] = server.api().postNdjson(spans(trace, 200));
            limitPages("lifted");
            answers[2] = server.api().postNdjson(spans(trace, 200));
        });
        ApiClient.Answer full = answers[0];
        ApiClient.Answer fullAgain = answers[1];
        ApiClient.Answer afterwards = answers[2];

        assertThat(full.status()).as(full.body()).isEqualTo(507);
        assertThat(full.json().path("error").asText()).startsWith("disk full: the collector cannot store the records");
        assertThat(fullAgain.status()).as(fullAgain.body()).isEqualTo(507);
        assertThat(afterwards.status()).as(afterwards.body()).isEqualTo(200);
        assertThat(server.api().get("/api/trace/" + trace).json().path("spans")).hasSize(200);
        String db = server.server().store().file().toString();
        assertThat(err.lines()).containsExactly(
                "aitrace: disk full: cannot store records in " + db + "; ingest is refused with 507 until there is space",
                "aitrace: storing records again: there is space on the disk of " + db);
    }
}
