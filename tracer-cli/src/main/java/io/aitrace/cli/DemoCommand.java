package io.aitrace.cli;

import io.aitrace.read.TraceGraph;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.examples.RunExamples;
import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aitrace demo}: runs the example agents (tracer-examples 1 to 6, 9 and 10) offline, prints each trace as a tree,
 * then serves the viewer with them. The demo's own directory ({@code ~/.config/aitrace/demo} unless
 * {@code --dir}) holds {@code traces/demo.jsonl} and {@code demo.db}; both are replaced on every run.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the example agents offline (a scripted LLM stands in for the model), print each trace as "
                + "a tree, then serve the viewer with them.",
                "The records go to DIR/traces/demo.jsonl and the viewer's database is DIR/demo.db; both are replaced "
                        + "on every run, nothing else in DIR is touched."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Mixin
    DisplayOptions display;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the demo's records and database go. Default: ~/.config/aitrace/demo.")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "The viewer's port on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--no-serve", description = "Exit after printing the trees, without serving the viewer.")
    boolean noServe;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = global.out();
        Path home = (dir != null ? dir : global.root().tracesDir().resolveSibling("demo")).toAbsolutePath();
        Path traces = home.resolve("traces");
        Path file = traces.resolve("demo.jsonl");
        Path database = home.resolve("demo.db");
        Files.createDirectories(traces);
        for (Path old : List.of(file, database, Path.of(database + "-wal"), Path.of(database + "-shm"))) {
            Files.deleteIfExists(old);
        }

        Map<RunExamples.Example, List<String>> traceIds = runExamples(file);

        Palette palette = global.palette();
        int columns = display.columns();
        TreeRenderer renderer = new TreeRenderer(display.verbosity, palette, columns, PriceTable.load());
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
        serve(file, database, out, palette);
        return 0;
    }

    /** Runs examples 1 to 6, 9 and 10 into {@code file}; the trace IDs each one wrote, in the order they ran. */
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

    /** Serves the viewer on the demo's database, with the demo's records handed to it, until the process is stopped. */
    private void serve(Path file, Path database, PrintWriter out, Palette palette) throws IOException {
        AitraceServer server;
        try {
            server = AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(port).database(database).build());
        } catch (IOException e) {
            throw new CliError(e.getMessage() + " (the traces are printed above; choose another --port, or --no-serve)",
                    e);
        }
        server.ingest(Files.readAllLines(file));
        out.println();
        UntilStopped.run(server, out, palette.name("Viewer with these traces at " + server.url()) + "  (Ctrl+C to stop)");
    }
}
