package io.aitrace;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM, because {@link TracerFactory} binds its provider once per JVM.
 * The class path holds tracer-api's classes, the test classes and any extra directories given.
 *
 * <pre>{@code ChildJvm.Result result = ChildJvm.running(TracerProgram.class).withClassPath(dir).run();}</pre>
 */
final class ChildJvm {
    private static final long DEADLINE_SECONDS = 60;

    private final Class<?> mainClass;
    private final List<Path> extraClassPath = new ArrayList<>();
    private final List<String> properties = new ArrayList<>();

    private ChildJvm(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    static ChildJvm running(Class<?> mainClass) {
        return new ChildJvm(mainClass);
    }

    ChildJvm withClassPath(Path directory) {
        extraClassPath.add(directory);
        return this;
    }

    ChildJvm withProperty(String key, String value) {
        properties.add("-D" + key + "=" + value);
        return this;
    }

    Result run() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small, quick JVM: these programs run for well under a second.
        command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(properties);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());

        Path stdout = Files.createTempFile("child-jvm", ".out");
        Path stderr = Files.createTempFile("child-jvm", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            // These make the launcher print a "Picked up ..." line on stderr, which is not the program's output.
            Map<String, String> environment = builder.environment();
            environment.remove("JAVA_TOOL_OPTIONS");
            environment.remove("JDK_JAVA_OPTIONS");
            environment.remove("_JAVA_OPTIONS");
            Process process = builder.start();
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
                throw new AssertionError("child JVM did not finish within " + DEADLINE_SECONDS + " s: " + command
                        + "\nstdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr));
            }
            return new Result(process.exitValue(), lines(stdout), lines(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private String classPath() {
        List<String> entries = new ArrayList<>();
        entries.add(locationOf(TracerFactory.class));
        entries.add(locationOf(mainClass));
        for (Path directory : extraClassPath) {
            entries.add(directory.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + type, e);
        }
    }

    private static List<String> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    /** What the child JVM did: its exit code and the lines it printed. */
    record Result(int exitCode, List<String> stdout, List<String> stderr) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\nstdout:\n" + String.join("\n", stdout)
                    + "\nstderr:\n" + String.join("\n", stderr);
        }
    }
}
