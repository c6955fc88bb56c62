package io.aitrace.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that read and answer requests (event streams have their own, {@link EventStream}). The JDK's
 * server reads a request's headers on the thread it hands the request to, so a client that sends them slowly
 * holds a thread: up to {@value #MAX} of them serve requests, and when all are busy a few more only answer 503
 * with {@code Retry-After}, so a refusal is an answer, never a hang. Beyond those the connection is closed. A
 * request must arrive whole within {@value #MAX_REQUEST_SECONDS} s ({@code sun.net.httpserver.maxReqTime}), so
 * slow clients give their threads back.
 */
final class RequestThreads {
    static final int MAX = 256;
    static final int SHEDDING = 16;
    static final int MAX_REQUEST_SECONDS = 30;
    private static final ThreadLocal<Boolean> SHEDDER = ThreadLocal.withInitial(() -> false);

    private RequestThreads() {
    }

    /**
     * Sets the JDK server's limits this collector relies on, unless the application set them: they are read once,
     * when the JVM's first {@code HttpServer} starts.
     */
    static void configureJdkServer() {
        setDefault("sun.net.httpserver.maxReqTime", String.valueOf(MAX_REQUEST_SECONDS));
        // without TCP_NODELAY small answers wait for the client's delayed ACK: ~40 ms a request
        setDefault("sun.net.httpserver.nodelay", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The pool for {@code HttpServer.setExecutor}: serving threads, then shedding threads, then refusal. */
    static ExecutorService create() {
        ThreadPoolExecutor shedding = pool(SHEDDING, "aitrace-busy-", true, new ThreadPoolExecutor.AbortPolicy());
        return pool(MAX, "aitrace-http-", false, (task, full) -> shedding.execute(task));
    }

    /** True on a thread that only answers "busy". */
    static boolean isShedding() {
        return SHEDDER.get();
    }

    private static ThreadPoolExecutor pool(int size, String name, boolean shedder,
            java.util.concurrent.RejectedExecutionHandler whenFull) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, size, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(() -> {
                SHEDDER.set(shedder);
                task.run();
            }, name + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, whenFull);
    }
}
