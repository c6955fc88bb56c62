package io.aitrace.langchain4j;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Whether message text (prompts, answers, tool arguments and results) goes into the trace: on unless
 * {@code aitrace.capture-content=false} is set as a system property or {@code AITRACE_CAPTURE_CONTENT=false} in the
 * environment (the system property wins).
 */
final class ContentCapture {
    static final String PROPERTY = "aitrace.capture-content";
    static final String ENVIRONMENT = "AITRACE_CAPTURE_CONTENT";

    private ContentCapture() {
    }

    static boolean configured() {
        return configured(System.getProperties(), System.getenv());
    }

    static boolean configured(Properties properties, Map<String, String> environment) {
        String value = properties.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = environment.get(ENVIRONMENT);
        }
        if (value == null || value.isBlank()) {
            return true;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("false") || v.equals("off") || v.equals("no") || v.equals("0")) {
            return false;
        }
        if (!(v.equals("true") || v.equals("on") || v.equals("yes") || v.equals("1"))) {
            System.err.println("aitrace: " + PROPERTY + "=" + value
                    + " is neither true nor false; message content is captured");
        }
        return true;
    }
}
