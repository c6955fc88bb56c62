package io.aitrace.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collector that answers 503 with {@code Retry-After} is left alone that long before the batch is sent again. */
class HttpTargetRetryAfterTest {
    @TempDir
    Path spillDir;

    private static void write(HttpTarget target, String record) {
        byte[] line = (record + "\n").getBytes(StandardCharsets.UTF_8);
        target.write(line, 0, line.length);
    }

    @Test
    void aRetryAfterOfOneSecondDelaysTheRetryThatLongInsteadOfTheShortBackoff() throws Exception {
        try (HttpTestCollector collector = HttpTestCollector.start()) {
            collector.answerNext(503);
            collector.retryAfter("1");
            HttpTarget target = new HttpTarget(collector.uri(), spillDir, "20261121_180000")
                    .retryDelays(Duration.ofMillis(10), Duration.ofMillis(10)).requestTimeout(Duration.ofSeconds(5));
            write(target, HttpTargetTest.span("busy", 1, 0, true));
            target.flush();
            collector.awaitTaken(1, Duration.ofSeconds(20));
            target.close();

            List<HttpTestCollector.Request> requests = collector.requests();
            assertThat(requests).extracting(HttpTestCollector.Request::status).containsExactly(503, 200);
            assertThat(requests.get(1).arrivedNanos() - requests.get(0).arrivedNanos())
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(target.delivered()).isEqualTo(1);
            assertThat(target.spilled()).isZero();
        }
    }

    @Test
    void aLongRetryAfterSendsTheBatchToTheSpillAndOffersItAgainOnlyAfterThatLong() throws Exception {
        try (HttpTestCollector collector = HttpTestCollector.start()) {
            collector.answerNext(507);
            collector.retryAfter("6");
            HttpTarget target = new HttpTarget(collector.uri(), spillDir, "20261121_180000")
                    .retryDelays(Duration.ofMillis(10), Duration.ofMillis(10)).probeInterval(Duration.ofMillis(20))
                    .requestTimeout(Duration.ofSeconds(5)).flushTimeout(Duration.ofSeconds(20));
            write(target, HttpTargetTest.span("disk full", 1, 0, true));
            target.flush();
            assertThat(target.spilled()).isEqualTo(1);
            collector.awaitTaken(1, Duration.ofSeconds(30));
            target.close();

            List<HttpTestCollector.Request> requests = collector.requests();
            assertThat(requests).extracting(HttpTestCollector.Request::status).containsExactly(507, 200);
            assertThat(requests.get(1).arrivedNanos() - requests.get(0).arrivedNanos())
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(6).toNanos());
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-21T18:00:00Z");

        assertThat(HttpIngest.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(HttpIngest.retryAfter("Sat, 21 Nov 2026 18:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpIngest.retryAfter("soon", now)).isNull();
        assertThat(HttpIngest.retryAfter(null, now)).isNull();
    }
}
