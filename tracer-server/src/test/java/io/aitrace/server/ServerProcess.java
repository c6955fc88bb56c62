package io.aitrace.server;

import java.nio.file.Path;

/** Runs a server in a process of its own for crash tests: prints its port, then serves until killed. */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        AitraceServer server = AitraceServer.start(ServerConfig.builder().port(0).database(Path.of(args[0])).build());
        System.out.println(server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
