package io.aitrace.core.read;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts complete lines in a file that may not exist yet. */
final class TraceReaderLines {
    private TraceReaderLines() {
    }

    static long count(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return -1;
        }
    }
}
