package io.aitrace.core.http;

import io.aitrace.core.internal.RecordFile;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP target's spill: an append-only JSON-lines file of the records the collector has not taken yet, in the
 * order they were written, and how far into it the collector has got. Only the sender thread uses it.
 */
final class SpillFile {

    /** Whole lines read from the file; {@code end} is the offset just after the last one. */
    record Chunk(byte[] ndjson, int records, long end) {
    }

    private final Path path;
    private final RecordFile file;
    private long size;
    private long records;
    // The prefix the collector has settled (acknowledged, or rejected and moved aside): kept in memory only.
    private long settledBytes;
    private long settledRecords;

    SpillFile(Path path, RecordFile.Opener opener) {
        this.path = path;
        this.file = new RecordFile(path, opener);
    }

    Path path() {
        return path;
    }

    boolean hasPending() {
        return settledBytes < size;
    }

    long pendingRecords() {
        return records - settledRecords;
    }

    /**
     * Appends whole lines, each ending with {@code '\n'}; creates the file and its directories when needed. All or
     * nothing: after a failure the file ends where it did before, so what is re-sent is exactly what was counted.
     */
    void append(byte[] ndjson, int count) throws IOException {
        file.append(ndjson, 0, ndjson.length);
        size += ndjson.length;
        records += count;
    }

    /** The oldest unsettled lines: at most {@code maxRecords}, and no more lines once {@code maxBytes} is reached. */
    Chunk next(int maxRecords, int maxBytes) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ)) {
            channel.position(settledBytes);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int count = 0;
            long position = settledBytes;
            while (position < size) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
                position++;
                if (b == '\n' && (++count >= maxRecords || out.size() >= maxBytes)) {
                    break;
                }
            }
            if (count == 0) {
                throw new EOFException(path + " is shorter than what was spilled into it");
            }
            return new Chunk(out.toByteArray(), count, position);
        }
    }

    void settle(Chunk chunk) {
        settledBytes = chunk.end();
        settledRecords += chunk.records();
    }

    /** The unsettled lines, stopping after about {@code maxBytes} of them. */
    List<String> pendingLines(long maxBytes) throws IOException {
        List<String> lines = new ArrayList<>();
        try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ)) {
            channel.position(settledBytes);
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            long read = 0;
            for (String line; read < maxBytes && (line = reader.readLine()) != null; ) {
                lines.add(line);
                read += line.length() + 1;
            }
        }
        return lines;
    }

    /** Removes the file once everything in it is settled; the next append starts a new one. */
    void delete() throws IOException {
        file.close();
        Files.deleteIfExists(path);
        size = 0;
        records = 0;
        settledBytes = 0;
        settledRecords = 0;
    }
}
