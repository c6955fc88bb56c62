package io.aitrace;

import io.aitrace.spi.TracerServiceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A class-path directory holding only a {@code META-INF/services} entry for aitrace providers. */
final class ProviderDirectory {
    private ProviderDirectory() {
    }

    /** Writes the services file naming these provider classes, one a line, into {@code directory}. */
    static Path listing(Path directory, String... providerClassNames) throws IOException {
        Path services = directory.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(TracerServiceProvider.class.getName()), List.of(providerClassNames));
        return directory;
    }
}
