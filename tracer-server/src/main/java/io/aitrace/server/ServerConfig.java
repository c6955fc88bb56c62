package io.aitrace.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link AitraceServer#start(ServerConfig)} needs: where to listen, where to store, who may talk to it.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().port(0).database(Path.of("logs.db")).token("s3cret").build();
 * }</pre>
 */
public final class ServerConfig {
    /** Request bodies larger than this (after decompression) get 413 unless configured otherwise. */
    public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?");

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
    }

    public static Builder builder() {
        return new Builder();
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
     * Parses a retention age such as {@code 7d}, {@code 12h}, {@code 30m} or {@code 90s} (a bare number is days).
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static Duration parseAge(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not an age: '" + text + "' (expected e.g. 7d, 12h, 30m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "d" : m.group(2);
        switch (unit) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            case "w": return Duration.ofDays(7 * n);
            default: return Duration.ofDays(n);
        }
    }

    /**
     * Parses a size such as {@code 2g}, {@code 500MB}, {@code 1.5GiB} or {@code 4096} (bytes; units are powers of 1024).
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (expected e.g. 2g, 500m, 4096)");
        }
        int shift = " kmgt".indexOf(m.group(2).isEmpty() ? " " : m.group(2)) * 10;
        return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
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

        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
