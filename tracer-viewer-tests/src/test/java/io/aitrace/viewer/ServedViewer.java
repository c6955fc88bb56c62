package io.aitrace.viewer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The viewer as the collector serves it, for one test class: the real collector on a free port with a fresh
 * database and one headless Chromium, started before the class's own {@code @BeforeAll} (which may store its
 * traces) and closed after it. Where Chromium is missing the class is skipped ({@link Browser#start}).
 * <pre>
 * &#64;RegisterExtension
 * static final ServedViewer served = new ServedViewer(null);
 * </pre>
 */
final class ServedViewer implements BeforeAllCallback, AfterAllCallback {
    private final String token;
    private Browser browser;
    private Collector collector;

    /** {@code token}: the bearer token the collector asks for, null for none. */
    ServedViewer(String token) {
        this.token = token;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        browser = Browser.start();
        collector = Collector.start(token);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (collector != null) {
                collector.close();
            }
        } finally {
            if (browser != null) {
                browser.close();
            }
        }
    }

    Browser browser() {
        return browser;
    }

    Collector collector() {
        return collector;
    }

    /** Opens the viewer on a trace ({@code /#trace=ID}). */
    void openTrace(String traceId) {
        browser.open(collector.url() + "/#trace=" + traceId);
    }

    /** How many spans of the open trace the page holds (a trace opened page by page holds only those loaded). */
    long loadedSpans() {
        return ((Number) browser.script("return window.aitraceViewer.state.graph.nodes.length;")).longValue();
    }
}
