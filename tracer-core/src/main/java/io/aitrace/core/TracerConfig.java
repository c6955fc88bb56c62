package io.aitrace.core;

import io.aitrace.core.config.Settings;
import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.internal.OtlpEndpoint;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.SecretKeys;
import io.aitrace.core.target.SpanListener;
import io.aitrace.core.target.Target;
import io.aitrace.core.target.Targets;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * aitrace's settings, resolved from layers, highest first: code (this builder), system properties
 * {@code aitrace.*}, environment {@code AITRACE_*} (plus {@code LOG_TRG} and {@code OTEL_SERVICE_NAME}),
 * layers added with {@link Builder#layer}, {@code ~/.config/aitrace/config.properties}, defaults. The layers,
 * the file and the value grammar are {@link Settings}', shared with the collector and the command line.
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
 * {@code aitrace.otlp.endpoint} (see {@link #otlpEndpoint()}), {@code aitrace.propagate.baggage}.
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
    public static final String PROPAGATE_BAGGAGE = "aitrace.propagate.baggage";

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
    private final List<RecordProcessor> processors;
    private final String otlpEndpoint;
    private final Map<String, String> otlpHeaders;
    private final boolean propagateBaggage;

    private TracerConfig(Builder b, Settings layered) {
        this.target = pick(b.target, layered.get(TARGET), DEFAULT_TARGET);
        this.serviceName = pick(b.serviceName, layered.get(SERVICE_NAME), ServiceNames.ofThisProgram());
        this.queueCapacity = b.queueCapacity != null ? b.queueCapacity
                : orDefault(() -> layered.positiveInt(QUEUE_CAPACITY), defaultQueueCapacity(Runtime.getRuntime().maxMemory()));
        this.flushInterval = b.flushInterval != null ? b.flushInterval
                : orDefault(() -> layered.duration(FLUSH_INTERVAL, ChronoUnit.MILLIS), Duration.ofSeconds(1));
        this.flushTimeout = b.flushTimeout != null ? b.flushTimeout
                : orDefault(() -> layered.duration(FLUSH_TIMEOUT, ChronoUnit.MILLIS), Duration.ofSeconds(10));
        this.maxStringLength = b.maxStringLength != null ? b.maxStringLength
                : orDefault(() -> layered.positiveInt(MAX_STRING_LENGTH), 32_768);
        this.maskKeys = b.maskKeys != null ? List.copyOf(b.maskKeys)
                : orDefault(() -> layered.list(MASK_KEYS), SecretKeys.DEFAULT_TERMS);
        this.spillDir = Settings.expandHome(b.spillDir != null ? b.spillDir.toString()
                : layered.get(SPILL_DIR, "~/.config/aitrace/spill"));
        this.token = pick(b.token, layered.get(TOKEN), null);
        this.enabled = b.enabled != null ? b.enabled : orDefault(() -> layered.flag(ENABLED), true);
        this.openTelemetry = b.openTelemetry;
        this.extraTargets = List.copyOf(b.extraTargets);
        this.sampleRatio = b.sampleRatio != null ? clampRatio(b.sampleRatio, SAMPLE_RATIO)
                : parseRatio(layered.get(SAMPLE_RATIO), SAMPLE_RATIO);
        this.listeners = List.copyOf(b.listeners);
        this.processors = List.copyOf(b.processors);
        Map<String, String> env = b.environment != null ? b.environment : System.getenv();
        // An SDK passed in exports its spans itself, by the same OTEL_* variables: only aitrace's key adds ours.
        this.otlpEndpoint = OtlpEndpoint.tracesUrl(pick(b.otlpEndpoint, layered.get(OTLP_ENDPOINT), null),
                b.openTelemetry == null ? env : Map.of());
        this.otlpHeaders = OtlpEndpoint.headers(env);
        this.propagateBaggage = b.propagateBaggage != null ? b.propagateBaggage
                : orDefault(() -> layered.flag(PROPAGATE_BAGGAGE), false);
    }

    /** The default queue's bounds, in records: never fewer (unless the heap is tiny), never more. */
    static final int MIN_DEFAULT_QUEUE = 32_768;
    static final int MAX_DEFAULT_QUEUE = 262_144;
    /**
     * The heap one queued record is reckoned to hold for the default: measured 441 bytes for a span with three
     * attributes and 809 for an LLM step with a short input and output (docs/performance.md, {@code QueueMemory}).
     */
    static final int RECORD_BYTES = 1_024;

    /**
     * The queue's size when {@code aitrace.queue.capacity} is not set: what a sixteenth of the heap holds at
     * {@value #RECORD_BYTES} bytes a record, as a power of two from {@value #MIN_DEFAULT_QUEUE} to
     * {@value #MAX_DEFAULT_QUEUE} (a heap below 1 GB gets the smallest; from 4 GB, the largest), and never more
     * than half the heap holds (heaps below 64 MB, at least 1,024 records). A queue only holds its records while
     * the writer is behind (a tight loop on a busy machine, a stalled target); a larger one rides out a longer pause
     * of the writer before it drops.
     */
    static int defaultQueueCapacity(long maxHeapBytes) {
        // an eighth more: the Serial and Parallel collectors' maxMemory() leaves out a survivor space (-Xmx1g reads
        // as 954 to 990 MB), which would otherwise fall below the power of two the documented sizes are at
        long heap = maxHeapBytes > Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : maxHeapBytes + maxHeapBytes / 8;
        long sixteenth = Long.highestOneBit(Math.max(1, heap / 16 / RECORD_BYTES));
        long half = Long.highestOneBit(Math.max(1, heap / 2 / RECORD_BYTES));
        long records = Math.min(MAX_DEFAULT_QUEUE, Math.max(MIN_DEFAULT_QUEUE, sixteenth));
        return (int) Math.max(1_024, Math.min(records, half));
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
    /**
     * How many records may wait for the writer before new ones are dropped (and counted); by default what a sixteenth
     * of the heap holds at about 1 KB a record, from 32,768 to 262,144.
     */
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
    /** Processors given in code ({@link Builder#addProcessor}), fed the typed records after the built-in ones. */
    public List<RecordProcessor> processors() { return processors; }
    /**
     * The OTLP/HTTP traces URL spans are also exported to, or null. From {@code aitrace.otlp.endpoint} (a base
     * URL: {@code /v1/traces} is appended unless the path already ends with it), else
     * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as is, else {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/traces}
     * (those two only when no OpenTelemetry instance is passed in, which exports by them itself).
     */
    public String otlpEndpoint() { return otlpEndpoint; }
    /** Headers for the OTLP endpoint, from {@code OTEL_EXPORTER_OTLP_HEADERS} and {@code ..._TRACES_HEADERS}. */
    public Map<String, String> otlpHeaders() { return otlpHeaders; }
    /**
     * Whether {@code Tracing.inject}/{@code extract} carry inheritable attributes as W3C {@code baggage}; off by
     * default, since they may hold user data.
     */
    public boolean propagateBaggage() { return propagateBaggage; }

    /**
     * A builder holding every setting of this configuration, to build one that differs in a few:
     * {@code TracerRuntime.global().config().toBuilder().addTarget(memory).build()}.
     */
    public Builder toBuilder() {
        Builder b = builder().target(target).serviceName(serviceName).queueCapacity(queueCapacity)
                .flushInterval(flushInterval).flushTimeout(flushTimeout).maxStringLength(maxStringLength)
                .maskKeys(maskKeys).spillDir(spillDir).token(token).enabled(enabled).openTelemetry(openTelemetry)
                .sampleRatio(sampleRatio).otlpEndpoint(otlpEndpoint).propagateBaggage(propagateBaggage);
        extraTargets.forEach(b::addTarget);
        processors.forEach(b::addProcessor);
        listeners.forEach(b::addListener);
        return b;
    }

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
        private Boolean propagateBaggage;
        private OpenTelemetry openTelemetry;
        private final List<Target> extraTargets = new ArrayList<>();
        private Double sampleRatio;
        private final List<SpanListener> listeners = new ArrayList<>();
        private final List<RecordProcessor> processors = new ArrayList<>();
        private String otlpEndpoint;
        private Map<String, String> environment;
        private Properties systemProperties;
        private Path configFile;
        private final List<Function<String, String>> layers = new ArrayList<>();

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
        public Builder propagateBaggage(boolean propagate) { this.propagateBaggage = propagate; return this; }
        /** Also export spans over OTLP/HTTP to this base URL (see {@link TracerConfig#otlpEndpoint()}). */
        public Builder otlpEndpoint(String otlpEndpoint) { this.otlpEndpoint = otlpEndpoint; return this; }
        /** Create spans with this OpenTelemetry (an SDK the application already set up). */
        public Builder openTelemetry(OpenTelemetry openTelemetry) { this.openTelemetry = openTelemetry; return this; }
        /** Also write the records, as JSON lines, to this byte target. */
        public Builder addTarget(Target target) { this.extraTargets.add(target); return this; }
        /**
         * Also hand the typed records to this processor, on the writer thread (see {@link RecordProcessor}); a
         * {@link io.aitrace.core.target.MemoryTraces} is one: {@code addProcessor(new MemoryTraces())}.
         */
        public Builder addProcessor(RecordProcessor processor) {
            if (processor != null) {
                this.processors.add(processor);
            }
            return this;
        }
        /** The same as {@link #addProcessor}, so {@code addTarget(memoryTraces)} reads as before. */
        public Builder addTarget(RecordProcessor processor) { return addProcessor(processor); }
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
        /**
         * One more settings layer, below the environment and above the config file: {@code lookup} gets a full key
         * ({@code aitrace.target}) and returns its value or null. Integrations add their framework's settings this
         * way, e.g. Spring's {@code builder.layer(environment::getProperty)}. See {@link Settings}.
         */
        public Builder layer(Function<String, String> lookup) {
            if (lookup != null) {
                this.layers.add(lookup);
            }
            return this;
        }

        public TracerConfig build() {
            Settings.Builder settings = Settings.builder().environment(environment).systemProperties(systemProperties)
                    .configFile(configFile);
            layers.forEach(settings::layer);
            return new TracerConfig(this, settings.build());
        }
    }

    private static String pick(String code, String layered, String fallback) {
        if (code != null && !code.isBlank()) {
            return code;
        }
        return layered != null && !layered.isBlank() ? layered : fallback;
    }

    /** The setting read by {@code read}, or {@code fallback} when unset or invalid (saying so, naming the key). */
    private static <T> T orDefault(Supplier<T> read, T fallback) {
        try {
            T value = read.get();
            return value != null ? value : fallback;
        } catch (IllegalArgumentException e) {
            Diagnostics.warn(e.getMessage() + ", using " + fallback);
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
}
