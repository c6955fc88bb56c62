package io.aitrace.logback;

import io.aitrace.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A target whose writes wait until a test releases it: a collector that hangs, a stuck disk. */
final class GateTarget implements Target {
    final CountDownLatch release = new CountDownLatch(1);
    private final List<String> lines = new ArrayList<>();

    @Override
    public void write(byte[] line, int offset, int length) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (lines) {
            lines.add(new String(line, offset, length, StandardCharsets.UTF_8));
        }
    }

    @Override public void flush() { }
    @Override public void close() { }
    @Override public String describe() { return "gate"; }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
