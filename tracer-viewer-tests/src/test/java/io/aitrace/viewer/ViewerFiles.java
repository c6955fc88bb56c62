package io.aitrace.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The viewer's files copied from tracer-core's jar into a folder, to open its index.html from disk. */
final class ViewerFiles {
    private static final Pattern REFERENCE = Pattern.compile("(?:href|src)=\"([\\w.-]+)\"");

    private ViewerFiles() {
    }

    /** Copies index.html and every file it references into {@code dir}; returns the copied index.html. */
    static Path copyTo(Path dir) throws IOException {
        String index = read("index.html");
        Files.writeString(dir.resolve("index.html"), index);
        Matcher m = REFERENCE.matcher(index);
        while (m.find()) {
            Files.writeString(dir.resolve(m.group(1)), read(m.group(1)));
        }
        return dir.resolve("index.html");
    }

    private static String read(String name) throws IOException {
        try (InputStream in = ViewerFiles.class.getResourceAsStream("/io/aitrace/viewer/" + name)) {
            if (in == null) {
                throw new IOException("/io/aitrace/viewer/" + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
