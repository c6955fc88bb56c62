package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/trace/{id}/logs}: a trace's log lines, or one span's, in time order a page at a time. */
class TraceLogsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final String TRACE = Records.traceId();
    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    static String root;
    static String tool;
    static String quiet;

    @BeforeAll
    static void ingestATraceWithLogLinesOnTwoSpans() {
        root = Records.spanId();
        tool = Records.spanId();
        quiet = Records.spanId();
        List<String> lines = new ArrayList<>();
        lines.add(Records.span(TRACE, root, null, "agent", T0.toString(), T0.plusSeconds(60).toString()));
        lines.add(Records.span(TRACE, tool, root, "tool", T0.plusSeconds(1).toString(), T0.plusSeconds(59).toString()));
        lines.add(Records.span(TRACE, quiet, root, "quiet", T0.plusSeconds(2).toString(), T0.plusSeconds(3).toString()));
        // sent out of time order, two of them at the same instant
        for (int k = 24; k >= 0; k--) {
            lines.add(Records.log(TRACE, tool, T0.plusSeconds(1 + k / 2).toString(), "INFO", "tool line " + k));
        }
        lines.add(Records.log(TRACE, root, T0.plusMillis(500).toString(), "WARN", "root line"));
        assertThat(server.api().postNdjson(lines.toArray(String[]::new)).status()).isEqualTo(200);
    }

    @Test
    void aSpansLogLinesComePageByPageInTimeOrderEachOnce() {
        List<String> events = new ArrayList<>();
        List<String> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiClient.Answer answer = server.api().get("/api/trace/" + TRACE + "/logs?span_id=" + tool + "&limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(answer.status()).isEqualTo(200);
            JsonNode page = answer.json();
            assertThat(page.path("trace_id").asText()).isEqualTo(TRACE);
            assertThat(page.path("span_id").asText()).isEqualTo(tool);
            assertThat(page.path("logs").size()).isLessThanOrEqualTo(10);
            for (JsonNode log : page.path("logs")) {
                assertThat(log.path("type").asText()).isEqualTo("log");
                assertThat(log.path("span_id").asText()).isEqualTo(tool);
                events.add(log.path("event").asText());
                times.add(log.path("timestamp").asText());
            }
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(events).hasSize(25).doesNotHaveDuplicates().doesNotContain("root line");
        assertThat(times).isSorted();
        assertThat(events.get(24)).isEqualTo("tool line 24");
    }

    @Test
    void theTracesLogListHoldsEverySpansLines() {
        JsonNode page = server.api().get("/api/trace/" + TRACE + "/logs?limit=1000").json();

        assertThat(page.has("span_id")).isFalse();
        assertThat(page.path("logs").size()).isEqualTo(26);
        assertThat(page.path("logs").get(0).path("event").asText()).isEqualTo("root line");
        assertThat(page.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void aSpanWithoutLogLinesHasAnEmptyList() {
        ApiClient.Answer answer = server.api().get("/api/trace/" + TRACE + "/logs?span_id=" + quiet);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("logs").size()).isZero();
        assertThat(answer.json().path("next_cursor").isNull()).isTrue();
    }

    @Test
    void badInputIsRefusedNamingTheProblem() {
        ApiClient.Answer span = server.api().get("/api/trace/" + TRACE + "/logs?span_id=zz%3Cb%3E");
        assertThat(span.status()).isEqualTo(400);
        assertThat(span.json().path("error").asText()).isEqualTo("span_id must be hex digits (16 for a span ID), not 'zz<b>'");

        ApiClient.Answer cursor = server.api().get("/api/trace/" + TRACE + "/logs?cursor=nonsense");
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.json().path("error").asText()).isEqualTo("not a cursor of this listing: 'nonsense'");

        ApiClient.Answer limit = server.api().get("/api/trace/" + TRACE + "/logs?limit=-3");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().path("error").asText()).isEqualTo("limit must be a positive whole number, not '-3'");

        ApiClient.Answer unknownSpan = server.api().get("/api/trace/" + TRACE + "/logs?span_id=00000000deadbeef");
        assertThat(unknownSpan.status()).isEqualTo(404);
        assertThat(unknownSpan.json().path("error").asText())
                .isEqualTo("no span 00000000deadbeef in trace " + TRACE);

        String unknown = Records.traceId();
        ApiClient.Answer trace = server.api().get("/api/trace/" + unknown + "/logs");
        assertThat(trace.status()).isEqualTo(404);
        assertThat(trace.json().path("error").asText()).isEqualTo("no trace " + unknown);
    }
}
