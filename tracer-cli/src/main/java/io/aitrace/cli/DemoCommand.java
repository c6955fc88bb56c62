package io.aitrace.cli;

import io.aitrace.read.TraceGraph;
import io.aitrace.core.TraceReader;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.examples.RunExamples;
import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aitrace demo}: runs the example agents (tracer-examples 1 to 6) offline, prints each trace as a tree,
 * then serves the viewer with them. The demo's own directory ({@code ~/.config/aitrace/demo} unless
 * {@code --dir}) holds {@code traces/demo.jsonl} and {@code demo.db}; both are replaced on every run.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the example agents offline (a scripted LLM stands in for the model), print each trace as "
                + "a tree, then serve the viewer with them.",
                "The records go to DIR/traces/demo.jsonl and the viewer's database is DIR/demo.db; both are replaced "
                        + "on every run, nothing else in DIR is touched."})
final class DemoCommand implements Callable<Integer> {
    private static final Duration IMPORT_WAIT = Duration.ofSeconds(15);

    @ParentCommand
    AitraceCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the demo's records and database go. Default: ~/.config/aitrace/demo.")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "The viewer's port on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--no-serve", description = "Exit after printing the trees, without serving the viewer.")
    boolean noServe;

    @Option(names = {"-v", "--verbosity"}, paramLabel = "LEVEL", defaultValue = "standard",
            description = "minimal, standard or full, as for inspect. Default: ${DEFAULT-VALUE}.")
    Verbosity verbosity;

    @Option(names = "--width", paramLabel = "COLUMNS",
            description = "Cut long values at this width; 0 never cuts. Default: $COLUMNS, else 120.")
    Integer width;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path home = (dir != null ? dir : parent.tracesDir().resolveSibling("demo")).toAbsolutePath();
        Path traces = home.resolve("traces");
        Path file = traces.resolve("demo.jsonl");
        Path database = home.resolve("demo.db");
        Files.createDirectories(traces);
        for (Path old : List.of(file, database, Path.of(database + "-wal"), Path.of(database + "-shm"))) {
            Files.deleteIfExists(old);
        }

        Map<RunExamples.Example, List<String>> traceIds = runExamples(file);

        Palette palette = Palette.forOutput(true, global.noColor);
        int columns = width != null ? width : AitraceCommand.defaultWidth();
        TreeRenderer renderer = new TreeRenderer(verbosity, palette, columns, PriceTable.load());
        TraceGraph graph = TraceReader.read(file);
        int count = 0;
        for (Map.Entry<RunExamples.Example, List<String>> example : traceIds.entrySet()) {
            out.println(palette.name("── Example " + example.getKey().number() + ": " + example.getKey().title()
                    + " " + "─".repeat(Math.max(3, 60 - example.getKey().title().length()))));
            for (String traceId : example.getValue()) {
                renderer.render(graph.trace(traceId), out);
                out.println(palette.dim("trace " + traceId));
                out.println();
                count++;
            }
        }
        out.println(count + " traces from " + traceIds.size() + " examples written to " + file);
        out.println("Look at one again with: aitrace inspect " + file + " --trace ID");
        out.flush();
        if (noServe) {
            return 0;
        }
        serve(traces, database, traceIds, out, palette);
        return 0;
    }

    /** Runs examples 1 to 6 into {@code file}; the trace IDs each one wrote, in the order they ran. */
    private static Map<RunExamples.Example, List<String>> runExamples(Path file) throws IOException {
        // The examples log to the console too (their logback.xml); here their lines are in the trees instead.
        if (System.getProperty("aitrace.examples.console") == null) {
            System.setProperty("aitrace.examples.console", "OFF");
        }
        Map<RunExamples.Example, List<String>> traceIds = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        TracerRuntime runtime = TracerRuntime.install(TracerConfig.builder().target(file.toString())
                .serviceName("aitrace-demo").build());
        try {
            for (RunExamples.Example example : RunExamples.demo()) {
                example.run();
                runtime.flush();
                List<String> now = TraceReader.read(file).traceIds(); // newest first
                List<String> added = new ArrayList<>(now);
                added.removeAll(seen);
                Collections.reverse(added);
                seen.addAll(added);
                traceIds.put(example, added);
            }
        } finally {
            runtime.close();
        }
        return traceIds;
    }

    /** Serves the viewer on the demo's database, importing the demo's records, until the process is stopped. */
    private void serve(Path traces, Path database, Map<RunExamples.Example, List<String>> traceIds, PrintWriter out,
            Palette palette) throws IOException, InterruptedException {
        AitraceServer server;
        try {
            server = AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(port)
                    .database(database).watchDir(traces).build());
        } catch (IOException e) {
            throw new CliError(e.getMessage() + " (the traces are printed above; choose another --port, or --no-serve)",
                    e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "aitrace-demo-stop"));
        List<String> all = traceIds.values().stream().flatMap(List::stream).toList();
        boolean imported = awaitImport(server.url(), all.get(all.size() - 1));
        out.println();
        out.println(palette.name("Viewer with these traces at " + server.url()
                + (imported ? "" : " (still importing)")) + "  (Ctrl+C to stop)");
        out.flush();
        stopped.await();
    }

    /** Waits until the server lists the last trace the examples wrote (the directory watcher imports them). */
    private static boolean awaitImport(String url, String lastTraceId) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/trace/" + lastTraceId))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + IMPORT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet, or busy: try again
            }
            Thread.sleep(100);
        }
        return false;
    }
}
