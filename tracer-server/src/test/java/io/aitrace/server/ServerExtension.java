package io.aitrace.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server for a whole test class, on a free port, with its database in a fresh temporary folder:
 * {@code @RegisterExtension static final ServerExtension server = new ServerExtension(b -> b.token("t"));}
 */
final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<ServerConfig.Builder> settings;
    private Path dir;
    private AitraceServer server;
    private ApiClient api;

    ServerExtension(UnaryOperator<ServerConfig.Builder> settings) {
        this.settings = settings;
    }

    ServerExtension() {
        this(UnaryOperator.identity());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("aitrace-server-test");
        server = AitraceServer.start(settings.apply(ServerConfig.builder().port(0).database(dir.resolve("logs.db")))
                .build());
        api = new ApiClient(server.url());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A client without a token. */
    ApiClient api() {
        return api;
    }

    AitraceServer server() {
        return server;
    }

    String url() {
        return server.url();
    }

    int port() {
        return server.port();
    }

    /** A folder of the test class's own, deleted after it. */
    Path dir() {
        return dir;
    }
}
