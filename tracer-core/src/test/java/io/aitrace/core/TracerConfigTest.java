package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TracerConfigTest {
    private static final String HOME = System.getProperty("user.home");

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final Properties sysProps = new Properties();
    private Path configFile;

    private TracerConfig.Builder builder() {
        return TracerConfig.builder().environment(env).systemProperties(sysProps)
                .configFile(configFile != null ? configFile : dir.resolve("absent.properties"));
    }

    private TracerConfig build() {
        return builder().build();
    }

    private void configFile(String content) throws IOException {
        configFile = Files.writeString(dir.resolve("config.properties"), content, StandardCharsets.UTF_8);
    }

    // ---- layers -------------------------------------------------------------------------------------------

    @Test
    void codeWinsOverSystemProperties() {
        sysProps.setProperty("aitrace.target", "/from/property.jsonl");
        sysProps.setProperty("aitrace.service.name", "from-property");

        TracerConfig config = builder().target("/from/code.jsonl").serviceName("from-code").build();

        assertThat(config.target()).isEqualTo("/from/code.jsonl");
        assertThat(config.serviceName()).isEqualTo("from-code");
    }

    @Test
    void systemPropertiesWinOverEnvironment() {
        env.put("AITRACE_TARGET", "/from/env.jsonl");
        env.put("AITRACE_SERVICE_NAME", "from-env");
        sysProps.setProperty("aitrace.target", "/from/property.jsonl");
        sysProps.setProperty("aitrace.service.name", "from-property");

        TracerConfig config = build();

        assertThat(config.target()).isEqualTo("/from/property.jsonl");
        assertThat(config.serviceName()).isEqualTo("from-property");
    }

    @Test
    void environmentWinsOverConfigFile() throws IOException {
        configFile("aitrace.target=/from/file.jsonl\naitrace.service.name=from-file\n");
        env.put("AITRACE_TARGET", "/from/env.jsonl");
        env.put("AITRACE_SERVICE_NAME", "from-env");

        TracerConfig config = build();

        assertThat(config.target()).isEqualTo("/from/env.jsonl");
        assertThat(config.serviceName()).isEqualTo("from-env");
    }

    @Test
    void configFileWinsOverDefaults() throws IOException {
        configFile("aitrace.target=/from/file.jsonl\naitrace.service.name=from-file\n");

        TracerConfig config = build();

        assertThat(config.target()).isEqualTo("/from/file.jsonl");
        assertThat(config.serviceName()).isEqualTo("from-file");
    }

    @Test
    void blankSystemPropertyDoesNotHideTheEnvironment() {
        env.put("LOG_TRG", "/from/env.jsonl");
        sysProps.setProperty("aitrace.target", "  ");

        assertThat(build().target()).isEqualTo("/from/env.jsonl");
    }

    @Test
    void logTrgNamesTheTarget() {
        env.put("LOG_TRG", "http://collector:8000");

        assertThat(build().target()).isEqualTo("http://collector:8000");
    }

    @Test
    void otelServiceNameNamesTheService() {
        env.put("OTEL_SERVICE_NAME", "weather-agent");

        assertThat(build().serviceName()).isEqualTo("weather-agent");
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
    void configFileAcceptsKeysWithAndWithoutThePrefix() throws IOException {
        configFile("target=/short/key.jsonl\naitrace.queue.capacity=512\nservice.name=short-key\n");

        TracerConfig config = build();

        assertThat(config.target()).isEqualTo("/short/key.jsonl");
        assertThat(config.queueCapacity()).isEqualTo(512);
        assertThat(config.serviceName()).isEqualTo("short-key");
    }

    @Test
    void configFileIsReadAsUtf8() throws IOException {
        configFile("service.name=agent-météo\n");

        assertThat(build().serviceName()).isEqualTo("agent-météo");
    }

    @Test
    void configFileInLatin1IsStillRead() throws IOException {
        configFile = dir.resolve("latin1.properties");
        Files.writeString(configFile, "service.name=agent-météo\n", StandardCharsets.ISO_8859_1);

        assertThat(build().serviceName()).isEqualTo("agent-météo");
    }

    @Test
    void maskKeysFromTheEnvironmentAreACommaSeparatedListThatReplacesTheDefaults() {
        env.put("AITRACE_MASK_KEYS", "ssn, pin_code");

        assertThat(build().maskKeys()).containsExactly("ssn", "pin_code");
    }

    // ---- values -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"500ms, 500", "2s, 2000", "1.5s, 1500", "PT3S, 3000", "750, 750", "1m, 60000"})
    void durationIsParsedFromCommonForms(String text, long millis) {
        sysProps.setProperty("aitrace.flush.timeout", text);

        assertThat(build().flushTimeout()).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void badNumberFallsBackToTheDefaultWithOneWarning() {
        sysProps.setProperty("aitrace.queue.capacity", "lots");

        String stderr = stderrOf(() -> assertThat(build().queueCapacity()).isEqualTo(16_384));

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

        String stderr = stderrOf(() -> assertThat(build().queueCapacity()).isEqualTo(16_384));

        assertThat(stderr.lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("aitrace: ").contains("aitrace.queue.capacity").contains("-5"));
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
        assertThat(config.queueCapacity()).isEqualTo(16_384);
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
