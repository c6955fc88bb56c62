package io.aitrace.core.target;

import io.aitrace.core.TracerConfig;
import io.aitrace.core.config.Settings;
import io.aitrace.core.http.HttpTarget;
import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.record.Timestamps;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Turns a target setting into targets: {@code -} is stdout, {@code console} a tree per trace on stdout for
 * people, {@code http://…}/{@code https://…} a collector,
 * anything else a file path ({@code ~} expands, {@code <YYYYMMDD_HHMMSS>} becomes the process start time).
 * A comma-separated list means all of them; {@code none} means no target. Each {@link TargetProvider} on the
 * class path may add one more (tracer-otlp adds OTLP export when an OTLP endpoint is configured).
 */
public final class Targets {
    /** The placeholder replaced by the process start time in file targets. */
    public static final String TIME_PLACEHOLDER = "<YYYYMMDD_HHMMSS>";

    /** The target setting that writes nowhere (spans are still made, for OpenTelemetry and in-code targets). */
    public static final String NONE = "none";

    /** The name of tracer-otlp's {@link TargetProvider}. */
    static final String OTLP = "otlp";

    private Targets() {
    }

    public static List<Target> open(TracerConfig config, Instant processStart) {
        List<Target> targets = new ArrayList<>();
        String stamp = Timestamps.fileStamp(processStart);
        for (String part : config.target().split(",")) {
            String spec = part.trim();
            if (spec.isEmpty() || spec.equalsIgnoreCase(NONE)) {
                continue;
            }
            try {
                targets.add(open(spec, config, stamp));
            } catch (RuntimeException e) {
                Diagnostics.warn("cannot use target '" + spec + "', skipping it", e);
            }
        }
        targets.addAll(provided(config));
        targets.addAll(config.extraTargets());
        return targets;
    }

    /** The targets of the {@link TargetProvider}s on the class path; one that fails is reported and skipped. */
    static List<Target> provided(TracerConfig config) {
        List<Target> targets = new ArrayList<>();
        boolean otlp = false;
        try {
            for (TargetProvider provider : ServiceLoader.load(TargetProvider.class, Targets.class.getClassLoader())) {
                otlp |= provider.name().equals(OTLP);
                try {
                    Target target = provider.open(config);
                    if (target != null) {
                        targets.add(target);
                    }
                } catch (RuntimeException | LinkageError e) {
                    Diagnostics.warn("cannot use the " + provider.name() + " target, skipping it", e);
                }
            }
        } catch (ServiceConfigurationError e) {
            Diagnostics.warn("cannot load a target provider, skipping it", e);
        }
        if (config.otlpEndpoint() != null && !otlp) {
            Diagnostics.warn("OTLP endpoint " + config.otlpEndpoint()
                    + " is configured but tracer-otlp is not on the class path; spans are not exported over OTLP");
        }
        return targets;
    }

    static Target open(String spec, TracerConfig config, String stamp) {
        if (spec.equals("-")) {
            return new StdoutTarget();
        }
        if (spec.equalsIgnoreCase(ConsoleTarget.SPEC)) {
            return new ConsoleTarget();
        }
        if (spec.startsWith("http://") || spec.startsWith("https://")) {
            return new HttpTarget(URI.create(spec), config.spillDir(), stamp, config.token())
                    .flushTimeout(config.flushTimeout());
        }
        return new FileTarget(filePath(spec, stamp));
    }

    /** The path a file target writes to. */
    public static Path filePath(String spec, String stamp) {
        return Settings.expandHome(spec.replace(TIME_PLACEHOLDER, stamp));
    }
}
