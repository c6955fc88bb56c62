package io.aitrace.server;

import io.aitrace.core.internal.Diagnostics;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Imports the {@code *.jsonl} files of a folder as applications write them: every half second, the complete lines
 * added since the last look. The offset reached is saved in the same transaction as the records read up to it,
 * so a restart (or a crash) imports nothing twice and misses nothing. A file that shrank or was replaced (another
 * file key) is read again from the start. A bad line, or one longer than the body limit, is skipped and counted
 * (as {@code rejected} in {@code /api/stats}) with a line on the console, and the import goes on.
 */
final class DirectoryWatcher implements AutoCloseable {
    private static final long POLL_MILLIS = 500;
    private static final int MAX_CHUNK = 4 << 20;

    private record Position(String fileKey, long offset) {
    }

    private final Path dir;
    private final Collector collector;
    private final Map<String, Position> positions = new HashMap<>();
    private final Thread thread;
    private final long maxLineBytes;
    private volatile boolean running = true;
    private String lastWarning;

    private DirectoryWatcher(Path dir, Collector collector, long maxLineBytes) throws SQLException {
        this.dir = dir.toAbsolutePath();
        this.maxLineBytes = maxLineBytes;
        this.collector = collector;
        collector.store().read(db -> {
            try (PreparedStatement statement = db.prepareStatement("SELECT path, file_key, offset FROM watched_files");
                 ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getString(1), new Position(rs.getString(2), rs.getLong(3)));
                }
            }
            return null;
        });
        thread = new Thread(this::run, "aitrace-watch");
        thread.setDaemon(true);
    }

    /** Starts watching; a line longer than {@code maxLineBytes} is skipped and counted like a bad one. */
    static DirectoryWatcher start(Path dir, Collector collector, long maxLineBytes) throws SQLException {
        DirectoryWatcher watcher = new DirectoryWatcher(dir, collector, maxLineBytes);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        while (running) {
            try {
                scan();
            } catch (IOException | RuntimeException e) {
                warnOnce("cannot import from " + dir + ": " + e.getMessage());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A problem that lasts is reported when it starts and again only when it changes. */
    private void warnOnce(String message) {
        if (!message.equals(lastWarning)) {
            Diagnostics.warn(message);
            lastWarning = message;
        }
    }

    private void scan() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(f -> f.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(f))
                    .sorted().collect(Collectors.toList());
        }
        for (Path file : files) {
            try {
                while (running && importMore(file)) {
                    // a large file comes in chunks, each committed with its offset
                }
            } catch (IOException | RuntimeException e) {
                // this file is tried again at the next look; the others go on
                warnOnce("cannot import " + file + ": " + Diagnostics.describe(e));
            }
        }
    }

    /** Imports the next chunk of complete lines; true when there may be more. */
    private boolean importMore(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        String fileKey = String.valueOf(attributes.fileKey());
        String name = file.toString();
        Position known = positions.get(name);
        long from = known != null && Objects.equals(known.fileKey(), fileKey) && known.offset() <= attributes.size()
                ? known.offset() : 0;
        if (attributes.size() <= from) {
            return false;
        }
        byte[] chunk;
        int end;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long available = attributes.size() - from;
            int chunkBytes = (int) Math.min(MAX_CHUNK, maxLineBytes + 1);
            chunk = new byte[(int) Math.min(available, chunkBytes)];
            in.seek(from);
            in.readFully(chunk);
            end = lastNewline(chunk);
            if (end < 0 && chunk.length == chunkBytes) {
                // one line longer than a chunk: find where it ends without holding it
                long lineEnd = nextNewline(in, from + chunk.length, attributes.size());
                if (lineEnd < 0) {
                    return false; // not complete yet
                }
                if (lineEnd - from > maxLineBytes) {
                    long offset = lineEnd + 1;
                    warnSkipped(file, 1, from, "a line of " + (lineEnd - from) + " bytes, over the limit of "
                            + maxLineBytes);
                    collector.storeAndWait(List.of(), 0, 1, new Collector.FileOffset(name, fileKey, offset));
                    positions.put(name, new Position(fileKey, offset));
                    return offset < attributes.size();
                }
                chunk = new byte[(int) (lineEnd - from + 1)];
                in.seek(from);
                in.readFully(chunk);
                end = chunk.length - 1;
            }
        }
        if (end < 0) {
            return false; // the line being written is not complete yet
        }
        IngestBody lines = IngestBody.lines(chunk, 0, end + 1, 1);
        if (lines.rejectedCount() > 0) {
            IngestBody.Rejection first = lines.rejected().get(0);
            warnSkipped(file, lines.rejectedCount(), from + offsetOfLine(chunk, first.line()), first.error());
        }
        long offset = from + end + 1;
        collector.storeAndWait(lines.records(), lines.dropped(), lines.rejectedCount(),
                new Collector.FileOffset(name, fileKey, offset));
        positions.put(name, new Position(fileKey, offset));
        return offset < attributes.size();
    }

    /** One console line per chunk with bad lines: how many were skipped, where the first was and why. */
    private static void warnSkipped(Path file, int count, long firstOffset, String reason) {
        Diagnostics.warn("skipped " + (count == 1 ? "a bad line" : count + " bad lines") + " of " + file
                + " (" + (count == 1 ? "" : "the first ") + "at byte " + firstOffset + ": " + reason + ")");
    }

    /** The offset in a chunk where its {@code line}-th line (from 1) starts. */
    private static int offsetOfLine(byte[] chunk, int line) {
        int at = 0;
        for (int seen = 1; seen < line && at < chunk.length; at++) {
            if (chunk[at] == '\n') {
                seen++;
            }
        }
        return at;
    }

    /** The offset of the next newline in {@code [from, size)}, or -1. */
    private static long nextNewline(RandomAccessFile in, long from, long size) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        in.seek(from);
        for (long at = from; at < size; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - at));
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    return at + i;
                }
            }
            at += n;
        }
        return -1;
    }

    private static int lastNewline(byte[] chunk) {
        for (int i = chunk.length - 1; i >= 0; i--) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
