package io.aitrace.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A JSON-lines file that only ever ends on a record boundary: whole records are appended, and an append that
 * fails half-way (a full disk) is cut back off, so the records before it stay readable and the next one starts
 * on a line of its own. Used by the file target and the HTTP target's spill; one thread at a time. Not for users.
 */
public final class RecordFile implements AutoCloseable {
    /** Opens the file for appending; tests pass one whose disk fills up. */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path path) throws IOException;
    }

    public static final Opener APPEND = path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);

    private final Path path;
    private final Opener opener;
    private FileChannel channel;
    /** A failed append could not be cut back: the file ends inside a record, which the next append closes off. */
    private boolean torn;
    /** Bytes written by the append under way: what a failed append cuts back off the end of the file. */
    private long appended;

    public RecordFile(Path path, Opener opener) {
        this.path = path;
        this.opener = opener;
    }

    public Path path() {
        return path;
    }

    /**
     * Appends whole records ({@code '\n'}-terminated), all or nothing: on failure the file is cut back to where it
     * ended, and the exception says why. Creates the file and its directories when needed.
     */
    public void append(byte[] records, int offset, int length) throws IOException {
        if (channel == null) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = opener.open(path);
        }
        // No size() call per append: on failure the file is cut back by what this append wrote (also when other
        // processes append to the same file between our appends).
        appended = 0;
        try {
            if (torn) {
                writeFully(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            writeFully(ByteBuffer.wrap(records, offset, length));
            torn = false;
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(channel.size() - appended);
            } catch (IOException | RuntimeException cut) {
                torn = true; // else the file is as it was, torn or not
                e.addSuppressed(cut);
            }
            throw e;
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            appended += channel.write(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                channel.close();
            } finally {
                channel = null;
            }
        }
    }
}
