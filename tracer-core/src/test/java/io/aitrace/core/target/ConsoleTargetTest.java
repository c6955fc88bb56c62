package io.aitrace.core.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.MemoryTarget;
import io.aitrace.core.RecordLines;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.text.TreePrinter;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTargetTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private ConsoleTarget console(TreePrinter.Style style) {
        return new ConsoleTarget(new PrintStream(printed, true, StandardCharsets.UTF_8), style, 100);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static List<String> fixture() throws IOException {
        return resource("/console/weather-trace.jsonl").lines().toList();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleTargetTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The fixture's records, typed, as the writer hands them to the console processor. */
    private static void feed(ConsoleTarget target, List<String> lines) {
        RecordLines.feed(target, lines);
    }

    @Test
    void theTreeOfAFixedTraceMatchesTheGoldenFile() throws IOException {
        ConsoleTarget target = console(TreePrinter.Style.PLAIN);
        feed(target, fixture());
        target.flush();
        String expected = resource("/console/weather-trace.txt");
        if (!printed().equals(expected)) {
            Files.writeString(Path.of("target", "console-weather-trace.actual.txt"), printed());
        }
        assertThat(printed()).isEqualTo(expected);
    }

    @Test
    void nothingIsPrintedUntilTheRootEnds() throws IOException {
        ConsoleTarget target = console(TreePrinter.Style.PLAIN);
        List<String> lines = fixture();
        feed(target, lines.subList(0, lines.size() - 1));
        target.flush();
        assertThat(printed()).isEmpty();
        feed(target, lines.subList(lines.size() - 1, lines.size()));
        assertThat(printed()).startsWith("Trace: [agent] weather_agent (1.21 s) ✓\n");
    }

    @Test
    void theAnsiStyleColoursTheMarksAndThePlainOneDoesNot() throws IOException {
        ConsoleTarget coloured = console(TreePrinter.Style.ANSI);
        feed(coloured, fixture());
        assertThat(printed()).contains("\u001B[32m✓\u001B[39m", "\u001B[31m✗\u001B[39m", "\u001B[36m[tool]\u001B[39m");
        printed.reset();
        feed(console(TreePrinter.Style.PLAIN), fixture());
        assertThat(printed()).doesNotContain("\u001B[");
    }

    @Test
    void theConsoleTargetSettingPrintsEachFinishedTraceOfTheApplicationWithoutColoursWhenNotATerminal() {
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (TracerRuntime runtime = TracerRuntime.create(MemoryTarget.config(new MemoryTarget())
                .target("console").build())) {
            Tracer tracer = runtime.tracer("console");
            try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
                agent.input("query", "Weather in Paris?");
                tracer.call("weather_api", NodeType.TOOL, () -> Map.of("sky", "sunny"));
                agent.annotate("answered from the API");
            }
            runtime.flush();
        } finally {
            System.setOut(original);
        }
        List<String> lines = printed().lines().toList();
        assertThat(lines.get(0)).matches("Trace: \\[agent\\] weather_agent \\([0-9.]+ m?s\\) ✓");
        assertThat(lines).contains("├── input: {\"query\":\"Weather in Paris?\"}",
                "│   └── output: {\"sky\":\"sunny\"}", "└── annotation: \"answered from the API\"");
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("├── \\[tool\\] weather_api \\([0-9.]+ m?s\\) ✓"));
        assertThat(printed()).doesNotContain("\u001B[");
        assertThat(ConsoleTarget.colourTerminal()).isFalse();
    }
}
