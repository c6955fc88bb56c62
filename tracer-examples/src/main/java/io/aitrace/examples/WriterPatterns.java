package io.aitrace.examples;

import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.aitrace.core.target.FileTarget;
import io.aitrace.core.http.HttpTarget;
import io.aitrace.core.target.Target;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Example 7, writer patterns (after the aitrace seed's test scripts 04 and 05): when records reach the target,
 * and each kind of target {@code LOG_TRG} can name. Everything goes into one directory (the first argument, else
 * a new temporary directory), never into {@code ~/.config/aitrace}:
 * <ol>
 * <li>explicit {@code flush()}: a long job's records are on disk while it still runs;</li>
 * <li>flush at root end: with a one-minute flush interval, the records are on disk right after the top-level
 * span ends, without a flush call;</li>
 * <li>a file target with {@code <YYYYMMDD_HHMMSS>} in its name, which becomes the process start time;</li>
 * <li>stdout ({@code LOG_TRG=-}): the JSON lines themselves;</li>
 * <li>console ({@code LOG_TRG=console}): a tree for people on stdout when the trace's root ends;</li>
 * <li>a collector that is down ({@code LOG_TRG=http://127.0.0.1:<closed port>}): the records spill to a local
 * file, and at close an HTML copy of the trace is written beside it.</li>
 * </ol>
 * Each pattern uses a runtime of its own ({@link TracerRuntime#create}), as a test or an embedding application
 * would; an application sets {@code LOG_TRG} or {@code aitrace.target} instead.
 */
public final class WriterPatterns {
    private final Path dir;
    private final PrintStream out;

    /** What each pattern produced, for the caller to look at. */
    public record Results(Path explicitFlushFile, long linesBeforeEnd, long linesAfterRootEnd, Path stampedFile,
            Path spillFile, Path htmlFile) {
    }

    public WriterPatterns(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    public Results runAll() throws IOException, InterruptedException {
        Path flushFile = dir.resolve("explicit-flush.jsonl");
        long[] counts = flushPatterns(flushFile);
        Path stamped = stampedFile();
        stdout();
        console();
        Path[] spilled = collectorDown();
        return new Results(flushFile, counts[0], counts[1], stamped, spilled[0], spilled[1]);
    }

    /** Patterns 1 and 2: explicit flush while the root runs, then the flush the root's end triggers. */
    long[] flushPatterns(Path file) throws InterruptedException {
        // A flush interval of one minute: only flush() and the root's end put records on disk during this run.
        try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target(file.toString())
                .serviceName("writer-patterns").flushInterval(Duration.ofMinutes(1)).build())) {
            Tracer tracer = runtime.tracer("writer-patterns");
            long beforeEnd;
            try (Span job = tracer.span("nightly_batch", NodeType.AGENT)) {
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    tracer.run("summarize_document", NodeType.STEP, () -> tracer.currentSpan().input("doc", n));
                }
                tracer.flush();
                beforeEnd = lines(file);
                out.println("1. explicit flush: " + beforeEnd + " records in " + file
                        + " while nightly_batch still runs");
                job.output("documents", 3);
            }
            boolean onDisk = waitFor(() -> lines(file) > beforeEnd, Duration.ofSeconds(5));
            long afterEnd = lines(file);
            out.println("2. flush at root end: " + afterEnd + " records after nightly_batch ended, without flush()"
                    + (onDisk ? "" : " (not yet on disk)"));
            return new long[] {beforeEnd, afterEnd};
        }
    }

    /** Pattern 3: {@code <YYYYMMDD_HHMMSS>} in a file target's name. */
    Path stampedFile() {
        String target = dir.resolve("run-<YYYYMMDD_HHMMSS>.jsonl").toString();
        Path file;
        try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target(target)
                .serviceName("writer-patterns").build())) {
            file = fileOf(runtime.targets());
            runtime.tracer("writer-patterns").run("stamped_run", NodeType.AGENT, () -> { });
        }
        out.println("3. file target " + target + "\n   wrote " + file);
        return file;
    }

    /** Pattern 4: {@code LOG_TRG=-}, the records as JSON lines on stdout. */
    void stdout() {
        out.println("4. stdout target (LOG_TRG=-):");
        try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target("-")
                .serviceName("writer-patterns").build())) {
            runtime.tracer("writer-patterns").run("stdout_run", NodeType.AGENT, () -> { });
            runtime.flush();
        }
    }

    /** Pattern 5: {@code LOG_TRG=console}, a readable tree per finished trace on stdout. */
    void console() {
        out.println("5. console target (LOG_TRG=console):");
        try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target("console")
                .serviceName("writer-patterns").build())) {
            Tracer tracer = runtime.tracer("writer-patterns");
            tracer.run("console_run", NodeType.AGENT,
                    () -> tracer.run("step", NodeType.STEP, () -> tracer.currentSpan().annotate("printed at root end")));
            runtime.flush();
        }
    }

    /** Pattern 6: a collector nobody listens on; the spill file and the HTML copy. */
    Path[] collectorDown() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // closed again: nothing listens there
        }
        String url = "http://127.0.0.1:" + port;
        Path spillDir = dir.resolve("spill");
        out.println("6. collector " + url + " (down):");
        HttpTarget http;
        try (TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().target(url).spillDir(spillDir)
                .serviceName("writer-patterns").flushTimeout(Duration.ofSeconds(5)).build())) {
            http = (HttpTarget) runtime.targets().stream().filter(t -> t instanceof HttpTarget).findFirst()
                    .orElseThrow();
            Tracer tracer = runtime.tracer("writer-patterns");
            try (Span run = tracer.span("offline_run", NodeType.AGENT)) {
                tracer.run("step", NodeType.STEP, () -> run.annotate("the collector is down; nothing is lost"));
            }
        }
        out.println("   spilled to " + http.spillFile() + "\n   HTML copy " + http.htmlFile());
        return new Path[] {http.spillFile(), http.htmlFile()};
    }

    private static Path fileOf(List<Target> targets) {
        return targets.stream().filter(t -> t instanceof FileTarget).map(t -> ((FileTarget) t).path()).findFirst()
                .orElseThrow();
    }

    private static long lines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the condition holds or the time is up. */
    private static boolean waitFor(BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("aitrace-writer-patterns");
        Files.createDirectories(dir);
        new WriterPatterns(dir, System.out).runAll();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        System.out.println("Files in " + dir + ":");
        files.forEach(f -> System.out.println("  " + dir.relativize(f)));
    }
}
