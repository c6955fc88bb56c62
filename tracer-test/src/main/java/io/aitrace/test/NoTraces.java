package io.aitrace.test;

import io.aitrace.TracerFactory;
import io.aitrace.core.AitraceProvider;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.spi.TracerServiceProvider;
import java.util.ArrayList;
import java.util.List;

/** The message of an assertion on a test that recorded no trace: what was seen, and the likely causes. */
final class NoTraces {
    private NoTraces() {
    }

    /** For a test whose capture is empty. */
    static String message(CapturedTraces capture) {
        return "No trace was recorded in " + capture.testName() + ".\n" + causes(capture);
    }

    /** For an assertion on an empty trace graph (not known to come from a capture). */
    static String message() {
        return "No trace was recorded: the trace has no spans.\n" + causes(null);
    }

    private static String causes(CapturedTraces capture) {
        List<String> found = new ArrayList<>();
        TracerServiceProvider provider = TracerFactory.getProvider();
        if (!(provider instanceof AitraceProvider)) {
            found.add("no aitrace provider on the test class path: TracerFactory is bound to "
                    + (provider == null ? "nothing (every tracer is a no-op)" : provider.getClass().getName())
                    + "; add io.aitrace:tracer-core as a test dependency");
        }
        TracerRuntime runtime = TracerRuntime.global();
        if (!runtime.config().enabled()) {
            found.add("tracing is disabled (" + TracerConfig.ENABLED + "=false, or AITRACE_ENABLED=false)");
        } else if (runtime.config().sampleRatio() < 1.0) {
            found.add("only a share of traces is recorded (" + TracerConfig.SAMPLE_RATIO + "="
                    + runtime.config().sampleRatio() + "); set it to 1 in tests");
        }
        if (capture != null && capture.unclaimedSinceStart() > 0) {
            long n = capture.unclaimedSinceStart();
            found.add(n + (n == 1 ? " trace" : " traces") + " began while this test ran outside any test's context:"
                    + " the code ran on an executor not wrapped with Tracing.wrap(...), a thread started directly,"
                    + " or CompletableFuture's default pool (or another test without the extension made "
                    + (n == 1 ? "it" : "them") + ")");
        }
        if (capture != null && capture.tracesWithoutRecords() > 0) {
            found.add(capture.tracesWithoutRecords() + " trace(s) began in this test but none of their records"
                    + " reached the capture: spans made by a TracerRuntime of your own need"
                    + " AitraceExtension.captureTarget() among its targets (TracerConfig.Builder.addTarget)");
        }
        StringBuilder text = new StringBuilder();
        if (!found.isEmpty()) {
            text.append("Found:\n");
            found.forEach(f -> text.append("  - ").append(f).append('\n'));
        }
        text.append("Likely causes:\n")
                .append("  - no aitrace provider on the test class path (io.aitrace:tracer-core missing)\n")
                .append("  - tracing disabled (aitrace.enabled=false) or sampled out (aitrace.sample.ratio < 1)\n")
                .append("  - the code ran on an unwrapped executor: wrap it with Tracing.wrap(executor) so its"
                        + " tasks carry the test's context\n")
                .append("  - the code under test did not run, or made no span");
        return text.toString();
    }
}
