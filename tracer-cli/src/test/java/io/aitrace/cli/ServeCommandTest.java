package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.Await;
import io.aitrace.server.ServerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    private static final Pattern URL = Pattern.compile("aitrace: serving (http://127\\.0\\.0\\.1:(\\d+)) ");

    @TempDir
    Path dir;

    /** {@code aitrace serve ARGS} on a thread of its own, until interrupted. */
    private final class Serving implements AutoCloseable {
        final Cli.Running running = new Cli.Running(dir);
        final Thread thread;
        int exitCode = -1;

        Serving(String... args) {
            thread = new Thread(() -> exitCode = running.commandLine.execute(args), "serve-under-test");
            thread.start();
            assertThat(Await.until(() -> URL.matcher(running.out()).find() || !thread.isAlive()))
                    .as("the URL printed").isTrue();
        }

        String url() {
            Matcher m = URL.matcher(running.out());
            assertThat(m.find()).as("stdout: %s / stderr: %s", running.out(), running.err()).isTrue();
            return m.group(1);
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(30_000);
        }
    }

    private static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/ingest"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serveListensPrintsItsUrlAndInspectReadsTheTraceBackFromIt() throws Exception {
        Path db = dir.resolve("data/logs.db");
        String url;
        try (Serving serving = new Serving("serve", "--port", "0", "--db", db.toString(), "--no-watch",
                "--config", dir.resolve("absent.properties").toString())) {
            url = serving.url();
            assertThat(serving.running.out()).isEqualTo("aitrace: serving " + url + " (database " + db
                    + "); Ctrl-C stops\n");
            assertThat(post(url, Fixtures.text("fixtures/weather.jsonl")).statusCode()).isEqualTo(200);

            Cli.Result fromServer = Cli.run(dir, "inspect", Fixtures.WEATHER_TRACE, "--server", url, "-v", "full",
                    "--no-color");
            Cli.Result fromFile = Cli.run(dir, "inspect", Fixtures.copy("weather.jsonl", dir).toString(), "--trace",
                    Fixtures.WEATHER_TRACE, "-v", "full", "--no-color");

            assertThat(fromServer.exitCode()).as(fromServer.err()).isZero();
            assertThat(fromServer.out()).startsWith("Trace: [agent] weather_agent (1.25 s) ✓ ")
                    .isEqualTo(fromFile.out());
            Cli.Result missing = Cli.run(dir, "inspect", Fixtures.OLDER_TRACE, "--server", url);
            assertThat(missing.err()).isEqualTo(
                    "aitrace: no trace " + Fixtures.OLDER_TRACE + " on the collector at " + url + "\n");
            Cli.Result prefix = Cli.run(dir, "inspect", "4bf92f", "--server", url);
            assertThat(prefix.err()).isEqualTo("aitrace: the collector at " + url + " answered HTTP 400 for "
                    + "/api/trace/4bf92f: trace ID must be 32 hex digits, not '4bf92f'\n");
            assertThat(serving.thread.isAlive()).isTrue();
        }
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        assertThat(Await.until(() -> refuses(port))).as("the port closed after the stop").isTrue();
        assertThat(Files.exists(db)).isTrue();
    }

    @Test
    void serveImportsTheWatchedFolder() throws Exception {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        Fixtures.copy("weather.jsonl", traces);
        try (Serving serving = new Serving("serve", "--port", "0", "--db", dir.resolve("logs.db").toString(),
                "--watch", traces.toString(), "--config", dir.resolve("absent.properties").toString())) {
            String url = serving.url();
            assertThat(serving.running.out()).contains(", watching " + traces + ")");
            assertThat(Await.until(() -> Cli.run(dir, "inspect", Fixtures.WEATHER_TRACE, "--server", url)
                    .exitCode() == 0)).isTrue();
        }
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheConfigFile() throws IOException {
        Path file = dir.resolve("config.properties");
        Files.writeString(file, "aitrace.host=0.0.0.0\naitrace.port=9100\ndb=~/from-file.db\n"
                + "aitrace.token=file-token\naitrace.retain=14d\naitrace.max.db.size=1g\naitrace.watch=none\n",
                StandardCharsets.UTF_8);
        Map<String, String> environment = Map.of("AITRACE_PORT", "9200", "AITRACE_TOKEN", "env-token",
                "AITRACE_MAX_DB_SIZE", "500m");
        ServeCommand command = new ServeCommand();
        command.port = "9300";

        ServerConfig config = command.config(environment, file, dir);

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(9300);
        assertThat(config.token()).isEqualTo("env-token");
        assertThat(config.database()).isEqualTo(Path.of(System.getProperty("user.home"), "from-file.db"));
        assertThat(config.retain()).isEqualTo(Duration.ofDays(14));
        assertThat(config.maxDbBytes()).isEqualTo(500L << 20);
        assertThat(config.watchDir()).isNull();
    }

    @Test
    void withNothingSetTheDefaultsApply() {
        ServerConfig config = new ServeCommand().config(Map.of(), dir.resolve("absent.properties"), dir);

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8000);
        assertThat(config.database()).isEqualTo(dir.resolve("logs.db"));
        assertThat(config.watchDir()).isEqualTo(dir.resolve("traces"));
        assertThat(config.token()).isNull();
        assertThat(config.retain()).isNull();
        assertThat(config.maxDbBytes()).isZero();
    }

    @Test
    void badSettingsAreOneLineAndExitCode2() {
        String config = dir.resolve("absent.properties").toString();
        Cli.Result port = Cli.run(dir, "serve", "--port", "eighty", "--config", config);
        Cli.Result age = Cli.run(dir, "serve", "--retain", "soon", "--config", config);

        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).isEqualTo("aitrace: not a port: eighty (expected 0-65535)\n");
        assertThat(age.exitCode()).isEqualTo(2);
        assertThat(age.err()).isEqualTo("aitrace: not an age: 'soon' (expected e.g. 7d, 12h, 30m)\n");
    }

    private static boolean refuses(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
