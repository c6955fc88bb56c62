package io.aitrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds the trace a command is about: a JSON-lines file, a directory of them, a trace ID (or a unique prefix of
 * one) in a file, in the default trace directory or on a collector. Every way of not finding it is a
 * {@link CliError} that names what was looked for and where.
 */
final class TraceSource {
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{4,32}");
    private static final int IDS_IN_MESSAGES = 5;

    private final Path defaultDir;
    private final Map<Path, TraceGraph> read = new HashMap<>();

    /** @param defaultDir where traces go when nothing else is configured, searched for bare trace IDs */
    TraceSource(Path defaultDir) {
        this.defaultDir = defaultDir;
    }

    /**
     * One trace, chosen from what a source holds.
     *
     * @param source the file, directory or collector, as shown to the user
     * @param graph everything the source holds
     * @param traceIds the source's trace IDs, newest first
     * @param trace only the chosen trace
     * @param files the files read (empty for a collector)
     * @param fetched the records a collector sent (empty for files)
     * @param picked true when a trace ID chose the trace, false when it is the newest by default
     */
    record Loaded(String source, TraceGraph graph, List<String> traceIds, String traceId, TraceGraph trace,
            List<Path> files, List<String> fetched, boolean picked) {
    }

    /**
     * For {@code inspect} and {@code export}: {@code argument} is a path or a trace ID (null: the default
     * directory); {@code traceId} picks one trace of the path (null: the newest); {@code server} reads the trace
     * from a collector instead.
     */
    Loaded load(String argument, String traceId, String server) {
        if (server != null) {
            if (argument != null && traceId != null) {
                throw new CliError("with --server, give the trace ID once (as the argument or with --trace)");
            }
            String id = traceId != null ? traceId : argument;
            if (id == null) {
                throw new CliError("--server needs a trace ID: aitrace COMMAND TRACE_ID --server " + server);
            }
            return fromCollector(server, id);
        }
        if (argument == null) {
            return choose(defaultDirectory(null), traceId);
        }
        Path path = Path.of(argument);
        if (Files.exists(path)) {
            return choose(path, traceId);
        }
        if (traceId == null && TRACE_ID.matcher(argument).matches()) {
            return choose(defaultDirectory(argument), argument);
        }
        throw new CliError("no such file or directory: " + argument);
    }

    /** For {@code diff}: one side, a path or a trace ID looked up in {@code in} (or the default directory). */
    Loaded loadSide(String argument, Path in, String server) {
        if (server != null) {
            return fromCollector(server, argument);
        }
        if (in != null) {
            if (!Files.exists(in)) {
                throw new CliError("no such file or directory: " + in);
            }
            return choose(in, argument);
        }
        return load(argument, null, null);
    }

    /** The source's JSON lines that belong to the chosen trace, as written (for the HTML export). */
    List<String> recordLines(Loaded loaded) {
        Set<String> spanIds = spanIds(loaded.trace());
        List<String> kept = new ArrayList<>();
        if (loaded.files().isEmpty()) {
            loaded.fetched().forEach(line -> keepIfInTrace(line, loaded.traceId(), spanIds, kept));
            return kept;
        }
        for (Path file : loaded.files()) {
            try (BufferedReader lines = openLines(file)) {
                for (String line = readLine(lines); line != null; line = readLine(lines)) {
                    keepIfInTrace(line, loaded.traceId(), spanIds, kept);
                }
            } catch (IOException e) {
                throw unreadable(file, e);
            }
        }
        return kept;
    }

    private Loaded fromCollector(String server, String traceId) {
        if (!TRACE_ID.matcher(traceId).matches()) {
            throw new CliError("not a trace ID: " + traceId + " (a collector is asked for hex trace IDs)");
        }
        List<String> lines = CollectorClient.traceRecords(server, traceId);
        TraceGraph graph = TraceReader.readLines(lines);
        String source = "the collector at " + server;
        if (graph.traceIds().isEmpty()) {
            throw new CliError("the collector at " + server + " sent no records for trace " + traceId);
        }
        return select(source, graph, traceId, List.of(), lines);
    }

    private Path defaultDirectory(String traceId) {
        if (!Files.isDirectory(defaultDir)) {
            throw new CliError(traceId == null
                    ? "no traces yet: " + defaultDir + " does not exist (give a trace file or directory)"
                    : "no such file, and no trace directory to find trace " + traceId + " in: " + defaultDir
                    + " does not exist");
        }
        return defaultDir;
    }

