package io.aitrace.server;

import io.aitrace.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link AitraceServer#start(ServerConfig)} needs: where to listen, where to store, who may talk to it.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().port(0).database(Path.of("logs.db")).token("s3cret").build();
 * ServerConfig configured = ServerConfig.from(Settings.builder().build(), Settings.expandHome("~/.config/aitrace"));
 * }</pre>
 */
public final class ServerConfig {
    /** Request bodies larger than this (after decompression) get 413 unless configured otherwise. */
    public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;
    /** The settings {@link #from} reads (system property and config file form; environment {@code AITRACE_HOST} …). */
    public static final String HOST = "aitrace.host";
    public static final String PORT = "aitrace.port";
    public static final String DB = "aitrace.db";
    public static final String TOKEN = "aitrace.token";
    public static final String WATCH = "aitrace.watch";
    public static final String RETAIN = "aitrace.retain";
    public static final String MAX_DB_SIZE = "aitrace.max.db.size";
    /** Host names, comma-separated, the collector answers besides loopback, IP addresses and its own host. */
    public static final String ALLOWED_HOSTS = "aitrace.allowed.hosts";
    private static final Set<String> NO_WATCH = Set.of("none", "false", "off", "no");

    private final String host;
    private final int port;
    private final Path database;
    private final String token;
    private final Path watchDir;
    private final Duration retain;
    private final long maxDbBytes;
    private final long maxBodyBytes;
    private final Duration heartbeat;
    private final int maxStreams;
    private final long memoryBudgetBytes;
    private final List<String> allowedHosts;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.database = Objects.requireNonNull(b.database, "database");
        this.token = b.token == null || b.token.isBlank() ? null : b.token;
        this.watchDir = b.watchDir;
        this.retain = b.retain;
        this.maxDbBytes = b.maxDbBytes;
        this.maxBodyBytes = b.maxBodyBytes;
        this.heartbeat = b.heartbeat;
        this.maxStreams = b.maxStreams;
        this.memoryBudgetBytes = b.memoryBudgetBytes > 0 ? b.memoryBudgetBytes : Runtime.getRuntime().maxMemory() / 2;
        this.allowedHosts = List.copyOf(b.allowedHosts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The collector's configuration from aitrace's {@link Settings} (the same layers as the library's): {@link #HOST}
     * (default {@code 127.0.0.1}), {@link #PORT} ({@code 8000}), {@link #DB} ({@code home/logs.db}), {@link #TOKEN},
     * {@link #WATCH} ({@code home/traces}; {@code none} for no folder), {@link #RETAIN}, {@link #MAX_DB_SIZE},
     * {@link #ALLOWED_HOSTS}.
     *
     * @throws IllegalArgumentException naming the value when one is not valid
     */
    public static ServerConfig from(Settings settings, Path home) {
        Builder builder = builder().host(settings.get(HOST, "127.0.0.1"));
        String port = settings.get(PORT, "8000");
        try {
            int number = Integer.parseInt(port);
            if (number < 0 || number > 65535) {
                throw new NumberFormatException();
            }
            builder.port(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + port + " (expected 0-65535)");
        }
        Path db = settings.path(DB);
        builder.database(db != null ? db : home.resolve("logs.db")).token(settings.get(TOKEN));
        String watched = settings.get(WATCH);
        builder.watchDir(watched == null ? home.resolve("traces")
                : NO_WATCH.contains(watched.toLowerCase(Locale.ROOT)) ? null : Settings.expandHome(watched));
        String age = settings.get(RETAIN);
        builder.retain(age == null ? null : parseAge(age));
        String hosts = settings.get(ALLOWED_HOSTS);
        if (hosts != null) {
            builder.allowedHosts(Arrays.stream(hosts.split(",")).map(String::strip).filter(h -> !h.isEmpty())
                    .collect(Collectors.toList()));
        }
        String size = settings.get(MAX_DB_SIZE);
        return builder.maxDbBytes(size == null ? 0 : parseSize(size)).build();
    }

    /** The address to bind; {@code 127.0.0.1} by default. */
    public String host() { return host; }
    /** The port to bind; 0 picks a free one ({@link AitraceServer#port()} tells which). */
    public int port() { return port; }
    /** The SQLite database file, created with its directories when missing. */
    public Path database() { return database; }
    /** The bearer token every API call must carry, or null for none. */
    public String token() { return token; }
    /** The directory whose JSON-lines files are imported as they grow, or null for none. */
    public Path watchDir() { return watchDir; }
    /** Traces older than this are deleted, or null to keep them. */
    public Duration retain() { return retain; }
    /** The oldest traces are deleted while the database is larger than this; 0 for no limit. */
    public long maxDbBytes() { return maxDbBytes; }
    /** The largest request body accepted, after decompression. */
    public long maxBodyBytes() { return maxBodyBytes; }
    /** How often an idle event stream gets a comment line. */
    public Duration heartbeat() { return heartbeat; }
    /** How many {@code /api/stream} connections may be open at once (1000 by default); more get 503. */
    public int maxStreams() { return maxStreams; }
    /**
     * Memory that request bodies, and the records read from them, may hold at once; beyond it a request gets 503
     * with {@code Retry-After}. Half the maximum heap by default.
     */
    public long memoryBudgetBytes() { return memoryBudgetBytes; }
    /**
     * Host names (the {@code Host} header) answered besides {@code localhost}, IP addresses and {@link #host()}:
     * what a reverse proxy or a DNS name of this machine sends; {@code *} answers any. Other names get 403, so a
     * web page that rebinds its own name to this address cannot read traces.
     */
    public List<String> allowedHosts() { return allowedHosts; }

    /**
     * Parses a retention age such as {@code 7d}, {@code 12h}, {@code 30m} or {@code 90s} (a bare number is days), in the
     * grammar of {@link Settings#parseDuration}.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static Duration parseAge(String text) {
        try {
            return Settings.parseDuration(text, ChronoUnit.DAYS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an age: '" + text + "' (expected e.g. 7d, 12h, 30m)", e);
        }
    }

    /**
     * Parses a size such as {@code 2g}, {@code 500MB}, {@code 1.5GiB} or {@code 4096} (bytes; units are powers of 1024),
     * in the grammar of {@link Settings#parseSize}.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static long parseSize(String text) {
        return Settings.parseSize(text);
    }

    /** Builds a {@link ServerConfig}; only the database is required. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private Path database;
        private String token;
        private Path watchDir;
        private Duration retain;
        private long maxDbBytes;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration heartbeat = Duration.ofSeconds(15);
        private int maxStreams = 1000;
        private long memoryBudgetBytes;
        private List<String> allowedHosts = List.of();

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder database(Path database) { this.database = database; return this; }
        public Builder token(String token) { this.token = token; return this; }
        public Builder watchDir(Path watchDir) { this.watchDir = watchDir; return this; }
        public Builder retain(Duration retain) { this.retain = retain; return this; }
        public Builder maxDbBytes(long maxDbBytes) { this.maxDbBytes = maxDbBytes; return this; }
        public Builder maxBodyBytes(long maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; return this; }
        public Builder heartbeat(Duration heartbeat) { this.heartbeat = heartbeat; return this; }
        public Builder maxStreams(int maxStreams) { this.maxStreams = maxStreams; return this; }
        public Builder memoryBudgetBytes(long bytes) { this.memoryBudgetBytes = bytes; return this; }
        public Builder allowedHosts(List<String> hosts) { this.allowedHosts = List.copyOf(hosts); return this; }

        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
