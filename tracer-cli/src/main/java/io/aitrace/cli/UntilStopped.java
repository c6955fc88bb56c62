package io.aitrace.cli;

import io.aitrace.server.AitraceServer;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/** Keeps a started collector running until Ctrl-C (or until the calling thread is interrupted): serve and demo. */
final class UntilStopped {
    private UntilStopped() {
    }

    /** Prints {@code announcement}, then returns when the process is stopping or the thread is interrupted. */
    static void run(AitraceServer server, PrintWriter out, String announcement) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "aitrace-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(announcement);
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
    }
}
