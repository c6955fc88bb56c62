package io.aitrace.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The layers, the file and the value grammar shared by the library, the collector and the command line. */
class SettingsTest {
    private static final String HOME = System.getProperty("user.home");

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final Properties sysProps = new Properties();
    private Path configFile;

    private Settings.Builder builder() {
        return Settings.builder().environment(env).systemProperties(sysProps)
                .configFile(configFile != null ? configFile : dir.resolve("absent.properties"));
    }

    private Settings build() {
        return builder().build();
    }

    private void configFile(String content) throws IOException {
        configFile = Files.writeString(dir.resolve("config.properties"), content, StandardCharsets.UTF_8);
    }

    // ---- layers -------------------------------------------------------------------------------------------

    @Test
    void codeWinsOverSystemProperties() {
        sysProps.setProperty("aitrace.target", "/from/property.jsonl");

        assertThat(builder().set("aitrace.target", "/from/code.jsonl").build().get("aitrace.target"))
                .isEqualTo("/from/code.jsonl");
    }

    @Test
    void systemPropertiesWinOverEnvironment() {
        env.put("AITRACE_TARGET", "/from/env.jsonl");
        env.put("AITRACE_SERVICE_NAME", "from-env");
        sysProps.setProperty("aitrace.target", "/from/property.jsonl");
        sysProps.setProperty("aitrace.service.name", "from-property");

        Settings settings = build();

        assertThat(settings.get("aitrace.target")).isEqualTo("/from/property.jsonl");
        assertThat(settings.get("aitrace.service.name")).isEqualTo("from-property");
    }

    @Test
    void environmentWinsOverConfigFile() throws IOException {
        configFile("aitrace.target=/from/file.jsonl\naitrace.service.name=from-file\n");
        env.put("AITRACE_TARGET", "/from/env.jsonl");
        env.put("AITRACE_SERVICE_NAME", "from-env");

        Settings settings = build();

        assertThat(settings.get("aitrace.target")).isEqualTo("/from/env.jsonl");
        assertThat(settings.get("aitrace.service.name")).isEqualTo("from-env");
    }

    @Test
    void configFileWinsOverDefaults() throws IOException {
        configFile("aitrace.target=/from/file.jsonl\naitrace.service.name=from-file\n");

        Settings settings = build();

        assertThat(settings.get("aitrace.target", "/default.jsonl")).isEqualTo("/from/file.jsonl");
        assertThat(settings.get("aitrace.service.name")).isEqualTo("from-file");
        assertThat(settings.get("aitrace.token", "fallback")).isEqualTo("fallback");
    }

    @Test
    void anAddedLayerSitsBelowTheEnvironmentAndAboveTheConfigFile() throws IOException {
        configFile("aitrace.target=/from/file.jsonl\naitrace.service.name=from-file\naitrace.token=file-token\n");
        env.put("AITRACE_TARGET", "/from/env.jsonl");
        Map<String, String> framework = Map.of("aitrace.target", "/from/framework.jsonl",
                "aitrace.service.name", "from-framework");

        Settings settings = builder().layer(framework::get).build();

        assertThat(settings.get("aitrace.target")).isEqualTo("/from/env.jsonl");
        assertThat(settings.get("aitrace.service.name")).isEqualTo("from-framework");
        assertThat(settings.get("aitrace.token")).isEqualTo("file-token");
    }

    @Test
    void aLayerThatThrowsIsSkipped() {
        env.put("AITRACE_TOKEN", "env-token");

        Settings settings = builder().layer(key -> {
            throw new IllegalStateException("broken");
        }).build();

        assertThat(settings.get("aitrace.token")).isEqualTo("env-token");
        assertThat(settings.get("aitrace.target")).isNull();
    }

    @Test
    void blankSystemPropertyDoesNotHideTheEnvironment() {
        env.put("LOG_TRG", "/from/env.jsonl");
        sysProps.setProperty("aitrace.target", "  ");

        assertThat(build().get("aitrace.target")).isEqualTo("/from/env.jsonl");
    }

    @Test
    void logTrgNamesTheTarget() {
        env.put("LOG_TRG", "http://collector:8000");

        assertThat(build().get("aitrace.target")).isEqualTo("http://collector:8000");
    }

    @Test
    void aitraceTargetInTheEnvironmentWinsOverLogTrg() {
        env.put("LOG_TRG", "/from/log-trg.jsonl");
        env.put("AITRACE_TARGET", "/from/aitrace-target.jsonl");

        assertThat(build().get("aitrace.target")).isEqualTo("/from/aitrace-target.jsonl");
    }

    @Test
    void otelServiceNameNamesTheService() {
        env.put("OTEL_SERVICE_NAME", "weather-agent");

        assertThat(build().get("aitrace.service.name")).isEqualTo("weather-agent");
    }

