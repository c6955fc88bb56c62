package io.aitrace.core.read;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of text, like {@link java.io.BufferedReader#readLine()}, but a line longer than a limit is passed over
 * without being held in memory: {@link #next()} returns {@link #TOO_LONG} for it and {@link #skippedChars()} says
 * how long it was. A 200 MB line, or 1 GiB without any newline, costs one buffer, not the heap.
 */
final class BoundedLines {
    /** Returned (by identity) for a line over the limit. */
    static final String TOO_LONG = new String("(line too long)");

    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;
    private long skipped;

    BoundedLines(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its terminator ({@code \n}, {@code \r\n} or {@code \r}), or null at the end. */
    String next() throws IOException {
        line.setLength(0);
        long length = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? finish(length) : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int run = position - start;
            if (length + run <= maxChars) {
                line.append(buffer, start, run);
            } else if (length <= maxChars) {
                line.setLength(0);
                line.trimToSize(); // the chars of the long line go back to the heap now
            }
            length += run;
            if (position < limit) {
                char terminator = buffer[position++];
                if (terminator == '\r') {
                    if (position == limit) {
                        limit = Math.max(0, in.read(buffer, 0, buffer.length));
                        position = 0;
                    }
                    if (position < limit && buffer[position] == '\n') {
                        position++;
                    }
                }
                return finish(length);
            }
        }
    }

    /** How many characters the last {@link #TOO_LONG} line had. */
    long skippedChars() {
        return skipped;
    }

    private String finish(long length) {
        if (length > maxChars) {
            skipped = length;
            return TOO_LONG;
        }
        return line.toString();
    }
}
