package io.aitrace.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.TracerFactory;
import io.aitrace.Tracing;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.read.TraceReader;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class AitraceExtensionTest {
    static final Tracer tracer = TracerFactory.getTracer("agent");

    /** What the tests of a scenario saw, by test, for the outer test to check. */
    static final Map<String, List<String>> seen = new ConcurrentHashMap<>();

    static void agent(String name, String... tools) {
        try (Span run = tracer.span(name, NodeType.AGENT)) {
            for (String tool : tools) {
                tracer.run(tool, NodeType.TOOL, () -> { });
            }
        }
    }

    static List<String> rootNames(CapturedTraces traces) {
        return traces.all().stream().map(t -> t.roots().get(0).name()).collect(Collectors.toList());
    }

    @ExtendWith(AitraceExtension.class)
    @Test
    void aTestSeesTheTraceItMade(CapturedTraces traces) {
        agent("booking_agent", "flight_search");

        TraceGraph trace = traces.single();
        assertThat(trace.roots()).extracting(Node::name).containsExactly("booking_agent");
        assertThat(trace.roots().get(0).children()).extracting(Node::name).containsExactly("flight_search");
    }

    @ExtendWith(AitraceExtension.class)
    @Test
    void tracesComeInTheOrderTheyBeganAndCanBePickedByRootName(CapturedTraces traces) {
        agent("first");
        agent("second");
        agent("first", "again");

        assertThat(rootNames(traces)).containsExactly("first", "second", "first");
        assertThat(traces.last().roots().get(0).children()).extracting(Node::name).containsExactly("again");
        assertThat(traces.byName("first").roots().get(0).children()).extracting(Node::name)
                .containsExactly("again");
        assertThat(traces.byName("second").nodes()).hasSize(1);
        assertThat(traces.size()).isEqualTo(3);
    }

    @ExtendWith(AitraceExtension.class)
    @Test
    void aSpanUnderARemoteCallerBelongsToTheTest(CapturedTraces traces) {
        String caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Span remote = Tracing.extract(Map.of("traceparent", caller)::get);
        try (Span handle = tracer.span("handle", NodeType.AGENT, remote)) {
            handle.output("answer", 42);
        }

        Node handle = traces.single().nodes().get(0);
        assertThat(handle.name()).isEqualTo("handle");
        assertThat(handle.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @ExtendWith(AitraceExtension.class)
    @Test
    void recordsStillReachTheConfiguredTarget(CapturedTraces traces) throws IOException {
        agent("to_file", "step");
        String traceId = traces.single().roots().get(0).traceId();

        // The build points aitrace.target at target/test-traces/default.jsonl (see the parent pom).
        Path file = Paths.get(TracerRuntime.global().config().target());
        TraceGraph written = TraceReader.read(file).trace(traceId);
        assertThat(written.nodes()).extracting(Node::name).containsExactlyInAnyOrder("to_file", "step");
    }

    @ExtendWith(AitraceExtension.class)
    @Test
    void tracesBegunInAWrappedPoolBelongToTheTest(CapturedTraces traces) throws Exception {
        ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(2));
        try {
            pool.submit(() -> agent("in_pool", "tool")).get(30, TimeUnit.SECONDS);
            try (Span run = tracer.span("fan_out", NodeType.AGENT)) {
                CompletableFuture<Void> a = CompletableFuture.runAsync(() -> agent("branch_a"), pool);
                CompletableFuture<Void> b = CompletableFuture.runAsync(() -> agent("branch_b"), pool);
                CompletableFuture.allOf(a, b).get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }

        assertThat(rootNames(traces)).containsExactly("in_pool", "fan_out");
        assertThat(traces.byName("fan_out").roots().get(0).children()).extracting(Node::name)
                .containsExactlyInAnyOrder("branch_a", "branch_b");
    }

    @ExtendWith(AitraceExtension.class)
    @Test
    void tracesBegunOnVirtualThreadsOfAWrappedExecutorBelongToTheTest(CapturedTraces traces) throws Exception {
        ExecutorService virtual;
        try {
            virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            // Java 17 to 20 have no virtual threads: a platform thread per task stands in.
            virtual = Executors.newCachedThreadPool();
        }
        ExecutorService wrapped = Tracing.wrap(virtual);
        try {
            wrapped.submit(() -> agent("on_virtual_thread", "tool")).get(30, TimeUnit.SECONDS);
        } finally {
            wrapped.shutdown();
        }
        assertThat(traces.single().nodes()).extracting(Node::name).containsExactly("on_virtual_thread", "tool");
    }

    @Test
    void eachRepetitionOfARepeatedTestSeesItsOwnTrace() {
        seen.clear();
        EngineExecutionResults results = Kit.run(Repeated.class);

        assertThat(Kit.failures(results)).isEmpty();
        assertThat(seen).containsOnly(Map.entry("1", List.of("run_1")), Map.entry("2", List.of("run_2")));
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class Repeated {
        @org.junit.jupiter.api.RepeatedTest(2)
        void runs(org.junit.jupiter.api.RepetitionInfo repetition, CapturedTraces traces) {
            agent("run_" + repetition.getCurrentRepetition());
            seen.put(String.valueOf(repetition.getCurrentRepetition()), rootNames(traces));
        }
    }

    @Test
    void aClosedGlobalRuntimeIsReplacedSoTheNextTestIsStillCaptured() {
        TracerRuntime.global().close();
        seen.clear();

        EngineExecutionResults results = Kit.run(AfterAClosedRuntime.class);

        assertThat(Kit.failures(results)).isEmpty();
        assertThat(seen).containsOnly(Map.entry("captured", List.of("after_close")));
        assertThat(TracerRuntime.global().enabled()).isTrue();
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class AfterAClosedRuntime {
        @Test
        void runs(CapturedTraces traces) {
            agent("after_close");
            seen.put("captured", rootNames(traces));
        }
    }

    @Test
    void twoTestsRunningAtOnceEachSeeOnlyTheirOwnTrace() {
        seen.clear();
        EngineExecutionResults results = Kit.runInParallel(TwoAgentsAtOnce.class);

        assertThat(Kit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(seen).containsOnly(Map.entry("a", List.of("agent_a")), Map.entry("b", List.of("agent_b")));
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class TwoAgentsAtOnce {
        /** Both tests hold their root span open until the other has started its own: they surely overlap. */
        static final CountDownLatch bothRunning = new CountDownLatch(2);

        @Test
        void a(CapturedTraces traces) throws Exception {
            runMeetingTheOther("agent_a", traces);
            seen.put("a", rootNames(traces));
        }

        @Test
        void b(CapturedTraces traces) throws Exception {
            runMeetingTheOther("agent_b", traces);
            seen.put("b", rootNames(traces));
        }

        private static void runMeetingTheOther(String name, CapturedTraces traces) throws Exception {
            ExecutorService pool = Tracing.wrap(Executors.newSingleThreadExecutor());
            try (Span run = tracer.span(name, NodeType.AGENT)) {
                pool.submit(() -> tracer.run(name + "_tool", NodeType.TOOL, () -> { })).get(30, TimeUnit.SECONDS);
                bothRunning.countDown();
                if (!bothRunning.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("the other test did not run at the same time");
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void singleFailsListingTheTracesWhenThereAreSeveral() {
        String message = Kit.failure(Kit.run(TwoTraces.class)).orElseThrow();

        assertThat(message).startsWith("Expected exactly one trace in TwoTraces.makesTwo but it made 2:")
                .contains("  - first [agent] ok, 2 spans, trace ")
                .contains("  - second [agent] ok, 1 span, trace ")
                .endsWith("Use last(), byName(rootName) or all() to pick one.");
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class TwoTraces {
        @Test
        void makesTwo(CapturedTraces traces) {
            agent("first", "tool");
            agent("second");
            traces.single();
        }
    }

    @Test
    void byNameFailsListingTheRootsThereAre() {
        String message = Kit.failure(Kit.run(WrongName.class)).orElseThrow();

        assertThat(message).startsWith("No trace with root span 'planner' in WrongName.asksForAnother; its traces:")
                .contains("  - booking_agent [agent] ok, 1 span");
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class WrongName {
        @Test
        void asksForAnother(CapturedTraces traces) {
            agent("booking_agent");
            traces.byName("planner");
        }
    }

    @Test
    void anEmptyCaptureSaysNoTraceWasRecordedAndWhy() {
        String message = Kit.failure(Kit.run(UnwrappedExecutor.class)).orElseThrow();

        assertThat(message).startsWith("No trace was recorded in UnwrappedExecutor.runsOnAPlainPool.\n")
                .contains("Found:\n  - 1 trace began while this test ran outside any test's context: the code ran"
                        + " on an executor not wrapped with Tracing.wrap(...)")
                .contains("Likely causes:\n")
                .contains("  - no aitrace provider on the test class path")
                .contains("  - tracing disabled (aitrace.enabled=false)")
                .contains("  - the code ran on an unwrapped executor: wrap it with Tracing.wrap(executor)");
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class UnwrappedExecutor {
        @Test
        void runsOnAPlainPool(CapturedTraces traces) throws Exception {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                pool.submit(() -> agent("lost_agent")).get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdown();
            }
            traces.last();
        }
    }

    @Test
    void aSpanOutlivingItsTestIsNotCountedAsBegunOutsideTheNextTest() {
        String message = Kit.failure(Kit.run(Outliving.class)).orElseThrow();

        assertThat(message).startsWith("No trace was recorded in Outliving.b_endsItAndRecordsNothing.\n")
                .doesNotContain("Found:");
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class Outliving {
        static Span leftOpen;

        @Test
        void a_startsASpanItDoesNotEnd(CapturedTraces traces) {
            leftOpen = tracer.startSpan("left_open", NodeType.AGENT);
            assertThat(traces.size()).isEqualTo(1);
        }

        @Test
        void b_endsItAndRecordsNothing(CapturedTraces traces) {
            leftOpen.close();
            traces.last();
        }
    }

    @Test
    void anEmptyCaptureSaysWhenTracingIsDisabled() {
        TracerRuntime.install(TracerConfig.builder().enabled(false).build());
        try {
            String message = Kit.failure(Kit.run(NothingRecorded.class)).orElseThrow();
            assertThat(message).startsWith("No trace was recorded in NothingRecorded.runsTheAgent.\n")
                    .contains("Found:\n  - tracing is disabled (aitrace.enabled=false, or AITRACE_ENABLED=false)");
        } finally {
            TracerRuntime.install(TracerConfig.fromEnvironment());
        }
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class NothingRecorded {
        @Test
        void runsTheAgent(CapturedTraces traces) {
            agent("booking_agent");
            traces.last();
        }
    }

    @Test
    void aFailedTestsTracesAreWrittenAsAnHtmlPageAndItsPathPrinted(@TempDir Path dir) throws IOException {
        System.setProperty(AitraceExtension.OUTPUT_DIR_PROPERTY, dir.toString());
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        EngineExecutionResults results;
        try {
            System.setOut(new java.io.PrintStream(printed, true, "UTF-8"));
            results = Kit.run(FailingTest.class);
        } finally {
            System.setOut(out);
            System.clearProperty(AitraceExtension.OUTPUT_DIR_PROPERTY);
        }

        Path page = dir.resolve("io.aitrace.test.AitraceExtensionTest_FailingTest").resolve("fails.html");
        assertThat(Kit.failure(results)).hasValue("the agent booked the wrong city");
        assertThat(page).exists();
        assertThat(Files.readString(page)).contains("booking_agent", "flight_search");
        assertThat(printed.toString("UTF-8")).isEqualTo("aitrace: traces of failed test FailingTest.fails: "
                + page.toAbsolutePath() + System.lineSeparator());
        assertThat(Kit.reportEntries(results)).containsExactly("{aitrace.html=" + page.toAbsolutePath() + "}");
        // Passing tests write nothing.
        assertThat(dir.resolve("io.aitrace.test.AitraceExtensionTest_FailingTest").resolve("passes.html"))
                .doesNotExist();
    }

    @Scenario
    @ExtendWith(AitraceExtension.class)
    static class FailingTest {
        @Test
        void fails() {
            agent("booking_agent", "flight_search");
            throw new AssertionError("the agent booked the wrong city");
        }

        @Test
        void passes() {
            agent("booking_agent", "flight_search");
        }
    }
}
