package io.aitrace.langchain4j;

import io.aitrace.Tracer;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A tracer writing to a JSON-lines file, and the records read back from it as a user would read them. */
final class TracedRun implements AutoCloseable {
    final Path file;
    final TracerRuntime runtime;
    final Tracer tracer;

    TracedRun(Path dir) {
        file = dir.resolve("trace.jsonl");
        runtime = TracerRuntime.create(TracerConfig.builder().target(file.toString()).serviceName("lc4j-test").build());
        tracer = runtime.tracer("LangChain4jTest");
    }

    LangChain4jTracing tracing(boolean captureContent) {
        return AitraceLangChain4j.builder().tracer(tracer).captureContent(captureContent).build();
    }

    TraceGraph graph() {
        runtime.flush();
        try {
            return TraceReader.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String text() {
        runtime.flush();
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Node> nodes(String name) {
        return graph().nodes().stream().filter(n -> n.name().equals(name)).toList();
    }

    Node node(String name) {
        List<Node> found = nodes(name);
        if (found.size() != 1) {
            throw new AssertionError("expected one span named " + name + ", found " + found.size() + " in "
                    + graph().nodes().stream().map(Node::name).toList());
        }
        return found.get(0);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
