package io.aitrace.logback;

import java.lang.reflect.Method;

/** Thread helpers for tests that compile for Java 17 but run on 25 too. */
final class Threads {
    private Threads() {
    }

    /** Starts a virtual thread where the JDK has them (21+), a platform thread on 17. */
    static Thread startVirtual(Runnable task) throws Exception {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
            return (Thread) start.invoke(builder, task);
        } catch (NoSuchMethodException e) {
            Thread thread = new Thread(task);
            thread.start();
            return thread;
        }
    }

    static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
