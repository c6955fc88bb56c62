package io.aitrace.core.read;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.text.TextFit;
import io.aitrace.core.record.Timestamps;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aitrace.read.Annotation;
import io.aitrace.read.Edge;
import io.aitrace.read.Evaluation;
import io.aitrace.EdgeType;
import io.aitrace.read.LogEntry;
import io.aitrace.read.Node;
import io.aitrace.NodeType;
import io.aitrace.read.TraceGraph;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads JSON-lines records (record format v1, and the Python aitrace client's flat log lines) back into a
 * {@link TraceGraph}. Per span the ended record wins over start and snapshot records; malformed or truncated
 * lines are skipped and counted in {@link TraceGraph#skippedLines()}, never thrown.
 *
 * <pre>{@code TraceGraph graph = TraceReader.read(Path.of("run.jsonl")); // a file, a .jsonl.gz or a directory}</pre>
 */
public final class TraceReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // a reader must take whatever the writer wrote, however large an input or output is
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    // Python's json.dumps writes NaN and Infinity by default
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> PYTHON_LOG_FIELDS =
            Set.of("timestamp", "event", "level", "trace_id", "span_id", "parent_span_id");
    private static final int MAX_PROBLEMS = 1000;
    /** The share of the heap records read may take; the graph, the tree and its printing need the rest. */
    private static final double MEMORY_SHARE = 0.4;
    /** What a record costs in memory besides its text: the node or log entry, its IDs, times and links. */
    private static final int RECORD_BYTES = 160;
    /** The size assumed for a record that comes without its text. */
    private static final int RECORD_CHARS_UNKNOWN = 256;
    /** Strings up to this length are shared between records when equal (IDs, names, statuses). */
    private static final int MAX_SHARED_CHARS = 64;
    private static final int MAX_SHARED = 1 << 16;
    private static final int MAX_PROBLEM_LENGTH = 120;
    private static final int BUFFER_SIZE = 1 << 16;
    /** The last instant whose nanoseconds since the epoch fit a {@code long}. */
    private static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);
    /**
     * The longest line read as a record: longer ones (a runaway value, a file that is not JSON lines, a gzip
     * bomb without newlines) are skipped and counted without being held in memory. The writer cuts long strings
     * long before a record gets near this.
     */
    public static final int MAX_LINE_CHARS = 16 << 20;

    private TraceReader() {
    }

    /**
     * Reads a JSON-lines file (gzip-compressed or not), or every {@code *.jsonl} and {@code *.jsonl.gz} file
     * directly in a directory, merged into one graph.
     *
     * @throws java.nio.file.NoSuchFileException naming the path when it does not exist
     */
    public static TraceGraph read(Path path) throws IOException {
        Accumulator records = new Accumulator();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> entries = Files.list(path)) {
                files = entries.filter(TraceReader::isTraceFile).sorted().collect(Collectors.toList());
            }
            for (Path file : files) {
                records.beginSource(file.getFileName().toString());
                readFile(file, records);
            }
        } else {
            readFile(path, records);
        }
        return records.takeGraph();
    }

    /** Reads UTF-8 JSON lines (gzip-compressed or not) to the end of the stream; does not close it. */
    public static TraceGraph read(InputStream in) throws IOException {
        Accumulator records = new Accumulator();
        readStream(in, records);
        return records.takeGraph();
    }

    /** Reads JSON lines to the end; does not close the reader. */
    public static TraceGraph read(Reader in) throws IOException {
        Accumulator records = new Accumulator();
        readLines(in, records);
        return records.takeGraph();
    }

    /** Reads records given one line each. */
    public static TraceGraph readLines(Iterable<String> lines) {
        Accumulator records = new Accumulator();
        for (String line : lines) {
            records.accept(line);
        }
        return records.takeGraph();
    }

    /** Reads records from JSON-lines text. */
    public static TraceGraph parse(String jsonl) {
        try {
            return read(new StringReader(jsonl));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    private static boolean isTraceFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) && Files.isRegularFile(file);
    }

    private static void readFile(Path file, Accumulator records) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            readStream(in, records);
        }
    }

    private static void readStream(InputStream in, Accumulator records) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_SIZE);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b; // gzip's magic number, whatever the name
        buffered.reset();
        InputStream data = buffered;
        if (gzip) {
            try {
                data = new CutGzipInputStream(buffered);
            } catch (EOFException e) {
                return; // cut off inside the gzip header: no records yet
            }
        }
        readLines(new InputStreamReader(data, StandardCharsets.UTF_8), records);
    }

    private static void readLines(Reader in, Accumulator records) throws IOException {
        BoundedLines lines = new BoundedLines(in, MAX_LINE_CHARS);
        for (String line = lines.next(); line != null; line = lines.next()) {
            if (line == BoundedLines.TOO_LONG) {
                records.skipTooLong(lines.skippedChars());
            } else {
                records.accept(line);
            }
        }
    }

    /**
     * A gzip stream that ends where the data ends when a crash cut the file off, instead of throwing: the lines
     * before the cut stay readable and a cut last line is skipped like a truncated plain one.
     */
    private static final class CutGzipInputStream extends GZIPInputStream {
        CutGzipInputStream(InputStream in) throws IOException {
            super(in, BUFFER_SIZE);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (EOFException e) {
                return -1;
            }
        }
    }

    /**
     * What one record says on its own: a span, a log line (with the parent span it names), a count of records its
     * writer dropped, or the problem that makes it unreadable; all of them null or 0 for a blank line or a record
     * type from a newer writer. Merging records (the ended record of a span wins, log lines make implicit spans)
     * is the {@link Accumulator}'s work.
     *
     * @param span the span record read, or null
     * @param log the log line read, or null
     * @param parentSpanId the parent span a log line names, or null
     * @param dropped the count of a {@code "dropped"} record, else 0
     * @param problem why the record cannot be read (one short line), or null
     * @param evaluation an evaluation record (a result sent for a span after it was written), or null
     */
    public record ParsedRecord(Node span, LogEntry log, String parentSpanId, long dropped, String problem,
            SpanEvaluation evaluation) {
        private static final ParsedRecord NOTHING = new ParsedRecord(null, null, null, 0, null, null);

        private static ParsedRecord problem(String problem) {
            return new ParsedRecord(null, null, null, 0, shorten(problem), null);
        }
    }

    /**
     * An evaluation record: the result and the span it belongs to.
     *
     * @param traceId the span's trace
     * @param spanId the span evaluated
     * @param evaluation the result
     */
    public record SpanEvaluation(String traceId, String spanId, Evaluation evaluation) {
    }

    /**
     * Reads one line of JSON-lines input (one record) by the same rules as {@link #read(Path)}, without building
     * a graph: for a collector that stores records one at a time.
     *
     * <pre>{@code TraceReader.ParsedRecord record = TraceReader.readRecord(line); if (record.span() != null) ...}</pre>
     */
    public static ParsedRecord readRecord(String line) {
        if (line == null || line.isBlank()) {
            return ParsedRecord.NOTHING;
        }
        if (line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        Object parsed;
        try {
            parsed = MAPPER.readValue(line, Object.class);
        } catch (JsonProcessingException e) {
            return ParsedRecord.problem(e instanceof JsonEOFException ? "truncated record (input ends inside the JSON)"
                    : "invalid JSON: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof Map)) {
            return ParsedRecord.problem("not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) parsed;
        try {
            return record(record);
        } catch (TimeOutOfRange e) {
            return ParsedRecord.problem(e.getMessage());
        } catch (RuntimeException e) {
            return ParsedRecord.problem("unreadable record: " + Diagnostics.describe(e));
        }
    }

    private static ParsedRecord record(Map<String, Object> record) {
        Object type = record.get("type");
        if (type == null) {
            if (record.containsKey("v")) {
                return ParsedRecord.problem("record without \"type\"");
            }
            boolean inSpan = id(record.get("trace_id")) != null && id(record.get("span_id")) != null;
            if (!inSpan && !record.containsKey("event")) {
                return ParsedRecord.problem("not a trace record (no type, trace_id and span_id)");
            }
            return new ParsedRecord(null, pythonLog(record), id(record.get("parent_span_id")), 0, null, null);
        }
        switch (String.valueOf(type).toLowerCase(Locale.ROOT)) {
            case "span":
                return span(record);
            case "log":
                return new ParsedRecord(null, log(record), id(record.get("parent_span_id")), 0, null, null);
            case "dropped":
                Object count = record.get("count");
                if (!(count instanceof Number)) {
                    return ParsedRecord.problem("dropped record without a count");
                }
                return new ParsedRecord(null, null, null, ((Number) count).longValue(), null, null);
            case "evaluation":
                return evaluationRecord(record);
            default:
                return ParsedRecord.NOTHING; // a record type from a newer writer: not ours to judge
        }
    }

    private static ParsedRecord span(Map<String, Object> record) {
        String spanId = id(record.get("span_id"));
        String traceId = id(record.get("trace_id"));
        if (spanId == null) {
            return ParsedRecord.problem("span record without span_id");
        }
        if (traceId == null) {
            return ParsedRecord.problem("span record without trace_id");
        }
        Instant end = instant(record.get("end"), "end");
        String status = string(record.get("status"));
        status = status == null ? null : status.toLowerCase(Locale.ROOT);
        if (end == null && !"error".equals(status)) {
            status = "running";
        }
        String name = string(record.get("name"));
        return new ParsedRecord(new Node(traceId, spanId, id(record.get("parent_span_id")),
                name == null ? placeholderName(spanId) : name, NodeType.of(string(record.get("node_type"))),
                string(record.get("span_kind")), instant(record.get("start"), "start"), end, status,
                error(record.get("error")), map(record.get("attributes")), record.get("input"),
                record.get("output"), annotations(record.get("annotations")),
                edges(record.get("edges"), traceId, spanId), map(record.get("resource")),
                string(record.get("thread")), false, evaluations(record.get("evaluations"))), null, null, 0, null, null);
    }

    private static ParsedRecord evaluationRecord(Map<String, Object> record) {
        String spanId = id(record.get("span_id"));
        String traceId = id(record.get("trace_id"));
        if (spanId == null || traceId == null) {
            return ParsedRecord.problem("evaluation record without " + (traceId == null ? "trace_id" : "span_id"));
        }
        Evaluation evaluation = evaluation(record);
        if (evaluation == null) {
            return ParsedRecord.problem("evaluation record needs a name and a score or a label");
        }
        return new ParsedRecord(null, null, null, 0, null, new SpanEvaluation(traceId, spanId, evaluation));
    }

    private static List<Evaluation> evaluations(Object value) {
        if (!(value instanceof List)) {
            return null;
        }
        List<Evaluation> evaluations = new ArrayList<>();
        for (Object item : (List<?>) value) {
            if (item instanceof Map) {
                Evaluation evaluation = evaluation((Map<?, ?>) item);
                if (evaluation != null) {
                    evaluations.add(evaluation);
                }
            }
        }
        return evaluations;
    }

    /** An evaluation as written (name, score and/or label, explanation), or null when it says nothing. */
    private static Evaluation evaluation(Map<?, ?> fields) {
        String name = string(fields.get("name"));
        Object rawScore = fields.get("score");
        Double score = null;
        if (rawScore instanceof Number && Double.isFinite(((Number) rawScore).doubleValue())) {
            score = ((Number) rawScore).doubleValue();
        } else if (rawScore instanceof String) {
            try {
                score = Double.valueOf(((String) rawScore).trim());
            } catch (NumberFormatException e) {
                score = null;
            }
        }
        String label = string(fields.get("label"));
        if (name == null || name.isBlank() || score == null && label == null) {
            return null;
        }
        Object ts = fields.get("ts");
        return new Evaluation(instant(ts != null ? ts : fields.get("timestamp"), "ts"), name, score, label,
                string(fields.get("explanation")));
    }

    private static LogEntry log(Map<String, Object> record) {
        Object error = record.get("exception");
        Object attrs = record.get("attrs");
        Map<String, Object> attrMap = attrs == null ? Map.of()
                : attrs instanceof Map ? map(attrs) : Map.of("attrs", attrs);
        return new LogEntry(instant(record.get("timestamp"), "timestamp"), level(record.get("level")),
                string(record.get("logger")), string(record.get("event")), id(record.get("trace_id")),
                id(record.get("span_id")), string(record.get("thread")), Collections.unmodifiableMap(attrMap),
                error(error != null ? error : record.get("error")));
    }

    private static LogEntry pythonLog(Map<String, Object> record) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        record.forEach((key, value) -> {
            if (!PYTHON_LOG_FIELDS.contains(key)) {
                attrs.put(key, value);
            }
        });
        return new LogEntry(instant(record.get("timestamp"), "timestamp"), level(record.get("level")), null,
                string(record.get("event")), id(record.get("trace_id")), id(record.get("span_id")), null,
                Collections.unmodifiableMap(attrs), null);
    }

    /**
     * Builds a graph from lines fed one at a time, for {@code tail}-like use: {@link #accept(String)} complete
     * lines as they arrive, ask for the {@link #graph()} whenever needed. Not thread-safe.
     *
     * <pre>{@code Accumulator records = new TraceReader.Accumulator(); records.accept(line); records.graph();}</pre>
     */
    public static final class Accumulator {
        private final Map<String, Node> spans = new HashMap<>();
        private final Map<String, LoggedSpan> loggedSpans = new HashMap<>();
        private final List<LogEntry> logs = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Map<String, List<Evaluation>> lateEvaluations = new HashMap<>();
        private int skippedLines;
        private long droppedRecords;
        private int lineCount;
        private int sourceLine;
        private String source;
        private final Map<Object, Object> shared = new HashMap<>();
        private final long budget = (long) (Runtime.getRuntime().maxMemory() * MEMORY_SHARE);
        private long kept;
        private long notRead;
        private String notReadFrom;

        /**
         * Marks the lines accepted from now on as coming from another file: their line numbers restart at 1 and
         * problems name the file.
         */
        public void beginSource(String name) {
            source = name;
            sourceLine = 0;
        }

        /** One line of JSON-lines input, without its line terminator. Blank lines are ignored. */
        public void accept(String line) {
            lineCount++;
            sourceLine++;
            if (kept > budget) {
                // the heap is nearly full: the lines left are counted, not read, so what was read can be shown
                if (notRead++ == 0) {
                    notReadFrom = (source == null ? "" : source + " ") + "line " + sourceLine;
                }
                return;
            }
            merge(readRecord(line), line.length());
        }

        /** A record already read, or made in the process ({@link RecordNodes}): merged as a line would be. */
        public void accept(ParsedRecord record) {
            merge(record, RECORD_CHARS_UNKNOWN);
        }

        /** Merges a record whose text had {@code chars} characters (what it costs in memory, roughly). */
        private void merge(ParsedRecord record, int chars) {
            if (record.problem() != null) {
                skip(record.problem());
            } else if (record.span() != null) {
                Node before = spans.get(record.span().spanId());
                // per span the ended record wins: a start or snapshot record after it changes nothing
                if (before == null || !before.isEnded() || record.span().isEnded()) {
                    spans.put(record.span().spanId(), compact(record.span()));
                    if (before == null) {
                        kept += RECORD_BYTES + chars;
                    }
                }
            } else if (record.log() != null) {
                addLog(record.log(), record.parentSpanId());
                kept += RECORD_BYTES + chars;
            } else if (record.evaluation() != null) {
                lateEvaluations.computeIfAbsent(record.evaluation().spanId(), k -> new ArrayList<>())
                        .add(record.evaluation().evaluation());
            } else {
                droppedRecords += record.dropped();
            }
        }

        /** A line longer than {@link #MAX_LINE_CHARS}, skipped unread. */
        void skipTooLong(long chars) {
            lineCount++;
            sourceLine++;
            skip("line of " + chars + " characters, longer than the " + (MAX_LINE_CHARS >> 20)
                    + " MiB a record may have: not read");
        }

        /**
         * The same node with the strings and maps many spans repeat (trace ID, parent, name, status, resource)
         * shared with earlier spans: a million spans of one trace hold one copy of each, not a million.
         */
        private Node compact(Node n) {
            Node parent = n.parentSpanId() == null ? null : spans.get(n.parentSpanId());
            return new Node(share(n.traceId()), n.spanId(),
                    parent != null ? parent.spanId() : share(n.parentSpanId()), share(n.name()), n.type(),
                    share(n.spanKind()), n.start(), n.end(), share(n.status()), n.error(),
                    n.attributes().isEmpty() ? null : n.attributes(), n.input(), n.output(), n.annotations(),
                    n.edges(), n.resource().isEmpty() ? null : share(n.resource()), share(n.thread()),
                    n.isImplicit(), n.evaluations());
        }

        @SuppressWarnings("unchecked")
        private <T> T share(T value) {
            if (value == null || (value instanceof String && ((String) value).length() > MAX_SHARED_CHARS)) {
                return value;
            }
            Object known = shared.get(value);
            if (known != null) {
                return (T) known;
            }
            if (shared.size() < MAX_SHARED) {
                shared.put(value, value);
            }
            return value;
        }

        /** How many lines were accepted, blank and skipped ones included. */
        public int lineCount() {
            return lineCount;
        }

        /** The graph of everything accepted so far; later lines do not change it. */
        public TraceGraph graph() {
            List<Node> nodes = new ArrayList<>(spans.size() + loggedSpans.size());
            for (Node node : spans.values()) {
                // TraceGraph links the nodes it gets: each graph needs its own
                nodes.add(copyOf(node, lateEvaluations.get(node.spanId())));
            }
            loggedSpans.forEach((spanId, logged) -> {
                if (!spans.containsKey(spanId)) {
                    nodes.add(logged.implicitNode(spanId));
                }
            });
            return new TraceGraph(nodes, logs, skippedLines + notRead(), problemsWithMemory(), droppedRecords);
        }

        /**
         * The graph of everything accepted, built from the accumulated nodes themselves instead of copies: for a
         * one-shot read, which needs the memory for one graph only. The accumulator is empty afterwards.
         */
        TraceGraph takeGraph() {
            List<Node> nodes = new ArrayList<>(spans.size() + loggedSpans.size());
            for (Node node : spans.values()) {
                List<Evaluation> late = lateEvaluations.get(node.spanId());
                nodes.add(late == null ? node : copyOf(node, late)); // the rest go in as they are: none are shared
            }
            lateEvaluations.clear();
            loggedSpans.forEach((spanId, logged) -> {
                if (!spans.containsKey(spanId)) {
                    nodes.add(logged.implicitNode(spanId));
                }
            });
            spans.clear();
            loggedSpans.clear();
            shared.clear();
            return new TraceGraph(nodes, logs, skippedLines + notRead(), problemsWithMemory(), droppedRecords);
        }

        private int notRead() {
            return (int) Math.min(Integer.MAX_VALUE - skippedLines, notRead);
        }

        private List<String> problemsWithMemory() {
            if (notRead == 0) {
                return problems;
            }
            List<String> all = new ArrayList<>(problems);
            all.add(notReadFrom + " on: " + notRead + " lines not read, the heap (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB) is full; give the JVM more (-Xmx, AITRACE_JAVA_OPTS for aitrace)");
            return all;
        }

        private void skip(String problem) {
            skippedLines++;
            if (problems.size() < MAX_PROBLEMS) {
                String where = (source == null ? "" : source + " ") + "line " + sourceLine + ": ";
                problems.add(where + shorten(problem));
            }
        }

        private void addLog(LogEntry log, String parentSpanId) {
            logs.add(log);
            if (log.spanId() != null && log.traceId() != null) {
                loggedSpans.computeIfAbsent(log.spanId(), k -> new LoggedSpan(log.traceId())).see(log, parentSpanId);
            }
        }
    }

    /** What the log lines naming a span tell about it: enough for an implicit node when no span record comes. */
    private static final class LoggedSpan {
        private final String traceId;
        private String parentSpanId;
        private String thread;
        private Instant first;
        private Instant last;

        LoggedSpan(String traceId) {
            this.traceId = traceId;
        }

        void see(LogEntry log, String parent) {
            if (parentSpanId == null) {
                parentSpanId = parent;
            }
            if (thread == null) {
                thread = log.thread();
            }
            Instant at = log.timestamp();
            if (at != null) {
                first = first == null || at.isBefore(first) ? at : first;
                last = last == null || at.isAfter(last) ? at : last;
            }
        }

        Node implicitNode(String spanId) {
            return new Node(traceId, spanId, parentSpanId, placeholderName(spanId), NodeType.STEP, null, first, last,
                    "ok", null, null, null, null, null, null, null, thread, true);
        }
    }

    private static String placeholderName(String spanId) {
        return "(span " + spanId.substring(0, Math.min(8, spanId.length())) + ")";
    }

    /** A copy of the node with the evaluations sent for it later added (each once, in time order). */
    private static Node copyOf(Node n, List<Evaluation> late) {
        List<Evaluation> evaluations = n.evaluations();
        if (late != null) {
            List<Evaluation> merged = new ArrayList<>(evaluations);
            for (Evaluation evaluation : late) {
                if (!merged.contains(evaluation)) {
                    merged.add(evaluation);
                }
            }
            merged.sort(java.util.Comparator.comparing(Evaluation::timestamp,
                    java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
            evaluations = merged;
        }
        return new Node(n.traceId(), n.spanId(), n.parentSpanId(), n.name(), n.type(), n.spanKind(), n.start(),
                n.end(), n.status(), n.error(), n.attributes(), n.input(), n.output(), n.annotations(), n.edges(),
                n.resource(), n.thread(), n.isImplicit(), evaluations);
    }

    private static List<Annotation> annotations(Object value) {
        if (!(value instanceof List)) {
            return null;
        }
        List<Annotation> annotations = new ArrayList<>();
        for (Object item : (List<?>) value) {
            if (item instanceof Map) {
                Map<?, ?> annotation = (Map<?, ?>) item;
                Object ts = annotation.get("ts");
                annotations.add(new Annotation(instant(ts != null ? ts : annotation.get("timestamp"), "annotation ts"),
                        string(annotation.get("text"))));
            } else if (item != null) {
                annotations.add(new Annotation(null, item.toString()));
            }
        }
        return annotations;
    }

    private static List<Edge> edges(Object value, String traceId, String spanId) {
        if (!(value instanceof List)) {
            return null;
        }
        List<Edge> edges = new ArrayList<>();
        for (Object item : (List<?>) value) {
            if (item instanceof Map) {
                Map<?, ?> edge = (Map<?, ?>) item;
                String to = id(edge.get("span_id"));
                if (to != null) {
                    String typeName = string(edge.get("type"));
                    String toTrace = id(edge.get("trace_id"));
                    edges.add(new Edge(EdgeType.fromWireName(typeName), typeName, spanId,
                            toTrace == null ? traceId : toTrace, to));
                }
            }
        }
        return edges;
    }

    /** An error object as written, or a message-only one when a writer put a plain string there. */
    private static Map<String, Object> error(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map) {
            return map(value);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", value.toString());
        return error;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    /**
     * ISO-8601 text, or epoch seconds as the Python client writes them (kept to the microsecond).
     *
     * @throws TimeOutOfRange for a time before 1970 or after 2262 (the range of OTLP's nanoseconds, in which every
     *         duration fits a {@code long} of nanoseconds)
     */
    private static Instant instant(Object value, String field) {
        Instant instant = null;
        if (value instanceof String) {
            instant = Timestamps.parse((String) value);
        } else if (value instanceof Number) {
            if (value instanceof Double || value instanceof Float) {
                double seconds = ((Number) value).doubleValue();
                if (!Double.isFinite(seconds)) {
                    return null;
                }
                if (seconds < 0 || seconds > LATEST.getEpochSecond()) {
                    throw new TimeOutOfRange(field, value.toString());
                }
                instant = Instant.EPOCH.plus(Math.round(seconds * 1_000_000), ChronoUnit.MICROS);
            } else {
                BigDecimal seconds = new BigDecimal(value.toString());
                if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(LATEST.getEpochSecond())) > 0) {
                    throw new TimeOutOfRange(field, value.toString());
                }
                instant = Instant.EPOCH.plus(seconds.movePointRight(6).longValue(), ChronoUnit.MICROS);
            }
        }
        if (instant != null && (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST))) {
            throw new TimeOutOfRange(field, value.toString());
        }
        return instant;
    }

    /** A record's time outside the range a trace can have; the record is unreadable, the others are not. */
    private static final class TimeOutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimeOutOfRange(String field, String value) {
            super(field + " " + TextFit.cut(value, 40) + " is out of range (1970 to 2262)", null, false, false);
        }
    }

    private static String level(Object value) {
        String level = string(value);
        return level == null ? null : level.toLowerCase(Locale.ROOT);
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    /** An ID, with an empty one (some writers' root marker) read as none. */
    private static String id(Object value) {
        return value == null || "".equals(value) ? null : value.toString();
    }

    private static String shorten(String problem) {
        int newline = problem.indexOf('\n');
        String line = newline < 0 ? problem : problem.substring(0, newline);
        return line.length() <= MAX_PROBLEM_LENGTH ? line : line.substring(0, MAX_PROBLEM_LENGTH - 1) + "…";
    }
}
