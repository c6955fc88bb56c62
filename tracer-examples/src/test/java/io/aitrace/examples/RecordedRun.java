package io.aitrace.examples;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Runs example code with the global runtime writing to a file, then reads the records back. */
final class RecordedRun {
    private RecordedRun() {
    }

    /** What an example wrote, read back with {@link TraceReader}. */
    static TraceGraph record(Path file, Runnable example) {
        TracerRuntime runtime = TracerRuntime.install(TracerConfig.builder().target(file.toString())
                .serviceName("examples-test").build());
        try {
            example.run();
        } finally {
            runtime.close();
        }
        try {
            return TraceReader.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The only child of {@code node} named {@code name}. */
    static Node child(Node node, String name) {
        List<Node> found = node.children().stream().filter(c -> c.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one child " + name + " under " + node.name() + ", found " + found);
        }
        return found.get(0);
    }

    /** The log messages of a node. */
    static List<String> logs(Node node) {
        return node.logs().stream().map(l -> l.level() + " " + l.event()).collect(Collectors.toList());
    }
}
