package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The paged trace API: every span reachable exactly once, by tree-order pages and by children pages. */
class TracePagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final String TRACE = Records.traceId();
    /** Each span's parent as sent (null for the root). */
    static final Map<String, String> PARENTS = new HashMap<>();
    static String root;
    static String orphan;

    @BeforeAll
    static void ingestATraceOfFourLevelsWithAnOrphanAndAParentLoop() {
        Instant t0 = Instant.parse("2026-11-21T18:00:00Z");
        List<String> lines = new ArrayList<>();
        int[] clock = {0};
        root = add(lines, null, "agent", t0, clock);
        for (int a = 0; a < 5; a++) {
            String step = add(lines, root, "step", t0, clock);
            for (int b = 0; b < 7; b++) {
                String tool = add(lines, step, "tool", t0, clock);
                for (int c = 0; c < b; c++) {
                    add(lines, tool, "call", t0, clock);
                }
            }
        }
        orphan = add(lines, Records.spanId(), "orphan", t0, clock); // its parent was never stored
        String first = Records.spanId();
        String second = add(lines, first, "loop", t0, clock);
        String third = add(lines, second, "loop", t0, clock);
        lines.add(Records.span(TRACE, first, third, "loop", t0.plusMillis(clock[0]).toString(),
                t0.plusMillis(clock[0] + 1).toString()));
        PARENTS.put(first, third);
        assertThat(server.api().postNdjson(lines.toArray(String[]::new)).status()).isEqualTo(200);
    }

    private static String add(List<String> lines, String parent, String name, Instant t0, int[] clock) {
        String id = Records.spanId();
        int at = clock[0]++;
        lines.add(Records.span(TRACE, id, parent, name, t0.plusMillis(at).toString(),
                t0.plusMillis(at + 1).toString()));
        PARENTS.put(id, parent);
        return id;
    }

    @Test
    void treeOrderPagesListEverySpanOnceWithParentsBeforeChildren() {
        List<JsonNode> spans = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = server.api().get("/api/trace/" + TRACE + "?limit=7"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.path("span_count").asInt()).isEqualTo(PARENTS.size());
            assertThat(page.path("spans").size()).isLessThanOrEqualTo(7);
            page.path("spans").forEach(spans::add);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null);

        List<String> ids = spans.stream().map(span -> span.path("span_id").asText()).toList();
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(PARENTS.keySet());
        assertThat(pages).isEqualTo((PARENTS.size() + 6) / 7);
        for (int i = 0; i < ids.size(); i++) {
            String parent = PARENTS.get(ids.get(i));
            if (parent != null && ids.contains(parent) && spans.get(i).path("depth").asInt() > 0) {
                assertThat(ids.indexOf(parent)).as("parent of %s listed first", ids.get(i)).isLessThan(i);
            }
        }
        JsonNode first = spans.get(0);
        assertThat(first.path("span_id").asText()).isEqualTo(root);
        assertThat(first.path("name").asText()).isEqualTo("agent");
        assertThat(first.path("child_count").asInt()).isEqualTo(5);
        assertThat(first.path("descendant_count").asInt()).isEqualTo(5 + 5 * 7 + 5 * 21);
        assertThat(first.path("depth").asInt()).isZero();
    }

    @Test
    void childrenPagesReachEverySpanOnceFromTheRoots() {
        JsonNode firstPage = server.api().get("/api/trace/" + TRACE + "?limit=1000").json();
        List<String> roots = new ArrayList<>();
        firstPage.path("spans").forEach(span -> {
            if (span.path("depth").asInt() == 0) {
                roots.add(span.path("span_id").asText());
            }
        });
        assertThat(roots).contains(root, orphan).hasSize(3); // the loop is cut at its earliest span

        List<String> reached = new ArrayList<>(roots);
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            String parent = pending.poll();
            String cursor = null;
            do {
                JsonNode page = server.api().get("/api/trace/" + TRACE + "/children/" + parent + "?limit=3"
                        + (cursor == null ? "" : "&cursor=" + cursor)).json();
                for (JsonNode child : page.path("children")) {
                    assertThat(PARENTS.get(child.path("span_id").asText())).isEqualTo(parent);
                    reached.add(child.path("span_id").asText());
                    pending.add(child.path("span_id").asText());
                }
                cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            } while (cursor != null);
        }

        assertThat(reached).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(PARENTS.keySet());
    }

    @Test
    void searchInsideATraceFindsSpansNotYetLoadedWithTheWayDownToThem() {
        JsonNode found = server.api().get("/api/trace/" + TRACE + "/search?q=call&limit=2").json();

        assertThat(found.path("total").asInt()).isEqualTo(5 * 21);
        assertThat(found.path("spans").size()).isEqualTo(2);
        JsonNode first = found.path("spans").get(0);
        assertThat(first.path("name").asText()).isEqualTo("call");
        List<String> ancestors = new ArrayList<>();
        first.path("ancestors").forEach(id -> ancestors.add(id.asText()));
        assertThat(ancestors).hasSize(3).startsWith(root);
        assertThat(PARENTS.get(first.path("span_id").asText())).isEqualTo(ancestors.get(2));
        assertThat(PARENTS.get(ancestors.get(2))).isEqualTo(ancestors.get(1));
        assertThat(PARENTS.get(ancestors.get(1))).isEqualTo(root);

        JsonNode alone = server.api().get("/api/trace/" + TRACE + "/search?q=orphan").json();
        assertThat(alone.path("spans").get(0).path("span_id").asText()).isEqualTo(orphan);
        assertThat(alone.path("spans").get(0).path("ancestors")).isEmpty();
    }

    @Test
    void timelineBinsCountWhatRanInEachBin() {
        JsonNode timeline = server.api().get("/api/trace/" + TRACE + "/timeline?bins=4").json();

        assertThat(timeline.path("started")).hasSize(4);
        long started = 0;
        for (JsonNode n : timeline.path("started")) {
            started += n.asLong();
        }
        assertThat(started).isEqualTo(PARENTS.size());
        assertThat(timeline.path("running").get(0).asLong()).isGreaterThanOrEqualTo(timeline.path("started").get(0).asLong());
        assertThat(timeline.path("errors").get(0).asLong()).isZero();
        assertThat(server.api().get("/api/trace/" + TRACE + "/timeline?bins=0").status()).isEqualTo(400);
    }

    @Test
    void thePathOfASpanGoesFromItsRootDownToItWithEachSpansPlaceAmongItsSiblings() {
        String call = server.api().get("/api/trace/" + TRACE + "/search?q=call&limit=1").json()
                .path("spans").get(0).path("span_id").asText();

        JsonNode path = server.api().get("/api/trace/" + TRACE + "/path/" + call).json();

        List<String> ids = new ArrayList<>();
        path.path("spans").forEach(span -> ids.add(span.path("span_id").asText()));
        assertThat(ids).hasSize(4).startsWith(root).endsWith(call);
        for (int k = 1; k < ids.size(); k++) {
            assertThat(PARENTS.get(ids.get(k))).isEqualTo(ids.get(k - 1));
            JsonNode span = path.path("spans").get(k);
            assertThat(span.path("depth").asInt()).isEqualTo(k);
            JsonNode sibling = server.api().get("/api/trace/" + TRACE + "/children/" + ids.get(k - 1) + "?limit=1&offset="
                    + span.path("index").asInt()).json().path("children").get(0);
            assertThat(sibling.path("span_id").asText()).as("the child at the span's index").isEqualTo(ids.get(k));
        }
        assertThat(server.api().get("/api/trace/" + TRACE + "/path/00000000deadbeef").status()).isEqualTo(404);
        assertThat(server.api().get("/api/trace/" + TRACE + "/children/" + root + "?offset=-1").status()).isEqualTo(400);
    }

    @Test
    void eachTimelineBinNamesTheFirstSpanThatStartedInIt() {
        JsonNode timeline = server.api().get("/api/trace/" + TRACE + "/timeline?bins=4").json();

        assertThat(timeline.path("first_span")).hasSize(4);
        assertThat(timeline.path("first_span").get(0).asText()).isEqualTo(root);
        for (int i = 0; i < 4; i++) {
            assertThat(timeline.path("first_span").get(i).isNull()).isEqualTo(timeline.path("started").get(i).asLong() == 0);
        }
    }

    @Test
    void aSpanStoredAfterAPageWasAnsweredIsInTheNextPage() {
        String trace = Records.traceId();
        String top = Records.spanId();
        assertThat(server.api().postNdjson(Records.span(trace, top, null, "top", "2026-11-21T18:00:00Z",
                "2026-11-21T18:00:01Z")).status()).isEqualTo(200);
        assertThat(server.api().get("/api/trace/" + trace + "?limit=10").json().path("span_count").asInt()).isEqualTo(1);

        assertThat(server.api().postNdjson(Records.span(trace, Records.spanId(), top, "later",
                "2026-11-21T18:00:00.5Z", "2026-11-21T18:00:00.6Z")).status()).isEqualTo(200);

        JsonNode page = server.api().get("/api/trace/" + trace + "?limit=10").json();
        assertThat(page.path("span_count").asInt()).isEqualTo(2);
        assertThat(page.path("spans").get(0).path("child_count").asInt()).isEqualTo(1);
        assertThat(page.path("spans").get(1).path("name").asText()).isEqualTo("later");
    }

    @Test
    void anUnknownSpanOrABadCursorIsAClearError() {
        ApiClient.Answer unknown = server.api().get("/api/trace/" + TRACE + "/children/00000000deadbeef");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("no span 00000000deadbeef in trace " + TRACE);

        ApiClient.Answer bad = server.api().get("/api/trace/" + TRACE + "?limit=5&cursor=nonsense");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).isEqualTo("not a cursor of this listing: 'nonsense'");

        assertThat(server.api().get("/api/trace/" + Records.traceId() + "?limit=5").status()).isEqualTo(404);
    }
}
