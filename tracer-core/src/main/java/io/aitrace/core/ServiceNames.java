package io.aitrace.core;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The {@code service.name} of a program that did not name itself: its jar's name ({@code weather-agent} for
 * {@code java -jar weather-agent.jar}) or its main class's simple name ({@code WeatherAgent}), so that the traces
 * of different programs can be told apart; OpenTelemetry's {@code unknown_service:java} when neither is known.
 */
final class ServiceNames {
    static final String UNKNOWN = "unknown_service:java";

    private ServiceNames() {
    }

    /** The name for this JVM, from the {@code sun.java.command} property the JDK sets. */
    static String ofThisProgram() {
        try {
            return fromCommand(System.getProperty("sun.java.command"));
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The name for a JVM started with this command: a main class or a jar, then its arguments. */
    static String fromCommand(String command) {
        if (command == null || command.isBlank()) {
            return UNKNOWN;
        }
        String first = command.strip().split("\\s+", 2)[0];
        if (first.endsWith(".jar")) {
            Path file = Paths.get(first).getFileName();
            String name = file == null ? "" : file.toString();
            name = name.substring(0, name.length() - ".jar".length());
            return name.isEmpty() ? UNKNOWN : name;
        }
        String simple = first.substring(first.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('/') + 1);
        return simple.isEmpty() || !Character.isJavaIdentifierStart(simple.charAt(0)) ? UNKNOWN : simple;
    }
}
