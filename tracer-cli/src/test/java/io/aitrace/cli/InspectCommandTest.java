package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void traceOptionPicksATraceOfTheFileByAUniquePrefix() {
        Path file = Fixtures.copy("three-runs.jsonl", dir);

        Cli.Result result = Cli.run(dir, "inspect", file.toString(), "--trace", "0af7");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Trace: [agent] weather_agent (400 ms) ✓\n")
                .contains("└── [llm] classify_intent (385 ms) ✓")
                .doesNotContain("holds 3 traces")
                .contains("trace " + Fixtures.OLDER_TRACE + " · 2 spans");
    }

    @Test
    void aRunningSpanShowsAsRunning() {
        Path file = Fixtures.copy("three-runs.jsonl", dir);

        Cli.Result result = Cli.run(dir, "inspect", file.toString(), "--trace", Fixtures.RUNNING_TRACE);

        assertThat(result.out()).startsWith("Trace: [agent] news_agent (running) …\n").contains("1 running");
    }

    @Test
    void aDirectoryIsReadWholeAndItsNewestTraceShown() throws IOException {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        Fixtures.copy("weather.jsonl", traces);
        TraceText older = new TraceText(Fixtures.OLDER_TRACE);
        older.span("old_agent", "agent", null, -60_000, -59_000);
        older.write(traces.resolve("older.jsonl"));

        Cli.Result result = Cli.run(dir, "inspect", traces.toString(), "-v", "minimal");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("holds 2 traces").contains("Trace: [agent] weather_agent (1.25 s) ✓");
    }

    @Test
    void aBareTraceIdIsLookedUpInTheDefaultTraceDirectory() {
        Fixtures.copy("three-runs.jsonl", dir);

        Cli.Result result = Cli.run(dir, "inspect", Fixtures.OLDER_TRACE.substring(0, 10));

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).startsWith("Trace: [agent] weather_agent (400 ms) ✓\n");
    }

    @Test
    void withoutAnArgumentTheDefaultTraceDirectoryIsRead() {
        Fixtures.copy("weather.jsonl", dir);

        Cli.Result result = Cli.run(dir, "inspect", "-v", "minimal");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Trace: [agent] weather_agent (1.25 s) ✓\n");
    }

    @Test
    void outputOptionWritesTheJsonSummaryToAFileAndNothingToStdout() throws IOException {
        Path file = Fixtures.copy("weather.jsonl", dir);
        Path summary = dir.resolve("out/summary.json");

        Cli.Result result = Cli.run(dir, "inspect", file.toString(), "--json", "--output", summary.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.path("trace_id").asText()).isEqualTo(Fixtures.WEATHER_TRACE);
        assertThat(json.path("tokens").path("total").asLong()).isEqualTo(473);
    }

    @Test
    void coloursAppearOnlyWhenAnsiIsOnAndNotWithNoColor() {
        Path file = Fixtures.copy("weather.jsonl", dir);
        String plain = Cli.run(dir, "inspect", file.toString()).out();
        String coloured;
        String noColor;
        System.setProperty("picocli.ansi", "true");
        try {
            coloured = Cli.run(dir, "inspect", file.toString()).out();
            noColor = Cli.run(dir, "inspect", file.toString(), "--no-color").out();
        } finally {
            System.clearProperty("picocli.ansi");
        }

        assertThat(plain).doesNotContain("\u001b[");
        assertThat(coloured).contains("\u001b[31m✗\u001b[39m").contains("\u001b[32m✓\u001b[39m");
        assertThat(noColor).isEqualTo(plain);
    }

    @Test
    void wideValuesAreCutToTheWidthAtStandardAndWrappedAtFull() {
        Path file = dir.resolve("wide.jsonl");
        TraceText trace = new TraceText(Fixtures.WEATHER_TRACE);
        TraceText.SpanText root = trace.span("agent", "agent", null, 0, 100);
        String long300 = "word ".repeat(60).trim();
        trace.span("llm", "llm", root, 1, 50).output(long300).log("info", long300, 2);
        trace.write(file);

        String standard = Cli.run(dir, "inspect", file.toString(), "--width", "60").out();
        String full = Cli.run(dir, "inspect", file.toString(), "--width", "60", "-v", "full").out();

        assertThat(treeLines(standard)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
        assertThat(standard).containsPattern("\n    └── INFO (word )+w?…\n");
        assertThat(treeLines(full)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
        assertThat(full.lines().filter(line -> line.startsWith("    │") && line.contains("word")).count())
                .isGreaterThan(4);
        assertThat(full.replaceAll("[\\s│└├─]+", " ")).contains(long300.replace(" ", " "));
    }

    /** The lines of the tree, without the footer (whose trace ID is never cut). */
    private static List<String> treeLines(String output) {
        return output.lines().takeWhile(line -> !line.isEmpty()).collect(Collectors.toList());
    }

    @Test
    void aTraceWrittenByTracerCoreShowsItsTreeEdgesErrorsAndParallelBranches() throws Exception {
        Path file = dir.resolve("run.jsonl");
        try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target(file.toString()).build())) {
            Tracer tracer = runtime.tracer("InspectCommandTest");
            try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
                agent.input("query", "weather in Paris?");
                Span failed;
                try (Span search = tracer.span("search", NodeType.TOOL)) {
                    search.error(new IOException("timeout"));
                    failed = search;
                }
                try (Span retry = tracer.span("search", NodeType.TOOL)) {
                    retry.edge(EdgeType.RETRY_OF, failed).output("results", 3);
                }
                try (Span llm = tracer.span("answer", NodeType.LLM)) {
                    llm.attribute("gen_ai.usage.input_tokens", 100).attribute("gen_ai.usage.output_tokens", 20);
                    llm.annotate("short answer is enough");
                }
            }
        }

        Cli.Result tree = Cli.run(dir, "inspect", file.toString());
        Cli.Result json = Cli.run(dir, "inspect", file.toString(), "--json");

        assertThat(tree.exitCode()).isZero();
        assertThat(tree.out()).startsWith("Trace: [agent] weather_agent (")
                .containsPattern("├── \\[tool] search \\(.+\\) ✗ ◆\n│   └── error: java.io.IOException: timeout\n")
                .containsPattern("├── \\[tool] search#2 \\(.+\\) ✓ ◆  ↻ retry of search\n")
                .containsPattern("└── \\[llm] answer \\(.+\\) ✓ ◆ +100→20 tok no price\n"
                        + "    └── annotation: \"short answer is enough\"\n")
                .contains("tokens 100 in / 20 out");
        JsonNode summary = new ObjectMapper().readTree(json.out());
        assertThat(summary.path("errors").get(0).path("path").asText()).isEqualTo("weather_agent/search");
        assertThat(summary.path("counts_by_type").path("tool").asInt()).isEqualTo(2);
    }

    @Test
    void serverOptionReadsTheTraceFromACollector() throws IOException {
        String records = Fixtures.text("fixtures/weather.jsonl");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/trace/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().endsWith("/" + Fixtures.WEATHER_TRACE);
            byte[] body = (known ? records : "{\"error\":\"no such trace\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            Cli.Result found = Cli.run(dir, "inspect", Fixtures.WEATHER_TRACE, "--server", url, "-v", "minimal");
            Cli.Result missing = Cli.run(dir, "inspect", Fixtures.OLDER_TRACE, "--server", url);

            assertThat(found.exitCode()).isZero();
            assertThat(found.out()).startsWith("Trace: [agent] weather_agent (1.25 s) ✓\n");
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.err()).isEqualTo(
                    "aitrace: no trace " + Fixtures.OLDER_TRACE + " on the collector at " + url + "\n");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void collectorAnswersAsAJsonArrayOrAnObjectWithRecordsAreReadToo() {
        String line = "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + Fixtures.WEATHER_TRACE
                + "\",\"span_id\":\"00f067aa0ba902b7\",\"name\":\"agent\"}";

        assertThat(CollectorClient.records("[" + line + "]")).hasSize(1);
        assertThat(CollectorClient.records("{\"records\":[" + line + "," + line + "]}")).hasSize(2);
        assertThat(CollectorClient.records(line + "\n" + line + "\n")).hasSize(2);
        assertThat(CollectorClient.records(line)).as("a single record").hasSize(1);
    }
}
