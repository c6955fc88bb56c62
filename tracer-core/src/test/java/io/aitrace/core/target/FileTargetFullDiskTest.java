package io.aitrace.core.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Stderr;
import io.aitrace.core.internal.FullDisk;
import io.aitrace.core.read.TraceReader;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file target on a disk that fills up and gets space back: every record is either readable or counted lost. */
class FileTargetFullDiskTest {
    private static final int BATCH = 20;

    @TempDir
    Path dir;

    private static String span(String name, int id, int parent, boolean ended) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\""
                + String.format("%016x", id) + "\",\"name\":\"" + name + "\",\"start\":\"2026-11-21T18:00:00.100000Z\","
                + "\"end\":\"2026-11-21T18:00:00.433333Z\",\"status\":\"ok\"}";
    }

    @Test
    void afterADiskFullTheFileEndsOnARecordAndTheLossIsExactAndReportedOncePerIncident() throws Exception {
        FullDisk disk = new FullDisk(15_000);
        FileTarget target = new FileTarget(dir.resolve("trace.jsonl"), disk.opener());
        List<String> written = new ArrayList<>();

        String stderr = Stderr.capture(() -> {
            for (int round = 0; round < 25; round++) {
                if (round == 15) {
                    disk.free(10_000_000);
                }
                for (int i = 0; i < BATCH; i++) {
                    String record = span("step_" + written.size(), written.size() + 1, 0, true);
                    byte[] line = (record + "\n").getBytes(StandardCharsets.UTF_8);
                    target.write(line, 0, line.length);
                    written.add("step_" + (written.size()));
                }
                target.flush();
            }
            target.close();
        });

        TraceGraph graph = TraceReader.read(dir.resolve("trace.jsonl"));
        assertThat(graph.skippedLines()).isZero();
        assertThat(target.lost()).isPositive().isLessThan(written.size());
        assertThat(target.lost() % BATCH).isZero();
        assertThat(graph.nodes()).hasSize((int) (written.size() - target.lost()));
        assertThat(graph.nodes()).extracting(Node::name).contains("step_0", "step_" + (written.size() - 1));
        assertThat(stderr.lines().filter(line -> line.contains("trace.jsonl")))
                .containsExactly(
                        "aitrace: cannot write to file " + dir.resolve("trace.jsonl").toAbsolutePath()
                                + "; its records are lost until it recovers: IOException: No space left on device",
                        "aitrace: file " + dir.resolve("trace.jsonl").toAbsolutePath() + " written again; "
                                + target.lost() + " records lost while it could not be");
    }

    @Test
    void aDiskStillFullAtCloseReportsTheLossThen() throws Exception {
        FullDisk disk = new FullDisk(1_000);
        FileTarget target = new FileTarget(dir.resolve("full.jsonl"), disk.opener());

        String stderr = Stderr.capture(() -> {
            for (int i = 0; i < 50; i++) {
                byte[] line = (span("s" + i, i + 1, 0, true) + "\n").getBytes(StandardCharsets.UTF_8);
                target.write(line, 0, line.length);
                target.flush();
            }
            target.close();
        });

        TraceGraph graph = TraceReader.read(dir.resolve("full.jsonl"));
        assertThat(graph.skippedLines()).isZero();
        assertThat(graph.nodes().size() + target.lost()).isEqualTo(50);
        assertThat(stderr).contains(target.lost() + " records could not be written to file "
                + dir.resolve("full.jsonl").toAbsolutePath());
        assertThat(stderr.lines().filter(line -> line.contains("full.jsonl"))).hasSize(2);
    }
}
