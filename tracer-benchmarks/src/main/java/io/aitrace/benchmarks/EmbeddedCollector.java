package io.aitrace.benchmarks;

import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/** aitrace's collector started in this JVM on a free loopback port with a database of its own. */
final class EmbeddedCollector implements AutoCloseable {
    private final AitraceServer server;

    private EmbeddedCollector(AitraceServer server) {
        this.server = server;
    }

    static EmbeddedCollector start(Path database) {
        try {
            return new EmbeddedCollector(AitraceServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                    .database(database).build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create(server.url());
    }

    @Override
    public void close() {
        server.close();
    }
}