    private Loaded choose(Path path, String traceId) {
        TraceGraph graph = read.get(path);
        if (graph == null) {
            try {
                graph = TraceReader.read(path);
            } catch (IOException e) {
                throw unreadable(path, e);
            }
            read.put(path, graph);
        }
        List<Path> files = Files.isDirectory(path) ? traceFiles(path) : List.of(path);
        if (graph.traceIds().isEmpty()) {
            throw new CliError(noTraces(path, graph, files));
        }
        return select(path.toString(), graph, traceId, files, List.of());
    }

    private static Loaded select(String source, TraceGraph graph, String wanted, List<Path> files,
            List<String> fetched) {
        List<String> ids = graph.traceIds();
        String id = ids.get(0);
        if (wanted != null) {
            String prefix = wanted.toLowerCase(Locale.ROOT);
            List<String> matches = ids.stream().filter(candidate -> candidate.startsWith(prefix))
                    .collect(Collectors.toList());
            if (matches.isEmpty()) {
                throw new CliError("no trace " + wanted + " in " + source + " (it holds " + some(ids) + ")");
            }
            if (matches.size() > 1) {
                throw new CliError("trace ID " + wanted + " is ambiguous in " + source + ": it starts "
                        + some(matches) + "; give more of it");
            }
            id = matches.get(0);
        }
        // a graph of one trace is that trace: no copy of a million spans
        TraceGraph trace = ids.size() == 1 && graph.orphanLogs().isEmpty() ? graph : graph.trace(id);
        return new Loaded(source, graph, ids, id, trace, files, fetched, wanted != null);
    }

    /** {@code 1 trace: 4bf9…} or {@code 7 traces: a, b, c, d, e and 2 more}. */
    private static String some(List<String> ids) {
        String shown = ids.stream().limit(IDS_IN_MESSAGES).collect(Collectors.joining(", "));
        int more = ids.size() - IDS_IN_MESSAGES;
        return ids.size() + (ids.size() == 1 ? " trace: " : " traces: ") + shown
                + (more > 0 ? " and " + more + " more" : "");
    }

    private static String noTraces(Path path, TraceGraph graph, List<Path> files) {
        String where = "no traces in " + path + ": ";
        if (Files.isDirectory(path) && files.isEmpty()) {
            return where + "it holds no *.jsonl or *.jsonl.gz files";
        }
        String what = Files.isDirectory(path) ? "its " + files.size() + (files.size() == 1 ? " file" : " files")
                : "the file";
        if (graph.skippedLines() > 0) {
            boolean plural = Files.isDirectory(path) && files.size() != 1;
            return where + what + (plural ? " hold" : " holds") + " no records, only "
                    + graph.skippedLines() + " malformed " + (graph.skippedLines() == 1 ? "line" : "lines")
                    + " (" + graph.problems().get(0) + ")";
        }
        if (!graph.logs().isEmpty()) {
            return where + "its log lines belong to no trace";
        }
        return where + (Files.isDirectory(path) ? what + (files.size() == 1 ? " is" : " are") + " empty"
                : "the file is empty");
    }

    private static void keepIfInTrace(String line, String traceId, Set<String> spanIds, List<String> kept) {
        if (line.isBlank()) {
            return;
        }
        JsonNode record;
        try {
            record = JsonText.mapper().readTree(line);
        } catch (IOException e) {
            return; // malformed: the reader already counted it
        }
        if (record == null || !record.isObject()) {
            return;
        }
        if (traceId.equals(record.path("trace_id").asText(null))
                || spanIds.contains(record.path("span_id").asText(""))) {
            kept.add(line);
        }
    }

    static List<Path> traceFiles(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(TraceSource::isTraceFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
    }

    private static boolean isTraceFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) && Files.isRegularFile(file);
    }

    private static BufferedReader openLines(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        if (gzip) {
            try {
                in = new GZIPInputStream(in);
            } catch (EOFException e) {
                in.close();
                return new BufferedReader(new StringReader(""));
            }
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** A line, or null at the end, also where a gzip file was cut off. */
    private static String readLine(BufferedReader lines) throws IOException {
        try {
            return lines.readLine();
        } catch (EOFException e) {
            return null;
        }
    }

    static CliError unreadable(Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new CliError("no such file or directory: " + path, e);
        }
        if (e instanceof AccessDeniedException) {
            return new CliError("permission denied: " + path, e);
        }
        String reason = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                ? ((FileSystemException) e).getReason()
                : e.getMessage() == null ? e.toString() : e.getMessage();
        return new CliError("cannot read " + path + ": " + reason, e);
    }

    private static Set<String> spanIds(TraceGraph trace) {
        Set<String> ids = new HashSet<>();
        for (Node node : trace.nodes()) {
            ids.add(node.spanId());
        }
        return ids;
    }
}
