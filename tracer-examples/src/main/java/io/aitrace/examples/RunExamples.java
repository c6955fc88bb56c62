package io.aitrace.examples;

import io.aitrace.TraceGraph;
import io.aitrace.core.TraceReader;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's main command: runs the example agents into a JSON-lines file and prints each trace as a tree.
 * The file is {@code target/demo-traces.jsonl} unless a path is given as the first argument.
 */
public final class RunExamples {
    private RunExamples() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "target/demo-traces.jsonl").toAbsolutePath();
        Files.deleteIfExists(file);
        TracerRuntime runtime = TracerRuntime.install(TracerConfig.builder().target(file.toString())
                .serviceName("aitrace-examples").build());
        String answer = new SequentialToolCalling().answer("What's the weather in Paris?", "conv-001");
        runtime.flush();
        runtime.close();

        TraceGraph graph = TraceReader.read(file);
        System.out.println("Agent answered: " + answer);
        System.out.println("Trace written to " + file + ":\n");
        for (String traceId : graph.traceIds()) {
            System.out.println("trace " + traceId);
            TreePrinter.print(graph.trace(traceId), System.out);
            System.out.println();
        }
    }
}
