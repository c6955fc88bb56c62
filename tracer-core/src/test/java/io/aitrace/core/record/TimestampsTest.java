package io.aitrace.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void theCanonicalShapeReadsAsInstantParseReadsIt() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextInt(1_000_000_000));
            String text = instant.toString(); // 0, 3, 6 or 9 fraction digits
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
            String written = Timestamps.format(instant); // 6 digits, as aitrace writes them
            assertThat(Timestamps.parse(written)).as(written).isEqualTo(Instant.parse(written));
        }
        for (String text : new String[] {"2026-11-21T18:00:00.1Z", "2026-11-21T18:00:00.12345Z",
            "2024-02-29T23:59:59.99999999Z", "0000-01-01T00:00:00Z"}) {
            assertThat(Timestamps.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void otherShapesAreLeftToTheJdkParsers() {
        assertThat(Timestamps.parseCanonical("2026-11-21T18:00:00+01:00")).isNull();
        assertThat(Timestamps.parse("2026-11-21T18:00:00+01:00")).isEqualTo(Instant.parse("2026-11-21T17:00:00Z"));
        assertThat(Timestamps.parse("2026-11-21T18:00:00")).isEqualTo(Instant.parse("2026-11-21T18:00:00Z"));
        assertThat(Timestamps.parseCanonical("2026-11-21T23:59:60Z")).isNull(); // a leap second
        assertThat(Timestamps.parse("2026-11-21T23:59:60Z")).isEqualTo(Instant.parse("2026-11-21T23:59:60Z"));
        assertThat(Timestamps.parseCanonical("2026-02-30T18:00:00Z")).isNull(); // the JDK's resolver decides
        assertThat(Timestamps.parseCanonical("2026-11-21T18:00:00.Z")).isNull();
        assertThat(Timestamps.parseCanonical("2026-11-21T18:00:00.1234567890Z")).isNull();
        assertThat(Timestamps.parse("2026-11-2xT18:00:00Z")).isNull();
    }
}
