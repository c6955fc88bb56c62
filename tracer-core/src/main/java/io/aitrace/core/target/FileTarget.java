package io.aitrace.core.target;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.internal.RecordFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Appends records to a JSON-lines file, creating parent directories; buffered, flushed by the writer. When the
 * file cannot be written (a full disk), the buffered records are lost and counted, the file is left ending on a
 * whole record, and stderr gets one line when the trouble starts and one with the exact loss when it ends.
 */
public final class FileTarget implements Target {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path path;
    private final RecordFile file;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int used;
    private int bufferedRecords;
    private long lost;
    private long lostThisIncident;
    private boolean failing;

    public FileTarget(Path path) {
        this(path, RecordFile.APPEND);
    }

    FileTarget(Path path, RecordFile.Opener opener) {
        this.path = path.toAbsolutePath();
        this.file = new RecordFile(this.path, opener);
    }

    public Path path() {
        return path;
    }

    /** Records that could not be written, in all. */
    public long lost() {
        return lost;
    }

    @Override
    public void write(byte[] line, int offset, int length) {
        if (used + length > buffer.length) {
            writeOut();
        }
        if (length > buffer.length) {
            append(line, offset, length, 1);
            return;
        }
        System.arraycopy(line, offset, buffer, used, length);
        used += length;
        bufferedRecords++;
    }

    @Override
    public void flush() {
        writeOut();
    }

    @Override
    public void close() throws IOException {
        writeOut();
        if (failing) {
            Diagnostics.warn(lostThisIncident + " records could not be written to " + describe());
            failing = false;
        }
        file.close();
    }

    @Override
    public String describe() {
        return "file " + path;
    }

    private void writeOut() {
        if (used > 0) {
            append(buffer, 0, used, bufferedRecords);
            used = 0;
            bufferedRecords = 0;
        }
    }

    private void append(byte[] bytes, int offset, int length, int records) {
        try {
            file.append(bytes, offset, length);
        } catch (IOException e) {
            lost += records;
            lostThisIncident += records;
            if (!failing) {
                failing = true;
                Diagnostics.warn("cannot write to " + describe() + "; its records are lost until it recovers", e);
            }
            return;
        }
        if (failing) {
            failing = false;
            Diagnostics.warn(describe() + " written again; " + lostThisIncident + " records lost while it could not be");
            lostThisIncident = 0;
        }
    }
}
