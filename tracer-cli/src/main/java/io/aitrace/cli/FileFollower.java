package io.aitrace.cli;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the lines appended to a growing JSON-lines file, or to every {@code *.jsonl} file of a directory (new
 * files included), one poll at a time. A line is handed out only once its line break is written, so a record the
 * writer is still writing is never cut in two. A file that shrinks (truncated or replaced) is read again from its
 * start.
 */
final class FileFollower {
    private static final int CHUNK = 1 << 16;

    private final Path path;
    private final Map<Path, Position> files = new LinkedHashMap<>();

    private static final class Position {
        long offset;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    }

    FileFollower(Path path) {
        this.path = path;
    }

    /**
     * The lines there are now. In a directory only the most recently modified file is read (to know the spans
     * in progress) and the others are followed from their end, unless {@code everything}.
     */
    List<String> start(boolean everything) throws IOException {
        if (Files.isDirectory(path)) {
            List<Path> present = jsonlFiles();
            Path newest = present.stream().max(Comparator.comparing(FileFollower::modified)).orElse(null);
            for (Path file : present) {
                Position position = new Position();
                if (!everything && !file.equals(newest)) {
                    position.offset = size(file);
                }
                files.put(file, position);
            }
        }
        return poll();
    }

    /** The complete lines written since the last poll. */
    List<String> poll() throws IOException {
        if (Files.isDirectory(path)) {
            for (Path file : jsonlFiles()) {
                files.computeIfAbsent(file, f -> new Position());
            }
        } else {
            files.computeIfAbsent(path, f -> new Position());
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Path, Position> file : files.entrySet()) {
            read(file.getKey(), file.getValue(), lines);
        }
        return lines;
    }

    private static void read(Path file, Position position, List<String> lines) throws IOException {
        // RandomAccessFile, not a FileChannel: interrupting the thread (to stop tail) must not close it mid-read
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (size < position.offset) {
                position.offset = 0;
                position.partial.reset();
            }
            byte[] buffer = new byte[CHUNK];
            in.seek(position.offset);
            while (position.offset < size) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - position.offset));
                if (n <= 0) {
                    break;
                }
                position.offset += n;
                split(buffer, n, position.partial, lines);
            }
        } catch (FileNotFoundException | NoSuchFileException e) {
            position.offset = 0; // gone for now (rotated or not yet written): read it from the start when it is back
            position.partial.reset();
        }
    }

    private static void split(byte[] bytes, int length, ByteArrayOutputStream partial, List<String> lines) {
        int from = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                partial.write(bytes, from, i - from);
                String line = partial.toString(StandardCharsets.UTF_8);
                lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                partial.reset();
                from = i + 1;
            }
        }
        partial.write(bytes, from, length - from);
    }

    private List<Path> jsonlFiles() throws IOException {
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(f -> f.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(f))
                    .sorted().collect(Collectors.toList());
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
