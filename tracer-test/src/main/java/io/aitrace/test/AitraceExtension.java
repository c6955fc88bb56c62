package io.aitrace.test;

import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.TraceRecord;
import io.aitrace.viewer.HtmlExport;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Captures the traces each test makes, in memory, apart from every other test's (also when tests run in
 * parallel and the code under test hands work to executors wrapped with {@code Tracing.wrap}), and injects them
 * as a {@link CapturedTraces} parameter. Records still reach the configured targets. When a test fails, its
 * traces are written as one HTML page under {@code target/aitrace/} (or {@code -Daitrace.test.dir}) and the
 * path is printed, to open in a browser.
 *
 * <pre>{@code
 * @ExtendWith(AitraceExtension.class)
 * class BookingAgentTest {
 *     @Test void fallsBackToTrains(CapturedTraces traces) {
 *         agent.book("Lisbon");
 *         AitraceAssertions.assertThat(traces.last()).rootSucceeded().hasSpan("train_search");
 *     }
 * }
 * }</pre>
 *
 * A trace belongs to a test when its root span starts inside the test method (on its thread or in a task that
 * carries its context). Spans must come from the global runtime ({@code TracerFactory}'s tracers); a
 * {@code TracerRuntime} of your own needs {@link #captureProcessor()} among its processors.
 */
public final class AitraceExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver,
        InvocationInterceptor {
    /** The directory failing tests' HTML pages go to; {@code target/aitrace} unless set. */
    public static final String OUTPUT_DIR_PROPERTY = "aitrace.test.dir";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(AitraceExtension.class);
    private static final String KEY = "traces";

    /**
     * The processor to add to a {@code TracerRuntime} of your own (not the global one) so its records are captured
     * too: {@code TracerConfig.builder().addProcessor(AitraceExtension.captureProcessor())}.
     */
    public static RecordProcessor captureProcessor() {
        return CaptureProcessor.INSTANCE;
    }

    /**
     * The same as {@link #captureProcessor()}: {@code addTarget(AitraceExtension.captureTarget())} still compiles.
     *
     * @deprecated the capture is a processor of typed records now; use {@link #captureProcessor()}
     */
    @Deprecated
    public static RecordProcessor captureTarget() {
        return captureProcessor();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CaptureProcessor.install();
        context.getStore(NAMESPACE).put(KEY, new CapturedTraces(testName(context)));
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        runCaptured(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext)
            throws Throwable {
        runCaptured(invocation, extensionContext);
    }

    private static void runCaptured(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        CapturedTraces traces = traces(context);
        if (traces == null) {
            invocation.proceed();
            return;
        }
        try (Scope ignored = traces.context().makeCurrent()) {
            invocation.proceed();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CapturedTraces traces = context.getStore(NAMESPACE).remove(KEY, CapturedTraces.class);
        if (traces == null) {
            return;
        }
        if (context.getExecutionException().isPresent()) {
            CapturedTraces.flushGlobal();
            List<TraceRecord> records = traces.records();
            if (!records.isEmpty()) {
                writePage(context, traces, records);
            }
        }
        traces.close();
    }

    private static void writePage(ExtensionContext context, CapturedTraces traces, List<TraceRecord> records) {
        Path file = outputDir().resolve(safe(context.getRequiredTestClass().getName()))
                .resolve(safe(context.getRequiredTestMethod().getName() + displaySuffix(context)) + ".html");
        try {
            Path written = HtmlExport.write(file, CapturedTraces.jsonLines(records), CapturedTraces.graphOf(records),
                    traces.testName()).toAbsolutePath();
            context.publishReportEntry("aitrace.html", written.toString());
            System.out.println("aitrace: traces of failed test " + traces.testName() + ": " + written);
        } catch (IOException | RuntimeException e) {
            System.out.println("aitrace: could not write the traces of " + traces.testName() + " to " + file
                    + ": " + e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == CapturedTraces.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        CapturedTraces traces = traces(extensionContext);
        if (traces == null) {
            throw new org.junit.jupiter.api.extension.ParameterResolutionException(
                    "CapturedTraces is only available to test methods and @BeforeEach/@AfterEach methods");
        }
        return traces;
    }

    private static CapturedTraces traces(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(KEY, CapturedTraces.class);
    }

    static Path outputDir() {
        String configured = System.getProperty(OUTPUT_DIR_PROPERTY);
        return configured != null && !configured.isBlank() ? Paths.get(configured.trim())
                : Paths.get("target", "aitrace");
    }

    private static String testName(ExtensionContext context) {
        String method = context.getTestMethod().map(Method::getName).orElse(context.getDisplayName());
        String owner = context.getTestClass().map(Class::getSimpleName).orElse("");
        String display = context.getDisplayName();
        boolean plain = display.equals(method + "()") || display.startsWith(method + "(");
        return (owner.isEmpty() ? "" : owner + ".") + method + (plain ? "" : " " + display);
    }

    /** For repeated and parameterized tests: the invocation's display name, so each gets a page of its own. */
    private static String displaySuffix(ExtensionContext context) {
        String display = context.getDisplayName();
        String method = context.getRequiredTestMethod().getName();
        return display.startsWith(method + "(") ? "" : "-" + display;
    }

    private static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return cleaned.length() > 120 ? cleaned.substring(0, 120) : cleaned;
    }
}
