package io.aitrace.core;

import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * aitrace's settings, resolved from layers, highest first: code (this builder), system properties
 * {@code aitrace.*}, environment {@code AITRACE_*} (plus {@code LOG_TRG} and {@code OTEL_SERVICE_NAME}),
 * {@code ~/.config/aitrace/config.properties}, defaults.
 *
 * <pre>{@code
 * TracerRuntime.install(TracerConfig.builder().target("-").serviceName("weather-agent").build());
 * }</pre>
 *
 * Keys (system property / config file form; the environment form is upper case with {@code _}, e.g.
 * {@code AITRACE_QUEUE_CAPACITY}): {@code aitrace.target}, {@code aitrace.service.name},
 * {@code aitrace.queue.capacity}, {@code aitrace.flush.interval}, {@code aitrace.flush.timeout},
 * {@code aitrace.max.string.length}, {@code aitrace.mask.keys}, {@code aitrace.spill.dir},
 * {@code aitrace.token}, {@code aitrace.enabled}, {@code aitrace.sample.ratio},
 * {@code aitrace.otlp.endpoint} (see {@link #otlpEndpoint()}).
 */
public final class TracerConfig {
    public static final String TARGET = "aitrace.target";
    public static final String SERVICE_NAME = "aitrace.service.name";
    public static final String QUEUE_CAPACITY = "aitrace.queue.capacity";
    public static final String FLUSH_INTERVAL = "aitrace.flush.interval";
    public static final String FLUSH_TIMEOUT = "aitrace.flush.timeout";
    public static final String MAX_STRING_LENGTH = "aitrace.max.string.length";
    public static final String MASK_KEYS = "aitrace.mask.keys";
    public static final String SPILL_DIR = "aitrace.spill.dir";
    public static final String TOKEN = "aitrace.token";
    public static final String ENABLED = "aitrace.enabled";
    public static final String SAMPLE_RATIO = "aitrace.sample.ratio";
    public static final String OTLP_ENDPOINT = "aitrace.otlp.endpoint";

    /** The file target used when nothing names one. */
    public static final String DEFAULT_TARGET = "~/.config/aitrace/traces/<YYYYMMDD_HHMMSS>.jsonl";

    private final String target;
    private final String serviceName;
    private final int queueCapacity;
    private final Duration flushInterval;
    private final Duration flushTimeout;
    private final int maxStringLength;
    private final List<String> maskKeys;
    private final Path spillDir;
    private final String token;
    private final boolean enabled;
    private final OpenTelemetry openTelemetry;
    private final List<Target> extraTargets;
    private final double sampleRatio;
    private final List<SpanListener> listeners;
    private final String otlpEndpoint;
    private final Map<String, String> otlpHeaders;

    private TracerConfig(Builder b, Map<String, String> layered) {
        this.target = pick(b.target, layered.get(TARGET), DEFAULT_TARGET);
        this.serviceName = pick(b.serviceName, layered.get(SERVICE_NAME), ServiceNames.ofThisProgram());
        this.queueCapacity = b.queueCapacity != null ? b.queueCapacity
                : parseInt(layered.get(QUEUE_CAPACITY), 16_384, QUEUE_CAPACITY);
        this.flushInterval = b.flushInterval != null ? b.flushInterval
                : parseDuration(layered.get(FLUSH_INTERVAL), Duration.ofSeconds(1), FLUSH_INTERVAL);
        this.flushTimeout = b.flushTimeout != null ? b.flushTimeout
                : parseDuration(layered.get(FLUSH_TIMEOUT), Duration.ofSeconds(10), FLUSH_TIMEOUT);
        this.maxStringLength = b.maxStringLength != null ? b.maxStringLength
                : parseInt(layered.get(MAX_STRING_LENGTH), 32_768, MAX_STRING_LENGTH);
        this.maskKeys = b.maskKeys != null ? List.copyOf(b.maskKeys)
                : layered.get(MASK_KEYS) != null ? splitList(layered.get(MASK_KEYS)) : SecretKeys.DEFAULT_TERMS;
        this.spillDir = b.spillDir != null ? expandHome(b.spillDir.toString())
                : expandHome(pick(null, layered.get(SPILL_DIR), "~/.config/aitrace/spill"));
        this.token = pick(b.token, layered.get(TOKEN), null);
        this.enabled = b.enabled != null ? b.enabled : parseBoolean(layered.get(ENABLED), true, ENABLED);
        this.openTelemetry = b.openTelemetry;
        this.extraTargets = List.copyOf(b.extraTargets);
        this.sampleRatio = b.sampleRatio != null ? clampRatio(b.sampleRatio, SAMPLE_RATIO)
                : parseRatio(layered.get(SAMPLE_RATIO), SAMPLE_RATIO);
        this.listeners = List.copyOf(b.listeners);
        Map<String, String> env = b.environment != null ? b.environment : System.getenv();
        // An SDK passed in exports its spans itself, by the same OTEL_* variables: only aitrace's key adds ours.
        this.otlpEndpoint = OtlpEndpoint.tracesUrl(pick(b.otlpEndpoint, layered.get(OTLP_ENDPOINT), null),
                b.openTelemetry == null ? env : Map.of());
        this.otlpHeaders = OtlpEndpoint.headers(env);
    }

    /** A builder; what it sets wins over every other layer. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings from system properties, environment, config file and defaults. */
    public static TracerConfig fromEnvironment() {
        return builder().build();
    }

    /** Where records go: {@code -}, a file path, an {@code http(s)://} URL, or several, comma-separated. */
    public String target() { return target; }
    /** The {@code service.name} resource attribute of every span. */
    public String serviceName() { return serviceName; }
    /** How many records may wait for the writer before new ones are dropped (and counted). */
    public int queueCapacity() { return queueCapacity; }
    /** How often buffered records are pushed to the targets. */
    public Duration flushInterval() { return flushInterval; }
    /** How long {@code flush()} and shutdown wait for the targets at most. */
    public Duration flushTimeout() { return flushTimeout; }
    /** Strings longer than this are cut, with a marker. */
    public int maxStringLength() { return maxStringLength; }
    /** Key terms whose values are masked as {@code "***"}. */
    public List<String> maskKeys() { return maskKeys; }
    /** Where the HTTP target keeps records while the collector is unreachable. */
    public Path spillDir() { return spillDir; }
    /** Bearer token for the collector, or null. */
    public String token() { return token; }
    /** False turns every tracer into a no-op. */
    public boolean enabled() { return enabled; }
    /** The OpenTelemetry instance to create spans with, or null to let aitrace build its own SDK. */
    public OpenTelemetry openTelemetry() { return openTelemetry; }
    /** Targets given as objects in code, in addition to {@link #target()}. */
    public List<Target> extraTargets() { return extraTargets; }
    /** The share of traces recorded, from 0 (none) to 1 (all, the default); decided at each root span. */
    public double sampleRatio() { return sampleRatio; }
    /** Listeners called as spans start, are snapshotted and end. */
    public List<SpanListener> listeners() { return listeners; }
    /**
     * The OTLP/HTTP traces URL spans are also exported to, or null. From {@code aitrace.otlp.endpoint} (a base
     * URL: {@code /v1/traces} is appended unless the path already ends with it), else
     * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as is, else {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/traces}
     * (those two only when no OpenTelemetry instance is passed in, which exports by them itself).
     */
    public String otlpEndpoint() { return otlpEndpoint; }
    /** Headers for the OTLP endpoint, from {@code OTEL_EXPORTER_OTLP_HEADERS} and {@code ..._TRACES_HEADERS}. */
    public Map<String, String> otlpHeaders() { return otlpHeaders; }

    /** Fills in settings; values left unset come from the lower layers. */
    public static final class Builder {
        private String target;
        private String serviceName;
        private Integer queueCapacity;
        private Duration flushInterval;
        private Duration flushTimeout;
        private Integer maxStringLength;
        private List<String> maskKeys;
        private Path spillDir;
        private String token;
        private Boolean enabled;
        private OpenTelemetry openTelemetry;
        private final List<Target> extraTargets = new ArrayList<>();
        private Double sampleRatio;
        private final List<SpanListener> listeners = new ArrayList<>();
        private String otlpEndpoint;
        private Map<String, String> environment;
        private Properties systemProperties;
        private Path configFile;

        private Builder() {
        }

        public Builder target(String target) { this.target = target; return this; }
        public Builder serviceName(String serviceName) { this.serviceName = serviceName; return this; }
        public Builder queueCapacity(int queueCapacity) { this.queueCapacity = queueCapacity; return this; }
        public Builder flushInterval(Duration flushInterval) { this.flushInterval = flushInterval; return this; }
        public Builder flushTimeout(Duration flushTimeout) { this.flushTimeout = flushTimeout; return this; }
        public Builder maxStringLength(int maxStringLength) { this.maxStringLength = maxStringLength; return this; }
        public Builder maskKeys(List<String> maskKeys) { this.maskKeys = maskKeys; return this; }
        public Builder spillDir(Path spillDir) { this.spillDir = spillDir; return this; }
        public Builder token(String token) { this.token = token; return this; }
        public Builder enabled(boolean enabled) { this.enabled = enabled; return this; }
        /** Also export spans over OTLP/HTTP to this base URL (see {@link TracerConfig#otlpEndpoint()}). */
        public Builder otlpEndpoint(String otlpEndpoint) { this.otlpEndpoint = otlpEndpoint; return this; }
        /** Create spans with this OpenTelemetry (an SDK the application already set up). */
        public Builder openTelemetry(OpenTelemetry openTelemetry) { this.openTelemetry = openTelemetry; return this; }
        /** Also write to this target object. */
        public Builder addTarget(Target target) { this.extraTargets.add(target); return this; }
        /** Record this share of traces, 0 to 1; decided at each root span and followed by all its descendants. */
        public Builder sampleRatio(double ratio) { this.sampleRatio = ratio; return this; }
        /** Call this listener as spans start, are snapshotted and end (on the writer thread). */
        public Builder addListener(SpanListener listener) {
            if (listener != null) {
                this.listeners.add(listener);
            }
            return this;
        }
        /** Read this map instead of {@code System.getenv()} (for tests and embedding). */
        public Builder environment(Map<String, String> environment) { this.environment = environment; return this; }
        /** Read these instead of {@code System.getProperties()}. */
        public Builder systemProperties(Properties properties) { this.systemProperties = properties; return this; }
        /** Read this file instead of {@code ~/.config/aitrace/config.properties}. */
        public Builder configFile(Path configFile) { this.configFile = configFile; return this; }

        public TracerConfig build() {
            Map<String, String> layered = new HashMap<>();
            Path file = configFile != null ? configFile
                    : Paths.get(System.getProperty("user.home"), ".config", "aitrace", "config.properties");
            layered.putAll(readConfigFile(file));
            layered.putAll(fromEnvironment(environment != null ? environment : System.getenv()));
            Properties props = systemProperties != null ? systemProperties : System.getProperties();
            for (String name : props.stringPropertyNames()) {
                if (name.startsWith("aitrace.")) {
                    // A blank value (-Daitrace.target=) means unset: the lower layers still apply.
                    putIfSet(layered, name, props.getProperty(name));
                }
            }
            return new TracerConfig(this, layered);
        }
    }

    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        putIfSet(out, SERVICE_NAME, env.get("OTEL_SERVICE_NAME"));
        putIfSet(out, TARGET, env.get("LOG_TRG"));
        for (String key : List.of(TARGET, SERVICE_NAME, QUEUE_CAPACITY, FLUSH_INTERVAL, FLUSH_TIMEOUT,
                MAX_STRING_LENGTH, MASK_KEYS, SPILL_DIR, TOKEN, ENABLED, SAMPLE_RATIO, OTLP_ENDPOINT)) {
            putIfSet(out, key, env.get(key.toUpperCase(Locale.ROOT).replace('.', '_')));
        }
        return out;
    }

    private static Map<String, String> readConfigFile(Path file) {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        Properties props;
        try {
            props = loadProperties(file);
        } catch (IOException | IllegalArgumentException e) {
            Diagnostics.warn("cannot read " + file + ", ignoring it", e);
            return out;
        }
        for (String name : props.stringPropertyNames()) {
            putIfSet(out, name.startsWith("aitrace.") ? name : "aitrace." + name, props.getProperty(name));
        }
        return out;
    }

    /** UTF-8, or ISO-8859-1 (the traditional encoding of .properties) when the file is not valid UTF-8. */
    private static Properties loadProperties(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
            return props;
        } catch (CharacterCodingException e) {
            props.clear();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                props.load(in);
            }
            return props;
        }
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value.trim());
        }
    }

    private static String pick(String code, String layered, String fallback) {
        if (code != null && !code.isBlank()) {
            return code;
        }
        return layered != null && !layered.isBlank() ? layered : fallback;
    }

    private static int parseInt(String value, int fallback, String key) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim().replace("_", ""));
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // warned below
        }
        Diagnostics.warn(key + "=" + value + " is not a positive whole number, using " + fallback);
        return fallback;
    }

    private static boolean parseBoolean(String value, boolean fallback, String key) {
        if (value == null) {
            return fallback;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                Diagnostics.warn(key + "=" + value + " is neither true nor false, using " + fallback);
                return fallback;
        }
    }

    /** A share from 0 to 1, also written as a percentage ({@code 25%}); 1 when unset or not a share. */
    static double parseRatio(String value, String key) {
        if (value == null) {
            return 1.0;
        }
        String v = value.trim();
        try {
            double parsed = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100
                    : Double.parseDouble(v);
            if (parsed >= 0 && parsed <= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // warned below
        }
        Diagnostics.warn(key + "=" + value + " is not a share between 0 and 1 (like 0.25 or 25%), using 1");
        return 1.0;
    }

    private static double clampRatio(double ratio, String key) {
        if (ratio >= 0 && ratio <= 1) {
            return ratio;
        }
        Diagnostics.warn(key + "=" + ratio + " is not a share between 0 and 1, using 1");
        return 1.0;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, a plain number of milliseconds, or ISO-8601 ({@code PT2S}). */
    static Duration parseDuration(String value, Duration fallback, String key) {
        if (value == null) {
            return fallback;
        }
        Duration parsed = null;
        try {
            parsed = duration(value.trim().toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            // warned below
        }
        // Zero or negative would make the writer flush in a busy loop, or flush() give up at once.
        if (parsed != null && !parsed.isNegative() && !parsed.isZero()) {
            return parsed;
        }
        Diagnostics.warn(key + "=" + value + " is not a positive duration (like 500ms, 2s), using " + fallback);
        return fallback;
    }

    private static Duration duration(String v) {
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
        }
        if (v.endsWith("s")) {
            double seconds = Double.parseDouble(v.substring(0, v.length() - 1).trim());
            return Double.isFinite(seconds) ? Duration.ofMillis(Math.round(seconds * 1000)) : null;
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
        }
        return Duration.ofMillis(Long.parseLong(v));
    }

    private static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** {@code ~} and {@code ~/...} become the user's home directory. */
    static Path expandHome(String path) {
        if (path.equals("~")) {
            return Paths.get(System.getProperty("user.home"));
        }
        if (path.startsWith("~/") || path.startsWith("~\\")) {
            return Paths.get(System.getProperty("user.home"), path.substring(2));
        }
        return Paths.get(path);
    }
}
