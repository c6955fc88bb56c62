package io.aitrace.core.target;

import java.io.PrintStream;

/** Writes records to standard output ({@code LOG_TRG=-}); flushes it, never closes it. */
public final class StdoutTarget implements Target {

    @Override
    public void write(byte[] line, int offset, int length) {
        PrintStream out = System.out;
        out.write(line, offset, length);
    }

    @Override
    public void flush() {
        System.out.flush();
    }

    @Override
    public void close() {
        System.out.flush();
    }

    @Override
    public String describe() {
        return "stdout";
    }
}
