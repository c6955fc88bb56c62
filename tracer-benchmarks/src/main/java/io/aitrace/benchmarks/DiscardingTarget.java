package io.aitrace.benchmarks;

import io.aitrace.core.target.Target;

/** A target that throws every record away after counting it: the cost left is aitrace's own. */
public final class DiscardingTarget implements Target {
    private volatile long records;

    @Override
    public void write(byte[] line, int offset, int length) {
        records++; // only the writer thread writes
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** Records received so far. */
    public long records() {
        return records;
    }

    @Override
    public String describe() {
        return "discarding target";
    }
}
