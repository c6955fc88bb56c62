package io.aitrace.core.target;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Appends records to a JSON-lines file, creating parent directories; buffered, flushed by the writer. */
public final class FileTarget implements Target {
    private final Path path;
    private OutputStream out;

    public FileTarget(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    @Override
    public void write(byte[] line, int offset, int length) throws IOException {
        if (out == null) {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 64 * 1024);
        }
        out.write(line, offset, length);
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            try {
                out.close();
            } finally {
                out = null;
            }
        }
    }

    @Override
    public String describe() {
        return "file " + path;
    }
}
