package io.aitrace.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.aitrace.core.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Configures the application's Logback context from a test configuration, as a user's logback.xml would, and
 * reads back what file appenders printed.
 */
final class LogbackSetup {
    private LogbackSetup() {
    }

    /** Resets the default context and configures it from {@code resource} with these context properties. */
    static LoggerContext configure(String resource, Map<String, String> properties) {
        URL url = LogbackSetup.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        try (InputStream in = url.openStream()) {
            return configure(in, properties);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resets the default context and configures it from XML, e.g. a logback.xml taken from the docs. */
    static LoggerContext configure(InputStream xml, Map<String, String> properties) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.getStatusManager().clear();
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(xml);
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
        if (!context.isStarted()) {
            context.start(); // a previous test stopped it; a stopped context ignores stop()
        }
        return context;
    }

    /** Warnings and errors Logback reported while configuring or logging. */
    static List<String> problems(LoggerContext context) {
        List<String> problems = new ArrayList<>();
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getEffectiveLevel() >= Status.WARN) {
                problems.add(status.toString());
            }
        }
        return problems;
    }

    /** The lines of a file, waiting (with a deadline) until there are at least {@code count}. */
    static List<String> lines(Path file, int count) {
        Await.until(() -> read(file).size() >= count, Duration.ofSeconds(10));
        return read(file);
    }

    static List<String> read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
