package io.aitrace.cli;

import io.aitrace.core.config.Settings;
import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aitrace serve}: the collector, the query API and the web viewer, until Ctrl-C. */
@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the collector: ingest over HTTP and OTLP, store into SQLite, serve the API and the viewer.",
                "Each setting comes from the command line, else the system property aitrace.<name>, else AITRACE_<NAME> "
                        + "in the environment (AITRACE_HOST, AITRACE_PORT, AITRACE_DB, AITRACE_TOKEN, AITRACE_WATCH, "
                        + "AITRACE_RETAIN, AITRACE_MAX_DB_SIZE), else aitrace.<name> in "
                        + "~/.config/aitrace/config.properties, else its default."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on. Default: 127.0.0.1.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on; 0 picks a free one. Default: 8000.")
    String port;

    @Option(names = "--db", paramLabel = "FILE", description = "SQLite database. Default: ~/.config/aitrace/logs.db.")
    String db;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Require Authorization: Bearer TOKEN on every API call (the viewer's files excepted).")
    String token;

    @Option(names = "--watch", paramLabel = "DIR", description = "Import the *.jsonl files of DIR as they grow. "
            + "Default: ~/.config/aitrace/traces.")
    String watch;

    @Option(names = "--no-watch", description = "Import no folder.")
    boolean noWatch;

    @Option(names = "--retain", paramLabel = "AGE", description = "Delete traces not updated for AGE (7d, 12h, 30m).")
    String retain;

    @Option(names = "--max-db-size", paramLabel = "SIZE", description = "Delete the oldest traces while the data "
            + "outgrows SIZE (2g, 500m).")
    String maxDbSize;

    @Option(names = "--config", paramLabel = "FILE", hidden = true,
            description = "Read this file instead of ~/.config/aitrace/config.properties.")
    Path configFile;

    @Override
    public Integer call() {
        Path home = Path.of(System.getProperty("user.home"), ".config", "aitrace");
        ServerConfig config = config(System.getenv(), configFile != null ? configFile : home.resolve("config.properties"),
                home);
        AitraceServer server;
        try {
            server = AitraceServer.start(config);
        } catch (IOException e) {
            throw new CliError(e.getMessage(), e);
        }
        UntilStopped.run(server, global.out(), "aitrace: serving " + server.url() + " (database "
                + config.database() + (config.watchDir() == null ? "" : ", watching " + config.watchDir())
                + "); Ctrl-C stops");
        return 0;
    }

    /** The settings: command line, else aitrace's {@link Settings} layers, else defaults under {@code home}. */
    ServerConfig config(Map<String, String> environment, Path configFile, Path home) {
        Settings settings = Settings.builder().environment(environment).configFile(configFile)
                .set(ServerConfig.HOST, host).set(ServerConfig.PORT, port).set(ServerConfig.DB, db)
                .set(ServerConfig.TOKEN, token).set(ServerConfig.WATCH, noWatch ? "none" : watch)
                .set(ServerConfig.RETAIN, retain).set(ServerConfig.MAX_DB_SIZE, maxDbSize).build();
        try {
            return ServerConfig.from(settings, home);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage(), e);
        }
    }
}
