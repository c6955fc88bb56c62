package io.aitrace.benchmarks;

import io.aitrace.core.target.Target;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;

/** A target whose first write never returns (a hung disk or collector) until the runtime is closed. */
public final class StuckTarget implements Target {
    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    public void write(byte[] line, int offset, int length) throws IOException {
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stuck target interrupted");
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String describe() {
        return "stuck target";
    }
}
