package io.aitrace.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Runs scenario classes on the JUnit Jupiter engine, as a build would, and reports what a developer would see. */
final class Kit {
    static final String PARAMETER = "aitrace.test.scenarios";

    private Kit() {
    }

    static EngineExecutionResults run(Class<?> scenario) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(PARAMETER, "true")
                .selectors(selectClass(scenario)).execute();
    }

    static EngineExecutionResults runMethod(Class<?> scenario, String method) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(PARAMETER, "true")
                .selectors(selectMethod(scenario, method)).execute();
    }

    static EngineExecutionResults runInParallel(Class<?> scenario) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(PARAMETER, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectClass(scenario)).execute();
    }

    /** The failure message of the one test method run, or empty when it passed. */
    static Optional<String> failure(EngineExecutionResults results) {
        List<Throwable> failures = failures(results);
        if (failures.size() > 1) {
            throw new AssertionError("expected one test, got failures " + failures);
        }
        return failures.stream().findFirst().map(Throwable::getMessage);
    }

    static List<Throwable> failures(EngineExecutionResults results) {
        return results.testEvents().finished().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class))
                .filter(r -> r.getStatus() != TestExecutionResult.Status.SUCCESSFUL)
                .map(r -> r.getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    /** What the tests' report entries said, e.g. {@code aitrace.html=/…/test.html}. */
    static List<String> reportEntries(EngineExecutionResults results) {
        return results.allEvents().stream().filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
                .map(Event::getPayload).flatMap(Optional::stream)
                .map(p -> ((org.junit.platform.engine.reporting.ReportEntry) p).getKeyValuePairs().toString())
                .collect(Collectors.toList());
    }
}
