package io.aitrace.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.record.Timestamps;
import io.aitrace.read.Edge;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A golden trace: the structure of a trace recorded once and checked in (span names, types, nesting, edges,
 * statuses with the error type, and chosen attributes), that later runs are compared with, span by span, paired
 * as {@code aitrace diff} pairs them. IDs, times, durations, inputs, outputs and logs are not kept.
 *
 * <p>The file is a trace in record format v1 with made-up IDs and times (one millisecond per span, in tree
 * order), so {@code aitrace inspect} and {@code aitrace diff} read it too. A relative name is resolved against
 * {@code src/test/resources} (or {@code -Daitrace.golden.dir}). A missing file is written from the run and the
 * assertion fails once, saying so; {@code -Daitrace.golden.update=true} rewrites every golden file a run
 * compares with, and passes.
 */
final class GoldenTrace {
    /** Set to {@code true} to rewrite golden files from this run. */
    static final String UPDATE_PROPERTY = "aitrace.golden.update";
    /** The directory relative golden file names are resolved against; {@code src/test/resources} unless set. */
    static final String DIR_PROPERTY = "aitrace.golden.dir";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.parse("2000-01-01T00:00:00Z");
    private static final String TRACE_ID = "00000000000000000000000000000001";

    private GoldenTrace() {
    }

    /** Null when the trace matches the golden file (or the file was rewritten on request), else the failure. */
    static String check(TraceGraph trace, String goldenFile, List<String> attributes) {
        Path file = resolve(goldenFile);
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                write(trace, file, attributes);
                System.out.println("aitrace: updated golden trace " + file.toAbsolutePath());
                return null;
            }
            if (!Files.exists(file)) {
                write(trace, file, attributes);
                return "Golden trace " + file + " did not exist: wrote it from this run ("
                        + TraceGraphAssert.plural(trace.nodes().size(), "span") + "). Check it in; from the next run"
                        + " on, this trace is compared with it.";
            }
        } catch (IOException e) {
            return "Cannot write golden trace " + file + ": " + e;
        }
        TraceGraph golden;
        try {
            golden = read(file);
        } catch (IOException e) {
            return "Cannot read golden trace " + file + ": " + e;
        } catch (IllegalArgumentException e) {
            return "Golden trace " + file + " " + e.getMessage();
        }
        String goldenRoot = golden.roots().get(0).name();
        String root = trace.roots().isEmpty() ? "(none)" : trace.roots().get(0).name();
        if (!goldenRoot.equals(root)) {
            return "Golden trace " + file + " is a trace of \"" + goldenRoot + "\" but this trace's root span is \""
                    + root + "\": compare with the golden file of this trace, or rewrite it with -D"
                    + UPDATE_PROPERTY + "=true.";
        }
        GoldenDiff diff = GoldenDiff.compare(golden, trace, attributes);
        if (diff.equal()) {
            return null;
        }
        return "Trace differs from golden trace " + file + " (A = golden, B = this run):\n" + diff.report()
                + "\nIf the change is intended, run with -D" + UPDATE_PROPERTY + "=true to rewrite the golden file.";
    }

    static Path resolve(String goldenFile) {
        Path path = Paths.get(goldenFile);
        if (path.isAbsolute()) {
            return path;
        }
        String dir = System.getProperty(DIR_PROPERTY);
        return Paths.get(dir == null || dir.isBlank() ? "src/test/resources" : dir.trim()).resolve(path);
    }

    /** The golden trace in a file; IllegalArgumentException with the problem when it is not one. */
    static TraceGraph read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode record;
            try {
                record = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("is malformed: line " + (i + 1) + " is not JSON ("
                        + e.getOriginalMessage() + ")");
            }
            if (record == null || !record.isObject()) {
                throw new IllegalArgumentException("is malformed: line " + (i + 1) + " is not a JSON object");
            }
            JsonNode version = record.get("v");
            if (version == null || !version.isNumber() || version.asInt() != 1) {
                throw new IllegalArgumentException("is not in record format v1: line " + (i + 1) + " has \"v\":"
                        + version + " (this tracer-test reads v1; rewrite it with -D" + UPDATE_PROPERTY + "=true)");
            }
            String problem = TraceReader.readRecord(line).problem();
            if (problem != null) {
                throw new IllegalArgumentException("is malformed: line " + (i + 1) + ": " + problem);
            }
            records.add(line);
        }
        TraceGraph graph = TraceReader.readLines(records);
        if (graph.nodes().isEmpty()) {
            throw new IllegalArgumentException("has no spans");
        }
        if (graph.traceIds().size() > 1) {
            throw new IllegalArgumentException("holds " + graph.traceIds().size() + " traces; a golden file holds"
                    + " one");
        }
        return graph;
    }

    /** Writes the structure of the trace as records with made-up IDs and times. */
    static void write(TraceGraph trace, Path file, List<String> attributes) throws IOException {
        List<Node> order = TreeText.preOrder(trace);
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        Map<String, Node> bySpanId = new HashMap<>();
        order.forEach(n -> bySpanId.put(n.spanId(), n));
        StringBuilder out = new StringBuilder();
        for (Node node : order) {
            int i = index.get(node);
            int size = TreeText.subtree(node).size();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("v", 1);
            record.put("type", "span");
            record.put("trace_id", TRACE_ID);
            record.put("span_id", spanId(i));
            record.put("parent_span_id", node.parent() == null ? null : spanId(index.get(node.parent())));
            record.put("name", node.name());
            record.put("node_type", node.type().name());
            record.put("span_kind", node.spanKind());
            record.put("start", Timestamps.format(BASE.plusMillis(i)));
            record.put("end", node.isEnded() ? Timestamps.format(BASE.plusMillis(i + size)) : null);
            record.put("duration_ms", node.isEnded() ? (double) size : null);
            record.put("status", node.status());
            record.put("error", node.error() == null ? null : Map.of("type", String.valueOf(node.error().get("type"))));
            Map<String, Object> kept = new LinkedHashMap<>();
            for (String key : attributes) {
                if (node.attributes().containsKey(key)) {
                    kept.put(key, node.attribute(key));
                }
            }
            record.put("attributes", kept);
            List<Map<String, Object>> edges = new ArrayList<>();
            for (Edge edge : node.edges()) {
                Node target = bySpanId.get(edge.toSpanId());
                if (target != null) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("type", edge.typeName());
                    e.put("trace_id", TRACE_ID);
                    e.put("span_id", spanId(index.get(target)));
                    edges.add(e);
                }
            }
            record.put("edges", edges);
            out.append(JSON.writeValueAsString(record)).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }

    private static String spanId(int index) {
        return String.format("%016x", index + 1);
    }
}
