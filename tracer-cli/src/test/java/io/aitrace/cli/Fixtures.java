package io.aitrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixture traces (src/test/resources/io/aitrace/cli/fixtures) and the golden files that say what the commands
 * print for them (…/golden). Run with {@code -Daitrace.golden.update=true} to rewrite the golden files after an
 * intended change of the output, then review the diff.
 */
final class Fixtures {
    static final String WEATHER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String OLDER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String RUNNING_TRACE = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f";
    private static final Path GOLDEN_SOURCES = Path.of("src/test/resources/io/aitrace/cli/golden");

    private Fixtures() {
    }

    /** Copies a fixture into {@code dir} and returns the copy. */
    /** The packaged {@code aitrace.jar}, which the jar-tests execution names after packaging; skips the test without it. */
    static Path packagedJar() {
        String property = System.getProperty("aitrace.cli.jar");
        assumeTrue(property != null, "aitrace.cli.jar is set by the jar-tests execution, after packaging");
        Path jar = Path.of(property);
        assertThat(jar).exists();
        return jar;
    }

    static Path copy(String name, Path dir) {
        try {
            Path copy = dir.resolve(name);
            Files.writeString(copy, text("fixtures/" + name), StandardCharsets.UTF_8);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            assertThat(in).as("test resource %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the output equals the golden file, with {@code dir} written as {@code <dir>}. */
    static void assertGolden(String output, Path dir, String golden) {
        String actual = output.replace(dir.toString(), "<dir>").replace(System.lineSeparator(), "\n");
        if (Boolean.getBoolean("aitrace.golden.update")) {
            try {
                Files.createDirectories(GOLDEN_SOURCES);
                Files.writeString(GOLDEN_SOURCES.resolve(golden), actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertThat(actual).as("output compared with golden/%s", golden).isEqualTo(text("golden/" + golden));
    }
}
