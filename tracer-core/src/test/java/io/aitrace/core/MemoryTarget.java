package io.aitrace.core;

import io.aitrace.core.target.Target;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A target that keeps every line it is given, for tests that assert on the records written; extend it to misbehave. */
public class MemoryTarget implements Target {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> lines = new ArrayList<>();

    @Override
    public void write(byte[] line, int offset, int length) {
        store(line, offset, length);
    }

    public final synchronized void store(byte[] line, int offset, int length) {
        lines.add(new String(line, offset, length, StandardCharsets.UTF_8));
    }

    @Override public void flush() { }
    @Override public void close() { }
    @Override public String describe() { return "memory"; }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public List<JsonNode> records() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines()) {
            try {
                out.add(JSON.readTree(line));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    public List<JsonNode> records(Predicate<JsonNode> filter) {
        return records().stream().filter(filter).toList();
    }

    /** Per span name, the last (ended) span record, in the order spans ended. */
    public Map<String, JsonNode> endedSpans() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode r : records()) {
            if ("span".equals(r.path("type").asText()) && !r.path("end").isNull()) {
                out.put(r.path("name").asText(), r);
            }
        }
        return out;
    }

    public static TracerConfig.Builder config(MemoryTarget target) {
        return TracerConfig.builder().target("none").addTarget(target).serviceName("test-agent")
                .environment(Map.of()).systemProperties(new java.util.Properties())
                .configFile(java.nio.file.Path.of("/nonexistent/aitrace.properties"));
    }
}