    @Test
    void environmentNameMapsToTheDottedKey() {
        env.put("AITRACE_QUEUE_CAPACITY", "2048");
        env.put("AITRACE_MAX_DB_SIZE", "500m");
        env.put("AITRACE_FLUSH_INTERVAL", "250ms");

        Settings settings = build();

        assertThat(settings.positiveInt("aitrace.queue.capacity")).isEqualTo(2048);
        assertThat(settings.size("aitrace.max.db.size")).isEqualTo(500L << 20);
        assertThat(settings.duration("aitrace.flush.interval", ChronoUnit.MILLIS)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void configFileAcceptsKeysWithAndWithoutThePrefix() throws IOException {
        configFile("target=/short/key.jsonl\naitrace.queue.capacity=512\nservice.name=short-key\n");

        Settings settings = build();

        assertThat(settings.get("aitrace.target")).isEqualTo("/short/key.jsonl");
        assertThat(settings.positiveInt("aitrace.queue.capacity")).isEqualTo(512);
        assertThat(settings.get("aitrace.service.name")).isEqualTo("short-key");
    }

    @Test
    void configFileIsReadAsUtf8() throws IOException {
        configFile("service.name=agent-météo\n");

        assertThat(build().get("aitrace.service.name")).isEqualTo("agent-météo");
    }

    @Test
    void configFileInLatin1IsStillRead() throws IOException {
        configFile = dir.resolve("latin1.properties");
        Files.writeString(configFile, "service.name=agent-météo\n", StandardCharsets.ISO_8859_1);

        assertThat(build().get("aitrace.service.name")).isEqualTo("agent-météo");
    }

    @Test
    void valuesAreTrimmed() {
        sysProps.setProperty("aitrace.token", "  s3cret \t");

        assertThat(build().get("aitrace.token")).isEqualTo("s3cret");
    }

    @Test
    void aListIsCommaSeparated() {
        env.put("AITRACE_MASK_KEYS", "ssn, pin_code,,");

        assertThat(build().list("aitrace.mask.keys")).containsExactly("ssn", "pin_code");
    }

    // ---- grammar ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"500ms, 500", "2s, 2000", "1.5s, 1500", "PT3S, 3000", "750, 750", "1m, 60000", "2h, 7200000",
            "1d, 86400000", "1w, 604800000", "' 3 S ', 3000"})
    void durationsShareOneGrammar(String text, long millis) {
        assertThat(Settings.parseDuration(text, ChronoUnit.MILLIS)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void aBareNumberIsInTheUnitTheSettingNames() {
        assertThat(Settings.parseDuration("30", ChronoUnit.DAYS)).isEqualTo(Duration.ofDays(30));
        assertThat(Settings.parseDuration("30", ChronoUnit.MILLIS)).isEqualTo(Duration.ofMillis(30));
    }

    @ParameterizedTest
    @CsvSource({"4096, 4096", "2g, 2147483648", "500MB, 524288000", "1.5GiB, 1610612736", "64k, 65536", "1t, 1099511627776"})
    void sizesShareOneGrammar(String text, long bytes) {
        assertThat(Settings.parseSize(text)).isEqualTo(bytes);
    }

    @Test
    void aBadValueNamesTheKeyAndTheValue() {
        env.put("AITRACE_FLUSH_INTERVAL", "soon");
        env.put("AITRACE_QUEUE_CAPACITY", "-5");
        env.put("AITRACE_MAX_DB_SIZE", "huge");
        env.put("AITRACE_ENABLED", "maybe");
        Settings settings = build();

        assertThatThrownBy(() -> settings.duration("aitrace.flush.interval", ChronoUnit.MILLIS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aitrace.flush.interval=soon");
        assertThatThrownBy(() -> settings.positiveInt("aitrace.queue.capacity"))
                .hasMessageContaining("aitrace.queue.capacity=-5");
        assertThatThrownBy(() -> settings.size("aitrace.max.db.size")).hasMessageContaining("aitrace.max.db.size=huge");
        assertThatThrownBy(() -> settings.flag("aitrace.enabled")).hasMessageContaining("aitrace.enabled=maybe");
    }

    @Test
    void aZeroDurationIsNotASetting() {
        env.put("AITRACE_FLUSH_INTERVAL", "0");

        assertThatThrownBy(() -> build().duration("aitrace.flush.interval", ChronoUnit.MILLIS))
                .hasMessageContaining("aitrace.flush.interval=0");
    }

    @Test
    void tildeExpandsToTheHomeDirectory() {
        sysProps.setProperty("aitrace.spill.dir", "~/aitrace-spill");

        assertThat(build().path("aitrace.spill.dir")).isEqualTo(Paths.get(HOME, "aitrace-spill"));
        assertThat(Settings.expandHome("~")).isEqualTo(Paths.get(HOME));
        assertThat(Settings.expandHome("/abs/~/x")).isEqualTo(Paths.get("/abs/~/x"));
    }
}
