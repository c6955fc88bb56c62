package io.aitrace.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The aitrace collector: {@code POST /api/ingest}, OTLP/HTTP on {@code /v1/traces}, the query API under
 * {@code /api/}, and the web viewer at {@code /}, storing into SQLite. Runs inside any application (it needs only
 * the JDK's own HTTP server) or as {@code aitrace serve}.
 *
 * <pre>{@code
 * try (AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(db).build())) {
 *     System.out.println("viewer at " + server.url());
 * }
 * }</pre>
 */
public final class AitraceServer implements AutoCloseable {

    private final ServerConfig config;
    private final Store store;
    private final LiveFeed feed;
    private final Collector collector;
    private final HttpServer http;
    private final ExecutorService executor;
    private final EventStream streams;
    private final ApiRouter router;
    private final DirectoryWatcher watcher;
    private final Retention retention;
    private volatile boolean open = true;

    private AitraceServer(ServerConfig config) throws IOException, SQLException {
        this.config = config;
        this.feed = new LiveFeed();
        this.store = new Store(config.database(), feed::publish);
        this.collector = new Collector(store, feed);
        RequestThreads.configureJdkServer();
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 64);
        } catch (IOException e) {
            store.close();
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        executor = RequestThreads.create();
        http.setExecutor(executor);
        streams = new EventStream(feed, config.heartbeat(), () -> open, config.maxStreams());
        router = new ApiRouter(collector, config, streams, new MemoryBudget(config.memoryBudgetBytes()));
        http.createContext("/", router);
        http.start();
        watcher = config.watchDir() == null ? null : DirectoryWatcher.start(config.watchDir(), collector, config.maxBodyBytes());
        retention = config.retain() == null && config.maxDbBytes() <= 0 ? null : Retention.start(config, store);
    }

    /**
     * Opens the database (creating or migrating it) and starts listening.
     *
     * @throws IOException when the address cannot be bound or the database cannot be opened, with the reason
     */
    public static AitraceServer start(ServerConfig config) throws IOException {
        AitraceServer server;
        try {
            server = new AitraceServer(config);
        } catch (SQLException e) {
            throw new IOException("cannot open the database " + config.database() + ": " + e.getMessage(), e);
        }
        if (config.token() == null && !server.http.getAddress().getAddress().isLoopbackAddress()) {
            System.err.println("aitrace: warning: listening on " + config.host() + ":" + server.port()
                    + " without a token: anyone who can reach it can read and write traces (set --token)");
        }
        return server;
    }

    /** The port listened on (the one picked when the configuration said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8000}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    /** What the collector keeps of huge traces, for tests that wait for its background work. */
    KeptTraces kept() {
        return router.kept();
    }

    /** The store, for tests that need to reach into the database. */
    Store store() {
        return store;
    }

    /**
     * Stores records given as JSON lines, as {@code POST /api/ingest} does but in this process, without HTTP (how
     * {@code aitrace demo} hands over the records its examples wrote). Returns how many were stored, once they are
     * committed; lines that are not records are counted as rejected, as the endpoint counts them.
     */
    public int ingest(List<String> jsonLines) {
        IngestBody body = IngestBody.parse(String.join("\n", jsonLines).getBytes(StandardCharsets.UTF_8));
        return collector.storeAndWait(body.records(), body.dropped(), body.rejectedCount(), null);
    }

    /** The configuration it runs with. */
    public ServerConfig config() {
        return config;
    }

    /** Stops listening, ends open event streams, finishes pending writes and closes the database. */
    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        feed.close();
        if (watcher != null) {
            watcher.close();
        }
        if (retention != null) {
            retention.close();
        }
        http.stop(1);
        streams.close();
        router.close();
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.close();
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("closing the database: " + e.getMessage(), e));
        }
    }
}
