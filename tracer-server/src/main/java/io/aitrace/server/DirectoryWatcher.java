package io.aitrace.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
 * file key) is read again from the start.
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
    private volatile boolean running = true;
    private boolean warned;

    private DirectoryWatcher(Path dir, Collector collector) throws SQLException {
        this.dir = dir.toAbsolutePath();
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

    static DirectoryWatcher start(Path dir, Collector collector) throws SQLException {
        DirectoryWatcher watcher = new DirectoryWatcher(dir, collector);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        while (running) {
            try {
                scan();
            } catch (IOException | RuntimeException e) {
                if (!warned) {
                    System.err.println("aitrace: cannot import from " + dir + ": " + e.getMessage());
                    warned = true;
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
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
            while (running && importMore(file)) {
                // a large file comes in chunks, each committed with its offset
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
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long available = attributes.size() - from;
            chunk = new byte[(int) Math.min(available, MAX_CHUNK)];
            in.seek(from);
            in.readFully(chunk);
            int end = lastNewline(chunk);
            if (end < 0 && chunk.length == MAX_CHUNK && available > MAX_CHUNK) {
                chunk = new byte[(int) Math.min(available, Integer.MAX_VALUE - 8)]; // one very long line
                in.seek(from);
                in.readFully(chunk);
            }
        }
        int end = lastNewline(chunk);
        if (end < 0) {
            return false; // the line being written is not complete yet
        }
        List<RecordRow> records = new ArrayList<>();
        long dropped = 0;
        long rejected = 0;
        for (String line : new String(chunk, 0, end + 1, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            RecordParser.Parsed parsed = RecordParser.parse(line);
            if (parsed.error() != null) {
                rejected++;
            } else if (parsed.row() != null) {
                records.add(parsed.row());
            } else {
                dropped += parsed.dropped();
            }
        }
        long offset = from + end + 1;
        collector.storeAndWait(records, dropped, rejected, new Collector.FileOffset(name, fileKey, offset));
        positions.put(name, new Position(fileKey, offset));
        return offset < attributes.size();
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
