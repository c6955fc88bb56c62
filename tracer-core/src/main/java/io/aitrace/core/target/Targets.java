package io.aitrace.core.target;

import io.aitrace.core.TracerConfig;
import io.aitrace.core.config.Settings;
import io.aitrace.core.http.HttpTarget;
import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.internal.pipeline.JsonLinesProcessor;
import io.aitrace.core.pipeline.ProcessorProvider;
import io.aitrace.core.pipeline.RecordProcessor;
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
 * A comma-separated list means all of them; {@code none} means no target. Each {@link ProcessorProvider} on the
 * class path may add a processor (tracer-otlp adds OTLP export when an OTLP endpoint is configured).
 */
public final class Targets {
    /** The placeholder replaced by the process start time in file targets. */
    public static final String TIME_PLACEHOLDER = "<YYYYMMDD_HHMMSS>";

    /** The target setting that writes nowhere (spans are still made, for OpenTelemetry and in-code targets). */
    public static final String NONE = "none";

    /** The name of tracer-otlp's {@link ProcessorProvider}. */
    static final String OTLP = "otlp";

    private Targets() {
    }

    /**
     * The record processors for this configuration, in the order records reach them: one that encodes JSON lines
     * for the byte targets of the target setting and {@link TracerConfig#extraTargets()}, the console tree when
     * asked for, the processors of the {@link ProcessorProvider}s on the class path, then
     * {@link TracerConfig#processors()}.
     */
    public static List<RecordProcessor> open(TracerConfig config, Instant processStart) {
        List<Target> bytes = new ArrayList<>();
        List<RecordProcessor> processors = new ArrayList<>();
        String stamp = Timestamps.fileStamp(processStart);
        for (String part : config.target().split(",")) {
            String spec = part.trim();
            if (spec.isEmpty() || spec.equalsIgnoreCase(NONE)) {
                continue;
            }
            try {
                if (spec.equalsIgnoreCase(ConsoleTarget.SPEC)) {
                    processors.add(new ConsoleTarget());
                } else {
                    bytes.add(open(spec, config, stamp));
                }
            } catch (RuntimeException e) {
                Diagnostics.warn("cannot use target '" + spec + "', skipping it", e);
            }
        }
        bytes.addAll(config.extraTargets());
        if (!bytes.isEmpty()) {
            processors.add(0, new JsonLinesProcessor(bytes));
        }
        processors.addAll(provided(config));
        processors.addAll(config.processors());
        return processors;
    }

    /** The processors of the {@link ProcessorProvider}s on the class path; one that fails is reported and skipped. */
    static List<RecordProcessor> provided(TracerConfig config) {
        List<RecordProcessor> processors = new ArrayList<>();
        boolean otlp = false;
        try {
            for (ProcessorProvider provider : ServiceLoader.load(ProcessorProvider.class,
                    Targets.class.getClassLoader())) {
                otlp |= provider.name().equals(OTLP);
                try {
                    RecordProcessor processor = provider.open(config);
                    if (processor != null) {
                        processors.add(processor);
                    }
                } catch (RuntimeException | LinkageError e) {
                    Diagnostics.warn("cannot use the " + provider.name() + " processor, skipping it", e);
                }
            }
        } catch (ServiceConfigurationError e) {
            Diagnostics.warn("cannot load a processor provider, skipping it", e);
        }
        if (config.otlpEndpoint() != null && !otlp) {
            Diagnostics.warn("OTLP endpoint " + config.otlpEndpoint()
                    + " is configured but tracer-otlp is not on the class path; spans are not exported over OTLP");
        }
        return processors;
    }

    /** The byte target for one part of the target setting (not {@code console}, which is a processor). */
    static Target open(String spec, TracerConfig config, String stamp) {
        if (spec.equals("-")) {
            return new StdoutTarget();
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
