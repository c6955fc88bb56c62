package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.target.MemoryTraces;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.read.TraceGraph;
import io.aitrace.Tracer;
import io.aitrace.Tracing;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Java 25 only: inheritable attributes and sampling decisions reach virtual threads and structured forks. */
class InheritanceOnJava25Test {
    private final MemoryTraces traces = new MemoryTraces();

    private static Node named(TraceGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void virtualThreadsOfAWrappedExecutorAndForksInheritAndMayOverrideForTheirSubtree() throws Exception {
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget())
                .addTarget(traces).build())) {
            Tracer tracer = runtime.tracer("java25");
            ExecutorService virtual = Tracing.wrap(Executors.newVirtualThreadPerTaskExecutor());
            tracer.run("router", NodeType.AGENT, () -> {
                tracer.currentSpan().inheritableAttribute("gen_ai.conversation.id", "conv-25");
                virtual.submit(() -> tracer.run("on_virtual", NodeType.TOOL, () -> { })).get(10, TimeUnit.SECONDS);
                try (var scope = StructuredTaskScope.open()) {
                    scope.fork(() -> tracer.call("specialist", NodeType.AGENT, () -> {
                        tracer.currentSpan().inheritableAttribute("gen_ai.conversation.id", "conv-25-b");
                        return tracer.call("specialist_tool", NodeType.TOOL, () -> "ok");
                    }));
                    scope.fork(() -> tracer.call("plain_fork", NodeType.STEP, () -> "ok"));
                    scope.join();
                }
            });
            virtual.shutdown();
            runtime.flush();
        }
        TraceGraph graph = traces.last().orElseThrow();
        assertThat(graph.nodes()).hasSize(5);
        assertThat(named(graph, "on_virtual").attribute("gen_ai.conversation.id")).isEqualTo("conv-25");
        assertThat(named(graph, "on_virtual").thread()).isNotEqualTo(named(graph, "router").thread());
        assertThat(named(graph, "plain_fork").attribute("gen_ai.conversation.id")).isEqualTo("conv-25");
        assertThat(named(graph, "specialist").attribute("gen_ai.conversation.id")).isEqualTo("conv-25-b");
        assertThat(named(graph, "specialist_tool").attribute("gen_ai.conversation.id")).isEqualTo("conv-25-b");
        assertThat(named(graph, "specialist_tool").parent().name()).isEqualTo("specialist");
        assertThat(named(graph, "router").children()).extracting(Node::name)
                .containsExactlyInAnyOrder("on_virtual", "specialist", "plain_fork");
    }

    @Test
    void aTraceLeftOutBySamplingStaysOutInForks() throws Exception {
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget())
                .addTarget(traces).sampleRatio(0).build())) {
            Tracer tracer = runtime.tracer("java25");
            tracer.run("router", NodeType.AGENT, () -> {
                try (var scope = StructuredTaskScope.open()) {
                    scope.fork(() -> tracer.call("fork", NodeType.STEP, () -> "ok"));
                    scope.join();
                }
            });
            runtime.flush();
            assertThat(runtime.writtenRecords()).isZero();
        }
        assertThat(traces.traces()).isEmpty();
    }
}
