package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/traces?q=}: a word found in every trace (probed trace by trace), a word found in every other trace
 * (the traces walked newest first against the set of those it is in) and a word found in a few (each match's trace
 * looked up) all give the matching traces newest first, every one once across the pages.
 */
class TraceListWordsTest {
    /** Over the bound at which a word counts as frequent (56·√T, 3,920), with half of them over the few (2,000). */
    private static final int TRACES = 5_000;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final List<String> newestFirst = new ArrayList<>();

    @BeforeAll
    static void store() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < TRACES; i++) {
            String trace = Records.traceId();
            newestFirst.add(0, trace);
            String start = String.format("2026-11-21T%02d:%02d:%02d.000000Z", 18 + i / 3600, i / 60 % 60, i % 60);
            String attributes = "{\"topic\":\"forecast" + (i % 100 == 7 ? " hailstorm" : "")
                    + (i % 2 == 1 ? " drizzle" : "") + "\"}";
            lines.add(Records.span(trace, Records.spanId(), null, "agent", start, start, "ok", attributes));
        }
        server.server().ingest(lines);
    }

    private static List<String> allPages(String query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.api().get("/api/traces?limit=200&q=" + query
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.path("traces").forEach(row -> ids.add(row.path("trace_id").asText()));
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    @Test
    void aWordInEveryTraceListsThemAllNewestFirst() {
        assertThat(allPages("forecast")).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void theThreeWaysOfListingAreChosenByTheCountOfMatches() {
        assertThat(TRACES).isGreaterThanOrEqualTo((int) TraceQueries.manyMatches(TRACES));
        assertThat(TRACES / 2).isBetween(TraceQueries.FEW_MATCHES, (int) TraceQueries.manyMatches(TRACES) - 1);
        assertThat(TRACES / 100).isLessThan(TraceQueries.FEW_MATCHES);
    }

    @Test
    void aWordInEveryOtherTraceListsJustThoseNewestFirst() {
        List<String> expected = newestWhere(2, 1);
        assertThat(allPages("drizzle")).hasSize(TRACES / 2).containsExactlyElementsOf(expected);
        // with a filter read from each trace's row the matches' traces are looked up instead of walked
        assertThat(allPages("drizzle&name=agent")).containsExactlyElementsOf(expected);
        assertThat(allPages("drizzle&name=nobody")).isEmpty();
    }

    @Test
    void aWordInAFewTracesListsJustThoseNewestFirst() {
        List<String> expected = newestWhere(100, 7);
        assertThat(allPages("hailstorm")).hasSize(TRACES / 100).containsExactlyElementsOf(expected);
    }

    /** The traces stored i-th with {@code i % every == at} (those given the word), newest first. */
    private static List<String> newestWhere(int every, int at) {
        List<String> traces = new ArrayList<>();
        for (int i = TRACES - 1; i >= 0; i--) {
            if (i % every == at) {
                traces.add(newestFirst.get(TRACES - 1 - i));
            }
        }
        return traces;
    }
}
