package io.aitrace.core.config;

import io.aitrace.core.internal.Diagnostics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * aitrace's settings source, shared by the library ({@code TracerConfig}), the collector ({@code ServerConfig}) and
 * the {@code aitrace} command. A setting is a dotted key such as {@code aitrace.flush.interval}; {@link #get} takes
 * the first layer that has a non-blank value, highest first:
 * <ol>
 * <li>code: values {@linkplain Builder#set set} on the builder (the library's builder, the command line);</li>
 * <li>system properties {@code aitrace.*};</li>
 * <li>environment {@code AITRACE_*} (the key upper case, dots as underscores: {@code AITRACE_FLUSH_INTERVAL}),
 *     then the aliases {@code LOG_TRG} (target) and {@code OTEL_SERVICE_NAME};</li>
 * <li>extra layers {@linkplain Builder#layer added} by an integration (such as Spring's {@code Environment}),
 *     in the order added;</li>
 * <li>{@code ~/.config/aitrace/config.properties}, read as UTF-8 (ISO-8859-1 when it is not valid UTF-8), its keys
 *     with or without the {@code aitrace.} prefix;</li>
 * <li>the caller's default.</li>
 * </ol>
 * Values are trimmed; a blank value counts as unset, so the layers below still apply. The typed readers share one
 * grammar: {@link #parseDuration durations} ({@code 500ms}, {@code 1.5s}, {@code 30m}, {@code 12h}, {@code 7d},
 * {@code 1w}, ISO-8601 {@code PT2S}), {@link #parseSize sizes} ({@code 4096}, {@code 500m}, {@code 1.5GiB}),
 * {@link #expandHome paths} ({@code ~} is the home directory).
 *
 * <pre>{@code
 * Settings settings = Settings.builder().set("aitrace.port", cliPort).build();
 * Duration retain = settings.duration("aitrace.retain", ChronoUnit.DAYS);
 * }</pre>
 */
public final class Settings {
    /** The prefix of every key. */
    public static final String PREFIX = "aitrace.";
    private static final Map<String, String> ENV_ALIASES = Map.of(
            "aitrace.target", "LOG_TRG",
            "aitrace.service.name", "OTEL_SERVICE_NAME");

    private final Map<String, String> code;
    private final Properties systemProperties;
    private final Map<String, String> environment;
    private final List<Function<String, String>> layers;
    private final Map<String, String> file;

    private Settings(Builder b) {
        this.code = Map.copyOf(b.code);
        this.systemProperties = b.systemProperties != null ? b.systemProperties : System.getProperties();
        this.environment = b.environment != null ? b.environment : System.getenv();
        this.layers = List.copyOf(b.layers);
        this.file = readFile(b.configFile != null ? b.configFile : defaultConfigFile());
    }

    /** A builder that reads the real system properties, environment and config file unless told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code ~/.config/aitrace/config.properties}. */
    public static Path defaultConfigFile() {
        return Paths.get(System.getProperty("user.home"), ".config", "aitrace", "config.properties");
    }

    /** The value of {@code key} ({@code aitrace.…}) from the highest layer that has one, trimmed; null when none. */
    public String get(String key) {
        String value = set(code.get(key));
        if (value == null) {
            value = set(systemProperties.getProperty(key));
        }
        if (value == null) {
            value = set(environment.get(environmentName(key)));
        }
        if (value == null && ENV_ALIASES.containsKey(key)) {
            value = set(environment.get(ENV_ALIASES.get(key)));
        }
        for (int i = 0; value == null && i < layers.size(); i++) {
            value = set(safely(layers.get(i), key));
        }
        return value != null ? value : file.get(key);
    }

    /** {@link #get}, or {@code fallback} when no layer has a value. */
    public String get(String key, String fallback) {
        String value = get(key);
        return value != null ? value : fallback;
    }

    /**
     * A positive whole number ({@code _} may group digits: {@code 16_384}); null when unset.
     *
     * @throws IllegalArgumentException naming the key and the value when it is not one
     */
    public Integer positiveInt(String key) {
        String value = get(key);
        if (value == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(key + "=" + value + " is not a positive whole number");
    }

    /**
     * {@code true}/{@code yes}/{@code on}/{@code 1} or {@code false}/{@code no}/{@code off}/{@code 0}; null when unset.
     *
     * @throws IllegalArgumentException naming the key and the value when it is neither
     */
    public Boolean flag(String key) {
        String value = get(key);
        if (value == null) {
            return null;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                throw new IllegalArgumentException(key + "=" + value + " is neither true nor false");
        }
    }

    /**
     * A positive {@linkplain #parseDuration duration}; a bare number is in {@code bareUnit}. Null when unset.
     *
     * @throws IllegalArgumentException naming the key and the value when it is not one
     */
    public Duration duration(String key, ChronoUnit bareUnit) {
        String value = get(key);
        if (value == null) {
            return null;
        }
        try {
            Duration parsed = parseDuration(value, bareUnit);
            // Zero or negative would make a writer flush in a busy loop, or a wait give up at once.
            if (!parsed.isNegative() && !parsed.isZero()) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new IllegalArgumentException(key + "=" + value + " is not a positive duration (like 500ms, 2s, 12h, 7d)");
    }

    /**
     * A {@linkplain #parseSize size} in bytes; null when unset.
     *
     * @throws IllegalArgumentException naming the key and the value when it is not one
     */
    public Long size(String key) {
        String value = get(key);
        if (value == null) {
            return null;
        }
        try {
            return parseSize(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a size (like 2g, 500m, 4096)", e);
        }
    }

    /** A path with {@code ~} expanded; null when unset. */
    public Path path(String key) {
        String value = get(key);
        return value == null ? null : expandHome(value);
    }

    /** A comma-separated list, blank items left out; null when unset. */
    public List<String> list(String key) {
        String value = get(key);
        if (value == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * The duration grammar of every aitrace setting: a number (decimals allowed) with a unit {@code ms}, {@code s},
     * {@code m} (minutes), {@code h}, {@code d} or {@code w}, or ISO-8601 ({@code PT2S}); a bare number is in
     * {@code bareUnit} (milliseconds for the library's intervals, days for the collector's retention).
     *
     * @throws IllegalArgumentException naming the text when it is not a duration
     */
    public static Duration parseDuration(String text, ChronoUnit bareUnit) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            int unitAt = v.length();
            while (unitAt > 0 && Character.isLetter(v.charAt(unitAt - 1))) {
                unitAt--;
            }
            double number = Double.parseDouble(v.substring(0, unitAt).trim());
            ChronoUnit unit = switch (v.substring(unitAt)) {
                case "" -> bareUnit;
                case "ms" -> ChronoUnit.MILLIS;
                case "s" -> ChronoUnit.SECONDS;
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                case "d" -> ChronoUnit.DAYS;
                case "w" -> ChronoUnit.WEEKS;
                default -> throw new IllegalArgumentException("unknown unit");
            };
            double nanos = number * unit.getDuration().toNanos();
            if (Double.isFinite(nanos) && Math.abs(nanos) < Long.MAX_VALUE) {
                return Duration.ofNanos(Math.round(nanos));
            }
        } catch (RuntimeException e) {
            // below
        }
        throw new IllegalArgumentException("not a duration: '" + text + "' (expected e.g. 500ms, 2s, 30m, 12h, 7d)");
    }

    /**
     * The size grammar: a number (decimals allowed) of bytes, or with {@code k}, {@code m}, {@code g} or {@code t}
     * (powers of 1024), optionally followed by {@code b} or {@code ib}: {@code 4096}, {@code 500MB}, {@code 1.5GiB}.
     *
     * @throws IllegalArgumentException naming the text when it is not a size
     */
    public static long parseSize(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ib")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        int shift = v.isEmpty() ? -1 : " kmgt".indexOf(v.charAt(v.length() - 1)) * 10;
        String number = shift > 0 ? v.substring(0, v.length() - 1) : v;
        try {
            double parsed = Double.parseDouble(number.trim());
            if (parsed >= 0 && Double.isFinite(parsed) && number.trim().matches("[0-9.]+")) {
                return (long) (parsed * (1L << Math.max(shift, 0)));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("not a size: '" + text + "' (expected e.g. 2g, 500m, 4096)");
    }

    /** {@code ~} and {@code ~/...} become the user's home directory. */
    public static Path expandHome(String path) {
        String text = path.trim();
        if (text.equals("~")) {
            return Paths.get(System.getProperty("user.home"));
        }
        if (text.startsWith("~/") || text.startsWith("~\\")) {
            return Paths.get(System.getProperty("user.home"), text.substring(2));
        }
        return Paths.get(text);
    }

    /** {@code aitrace.flush.interval} is {@code AITRACE_FLUSH_INTERVAL}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static String safely(Function<String, String> layer, String key) {
        try {
            return layer.apply(key);
        } catch (RuntimeException e) {
            Diagnostics.warn("a settings layer failed to look up " + key + ", skipping it", e);
            return null;
        }
    }

    private static String set(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Map<String, String> readFile(Path file) {
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
            String value = set(props.getProperty(name));
            if (value != null) {
                out.put(name.startsWith(PREFIX) ? name : PREFIX + name, value);
            }
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

    /** Chooses the layers; what it does not set is read from the process. */
    public static final class Builder {
        private final Map<String, String> code = new HashMap<>();
        private final List<Function<String, String>> layers = new ArrayList<>();
        private Properties systemProperties;
        private Map<String, String> environment;
        private Path configFile;

        private Builder() {
        }

        /** A value from code (or the command line), above every other layer; null or blank leaves it unset. */
        public Builder set(String key, Object value) {
            if (value != null && !value.toString().isBlank()) {
                code.put(key, value.toString().trim());
            } else {
                code.remove(key);
            }
            return this;
        }

        /**
         * One more layer below the environment and above the config file: {@code lookup} gets a full key
         * ({@code aitrace.target}) and returns its value or null. Spring's {@code Environment::getProperty} fits.
         */
        public Builder layer(Function<String, String> lookup) {
            if (lookup != null) {
                layers.add(lookup);
            }
            return this;
        }

        /** Read these instead of {@code System.getProperties()}. */
        public Builder systemProperties(Properties properties) { this.systemProperties = properties; return this; }

        /** Read this map instead of {@code System.getenv()} (for tests and embedding). */
        public Builder environment(Map<String, String> environment) { this.environment = environment; return this; }

        /** Read this file instead of {@code ~/.config/aitrace/config.properties}. */
        public Builder configFile(Path configFile) { this.configFile = configFile; return this; }

        public Settings build() {
            return new Settings(this);
        }
    }
}
