package io.aitrace.cli;

import io.aitrace.server.AitraceServer;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aitrace serve}: the collector, the query API and the web viewer, until Ctrl-C. */
@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the collector: ingest over HTTP and OTLP, store into SQLite, serve the API and the viewer.",
                "Each setting comes from the command line, else AITRACE_<NAME> in the environment (AITRACE_HOST, "
                        + "AITRACE_PORT, AITRACE_DB, AITRACE_TOKEN, AITRACE_WATCH, AITRACE_RETAIN, AITRACE_MAX_DB_SIZE), "
                        + "else aitrace.<name> in ~/.config/aitrace/config.properties, else its default."})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    AitraceCommand parent;

    @Spec
    CommandSpec spec;

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
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "aitrace-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("aitrace: serving " + server.url() + " (database " + config.database()
                + (config.watchDir() == null ? "" : ", watching " + config.watchDir()) + "); Ctrl-C stops");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by its caller (embedded use, tests) rather than Ctrl-C
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook closes the server
        }
        return 0;
    }

    /** The settings: command line, else environment, else config file, else defaults under {@code home}. */
    ServerConfig config(Map<String, String> environment, Path configFile, Path home) {
        Map<String, String> file = readConfig(configFile);
        ServerConfig.Builder builder = ServerConfig.builder();
        builder.host(pick(host, "host", environment, file, "127.0.0.1"));
        String portText = pick(port, "port", environment, file, "8000");
        try {
            int number = Integer.parseInt(portText.trim());
            if (number < 0 || number > 65535) {
                throw new NumberFormatException();
            }
            builder.port(number);
        } catch (NumberFormatException e) {
            throw new CliError("not a port: " + portText + " (expected 0-65535)");
        }
        builder.database(expand(pick(db, "db", environment, file, home.resolve("logs.db").toString())));
        builder.token(pick(token, "token", environment, file, null));
        String watched = noWatch ? "none" : pick(watch, "watch", environment, file, home.resolve("traces").toString());
        boolean off = watched.isBlank() || Map.of("none", 1, "false", 1, "off", 1, "no", 1)
                .containsKey(watched.trim().toLowerCase(Locale.ROOT));
        builder.watchDir(off ? null : expand(watched));
        try {
            String age = pick(retain, "retain", environment, file, null);
            builder.retain(age == null ? null : ServerConfig.parseAge(age));
            String size = pick(maxDbSize, "max.db.size", environment, file, null);
            builder.maxDbBytes(size == null ? 0 : ServerConfig.parseSize(size));
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage(), e);
        }
        return builder.build();
    }

    private static String pick(String given, String key, Map<String, String> environment, Map<String, String> file,
            String fallback) {
        if (given != null) {
            return given;
        }
        String fromEnvironment = environment.get("AITRACE_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        String fromFile = file.get(key);
        return fromFile != null && !fromFile.isBlank() ? fromFile : fallback;
    }

    /** The file's settings by name without the {@code aitrace.} prefix; nothing when there is no file. */
    private static Map<String, String> readConfig(Path file) {
        Map<String, String> settings = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return settings;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliError("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String name : properties.stringPropertyNames()) {
            settings.put(name.startsWith("aitrace.") ? name.substring("aitrace.".length()) : name,
                    properties.getProperty(name).trim());
        }
        return settings;
    }

    private static Path expand(String path) {
        String text = path.trim();
        if (text.equals("~") || text.startsWith("~/")) {
            text = System.getProperty("user.home") + text.substring(1);
        }
        return Path.of(text);
    }
}
