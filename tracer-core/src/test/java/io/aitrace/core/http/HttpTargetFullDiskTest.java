package io.aitrace.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Stderr;
import io.aitrace.core.internal.FullDisk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP target's spill on a disk that fills up while the collector is down: what could not be spilled is counted
 * lost exactly, and everything else arrives once, in order, when the collector is back.
 */
class HttpTargetFullDiskTest {
    private static final int BATCH = 20;

    @TempDir
    Path spillDir;

    @Test
    void recordsSpilledAfterSpaceReturnedAllArriveAndTheLostOnesAreCountedExactly() throws Exception {
        FullDisk disk = new FullDisk(15_000);
        List<String> written = new ArrayList<>();
        List<String> taken;
        HttpTarget target;
        try (HttpTestCollector collector = HttpTestCollector.start()) {
            collector.stop();
            target = new HttpTarget(collector.uri(), spillDir, "20261121_180000")
                    .retryDelays(Duration.ofMillis(5))
                    .probeInterval(Duration.ofMillis(50))
                    .requestTimeout(Duration.ofSeconds(5))
                    .spillOpener(disk.opener());
            HttpTarget sending = target;
            String stderr = Stderr.capture(() -> {
                for (int round = 0; round < 25; round++) {
                    if (round == 15) {
                        disk.free(10_000_000);
                    }
                    for (int i = 0; i < BATCH; i++) {
                        String record = HttpTargetTest.span("step_" + written.size(), written.size() + 1, 0, true);
                        byte[] line = (record + "\n").getBytes(StandardCharsets.UTF_8);
                        sending.write(line, 0, line.length);
                        written.add(record);
                    }
                    sending.flush();
                }
                collector.restart();
                collector.awaitTaken((int) (written.size() - sending.dropped()), Duration.ofSeconds(30));
                sending.close();
            });
            taken = collector.taken();

            assertThat(target.dropped()).isPositive().isLessThan(written.size());
            assertThat(target.dropped() % BATCH).isZero();
            assertThat(taken).hasSize((int) (written.size() - target.dropped()));
            assertThat(new HashSet<>(taken)).hasSameSizeAs(taken);
            assertThat(written).containsSubsequence(taken);
            assertThat(taken).contains(written.get(0), written.get(written.size() - 1));
            assertThat(target.delivered()).isEqualTo(taken.size());
            assertThat(stderr.lines().filter(line -> line.contains("could not be") || line.contains("cannot write")))
                    .containsExactly(
                            "aitrace: collector " + collector.uri() + "/api/ingest unreachable and cannot write "
                                    + target.spillFile() + "; records are lost until it can be written again:"
                                    + " IOException: No space left on device",
                            "aitrace: " + target.spillFile() + " written again; " + target.dropped()
                                    + " records lost while it could not be");
        }
    }
}
