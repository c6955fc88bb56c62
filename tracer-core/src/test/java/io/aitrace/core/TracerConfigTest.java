package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.record.SecretKeys;
import io.aitrace.core.record.Timestamps;
import io.aitrace.core.target.Targets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TracerConfigTest {
    private static final String HOME = System.getProperty("user.home");

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final Properties sysProps = new Properties();

    /** No config file: what the file layer does is SettingsTest's. */
    private TracerConfig.Builder builder() {
        return TracerConfig.builder().environment(env).systemProperties(sysProps)
                .configFile(dir.resolve("absent.properties"));
    }

    private TracerConfig build() {
        return builder().build();
    }

    // ---- layers (the layers themselves are Settings', tested in SettingsTest) -------------------------------

    @Test
    void codeWinsOverSystemProperties() {
        sysProps.setProperty("aitrace.target", "/from/property.jsonl");
        sysProps.setProperty("aitrace.service.name", "from-property");

        TracerConfig config = builder().target("/from/code.jsonl").serviceName("from-code").build();

        assertThat(config.target()).isEqualTo("/from/code.jsonl");
        assertThat(config.serviceName()).isEqualTo("from-code");
    }

    @Test
    void anAddedLayerFillsWhatTheEnvironmentLeavesOpen() {
        env.put("AITRACE_SERVICE_NAME", "from-env");
        Map<String, String> framework = Map.of("aitrace.service.name", "from-framework",
                "aitrace.target", "/from/framework.jsonl", "aitrace.flush.interval", "250ms");

        TracerConfig config = builder().layer(framework::get).build();

        assertThat(config.serviceName()).isEqualTo("from-env");
        assertThat(config.target()).isEqualTo("/from/framework.jsonl");
        assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void environmentNameMapsToTheDottedKey() {
        env.put("AITRACE_QUEUE_CAPACITY", "2048");
        env.put("AITRACE_MAX_STRING_LENGTH", "500");
        env.put("AITRACE_FLUSH_INTERVAL", "250ms");

        TracerConfig config = build();

        assertThat(config.queueCapacity()).isEqualTo(2048);
        assertThat(config.maxStringLength()).isEqualTo(500);
        assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void maskKeysFromTheEnvironmentAreACommaSeparatedListThatReplacesTheDefaults() {
        env.put("AITRACE_MASK_KEYS", "ssn, pin_code");

        assertThat(build().maskKeys()).containsExactly("ssn", "pin_code");
    }

    // ---- values -------------------------------------------------------------------------------------------

    @Test
    void badNumberFallsBackToTheDefaultWithOneWarning() {
        sysProps.setProperty("aitrace.queue.capacity", "lots");

        String stderr = stderrOf(() -> assertThat(build().queueCapacity()).isEqualTo(defaultQueue()));

        assertThat(stderr.lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("aitrace: ").contains("aitrace.queue.capacity").contains("lots"));
    }

    @Test
    void badDurationFallsBackToTheDefaultWithOneWarning() {
        env.put("AITRACE_FLUSH_INTERVAL", "soon");

        String stderr = stderrOf(() -> assertThat(build().flushInterval()).isEqualTo(Duration.ofSeconds(1)));

        assertThat(stderr.lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("aitrace: ").contains("aitrace.flush.interval").contains("soon"));
    }

    @Test
    void nonPositiveFlushIntervalFallsBackToTheDefaultWithOneWarning() {
        env.put("AITRACE_FLUSH_INTERVAL", "0");

        String stderr = stderrOf(() -> assertThat(build().flushInterval()).isEqualTo(Duration.ofSeconds(1)));

        assertThat(stderr.lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("aitrace: ").contains("aitrace.flush.interval").contains("0"));
    }

    @Test
    void negativeQueueCapacityFallsBackToTheDefaultWithOneWarning() {
        env.put("AITRACE_QUEUE_CAPACITY", "-5");

        String stderr = stderrOf(() -> assertThat(build().queueCapacity()).isEqualTo(defaultQueue()));

        assertThat(stderr.lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("aitrace: ").contains("aitrace.queue.capacity").contains("-5"));
    }

    /** The default queue for this JVM's heap. */
    private static int defaultQueue() {
        return TracerConfig.defaultQueueCapacity(Runtime.getRuntime().maxMemory());
    }

    @Test
    void theDefaultQueueIsWhatASixteenthOfTheHeapHoldsWithinItsBounds() {
        long mb = 1024L * 1024;
        assertThat(TracerConfig.defaultQueueCapacity(16 * mb)).isEqualTo(8_192); // at most half the heap
        assertThat(TracerConfig.defaultQueueCapacity(1 * mb)).isEqualTo(1_024);
        assertThat(TracerConfig.defaultQueueCapacity(48 * mb)).isEqualTo(16_384);
        assertThat(TracerConfig.defaultQueueCapacity(64 * mb)).isEqualTo(32_768);
        assertThat(TracerConfig.defaultQueueCapacity(256 * mb)).isEqualTo(32_768);
        assertThat(TracerConfig.defaultQueueCapacity(512 * mb)).isEqualTo(32_768);
        assertThat(TracerConfig.defaultQueueCapacity(1024 * mb)).isEqualTo(65_536);
        // -Xmx1g and -Xmx4g as the Parallel and Serial collectors report them (a survivor space left out)
        assertThat(TracerConfig.defaultQueueCapacity(954 * mb)).isEqualTo(65_536);
        assertThat(TracerConfig.defaultQueueCapacity(990 * mb)).isEqualTo(65_536);
        assertThat(TracerConfig.defaultQueueCapacity(3_816 * mb)).isEqualTo(262_144);
        assertThat(TracerConfig.defaultQueueCapacity(1536 * mb)).isEqualTo(65_536);
        assertThat(TracerConfig.defaultQueueCapacity(2048 * mb)).isEqualTo(131_072);
        assertThat(TracerConfig.defaultQueueCapacity(4096 * mb)).isEqualTo(262_144);
        assertThat(TracerConfig.defaultQueueCapacity(6_028 * mb)).isEqualTo(262_144);
        assertThat(TracerConfig.defaultQueueCapacity(Long.MAX_VALUE)).isEqualTo(262_144); // no limit set

        assertThat(build().queueCapacity()).isEqualTo(defaultQueue()).isBetween(1_024, 262_144);
        sysProps.setProperty("aitrace.queue.capacity", "32768");
        assertThat(build().queueCapacity()).isEqualTo(32_768);
        sysProps.setProperty("aitrace.queue.capacity", "1000000");
        assertThat(build().queueCapacity()).isEqualTo(1_000_000);
    }

    @Test
    void goodSettingsPrintNothing() {
        env.put("AITRACE_QUEUE_CAPACITY", "1_024");
        env.put("AITRACE_FLUSH_INTERVAL", "2s");

        assertThat(stderrOf(this::build)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "0", "no", "off"})
    void enabledAcceptsTheUsualWaysToSayNo(String no) {
        sysProps.setProperty("aitrace.enabled", no);

        assertThat(build().enabled()).isFalse();
    }

    @Test
    void tildeInTheSpillDirExpandsToTheHomeDirectory() {
        sysProps.setProperty("aitrace.spill.dir", "~/aitrace-spill");

        assertThat(build().spillDir()).isEqualTo(Paths.get(HOME, "aitrace-spill"));
    }

    @Test
    void tildeInASpillDirGivenInCodeExpandsToo() {
        assertThat(builder().spillDir(Path.of("~/aitrace-spill")).build().spillDir())
                .isEqualTo(Paths.get(HOME, "aitrace-spill"));
    }

    @Test
    void defaultSpillDirIsUnderTheHomeConfigDirectory() {
        assertThat(build().spillDir()).isEqualTo(Paths.get(HOME, ".config", "aitrace", "spill"));
    }

    @Test
    void defaultTargetIsATimestampedFileInTheTracesDirectory() {
        TracerConfig config = build();

        assertThat(config.target()).isEqualTo("~/.config/aitrace/traces/<YYYYMMDD_HHMMSS>.jsonl");
        Path file = Targets.filePath(config.target(), Timestamps.fileStamp(Instant.now()));
        assertThat(file.getParent()).isEqualTo(Paths.get(HOME, ".config", "aitrace", "traces"));
        assertThat(file.getFileName().toString()).matches("\\d{8}_\\d{6}\\.jsonl");
    }

    @Test
    void defaultsWhenNothingIsSet() {
        TracerConfig config = build();

        assertThat(config.serviceName()).isEqualTo(ServiceNames.fromCommand(System.getProperty("sun.java.command")))
                .isNotEqualTo("unknown_service:java");
        assertThat(config.queueCapacity()).isEqualTo(defaultQueue());
        assertThat(config.flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.flushTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxStringLength()).isEqualTo(32_768);
        assertThat(config.maskKeys()).isEqualTo(SecretKeys.DEFAULT_TERMS);
        assertThat(config.token()).isNull();
        assertThat(config.enabled()).isTrue();
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
