package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path home;

    @Test
    void theDemoPrintsTheTreeOfEveryTraceOfExamplesOneToSixAndWritesThemToTheDemoDirectory() throws Exception {
        Path tracesDir = home.resolve("traces");

        Cli.Result result = Cli.run(tracesDir, "demo", "--no-serve", "--no-color", "--width", "0");

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        Path file = home.resolve("demo").resolve("traces").resolve("demo.jsonl");
        String out = result.out();
        assertThat(out).containsSubsequence(
                "── Example 1: sequential tool calling", "Trace: [agent] weather_agent",
                "── Example 2: parallel fan-out", "‖ [tool] web_search", "[step] merge_results",
                "── Example 3: retry and fallback", "[tool] kb_search#2", "↻ retry of kb_search",
                "── Example 4: multi-agent router", "[agent] travel_agent", "[retrieval] fare_lookup",
                "── Example 5: e-commerce checkout", "Trace: [step] checkout", "Trace: [step] checkout",
                "ERROR charge_card failed", "Trace: [step] checkout", "mat-11 is out of stock",
                "── Example 6: chatbot conversation", "INFO turn 1 of conversation conv-chat-1",
                "INFO turn 2 of conversation", "INFO turn 3 of conversation",
                "── Example 9: LangChain4j AI Service", "[agent] TravelAssistant.book", "[tool] bookHotel",
                "↻ retry of chat gpt-4o-mini", "[guardrail] HasBookingReference",
                "── Example 10: LangChain4j agentic workflow", "Trace: [agent] trip_planner", "‖ [agent] find",
                "12 traces from 8 examples written to " + file);
        assertThat(out).contains("⤷ fallback of kb_search#2").doesNotContain("Viewer");
        TraceGraph graph = TraceReader.read(file);
        assertThat(graph.traceIds()).hasSize(12);
        for (String id : graph.traceIds()) {
            assertThat(out).contains("\ntrace " + id + "\n");
        }
    }

    @Test
    void everyRunStartsFromAFreshDemoStoreAndLeavesOtherFilesAlone() throws Exception {
        Path demo = home.resolve("elsewhere");
        Files.createDirectories(demo.resolve("traces"));
        Files.writeString(demo.resolve("traces").resolve("demo.jsonl"), "{\"not\":\"a record\"}\n");
        Files.writeString(demo.resolve("notes.txt"), "mine");

        Cli.Result result = Cli.run(home.resolve("traces"), "demo", "--no-serve", "--dir", demo.toString());

        assertThat(result.exitCode()).isZero();
        TraceGraph graph = TraceReader.read(demo.resolve("traces").resolve("demo.jsonl"));
        assertThat(graph.traceIds()).hasSize(12);
        assertThat(graph.skippedLines()).isZero();
        assertThat(demo.resolve("notes.txt")).hasContent("mine");
        assertThat(home.resolve("demo")).doesNotExist();
    }

    @Test
    void aPortInUseIsOneLineOnStderrAfterTheTreesWithExitCodeTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Cli.Result result = Cli.run(home.resolve("traces"), "demo", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.out()).contains("12 traces from 8 examples written to");
            assertThat(result.err()).startsWith("aitrace: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .endsWith("choose another --port, or --no-serve)\n");
        }
    }
}
