package io.aitrace.server;

import java.nio.file.Path;

/**
 * Runs a server in a process of its own for crash and load tests: {@code ServerProcess <db> [maxStreams]} prints
 * its port, then serves until killed.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig.Builder config = ServerConfig.builder().port(0).database(Path.of(args[0]));
        if (args.length > 1) {
            config.maxStreams(Integer.parseInt(args[1]));
        }
        AitraceServer server = AitraceServer.start(config.build());
        System.out.println(server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
