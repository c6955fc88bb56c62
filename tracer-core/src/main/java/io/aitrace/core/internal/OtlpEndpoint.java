package io.aitrace.core.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where OTLP export goes, by OpenTelemetry's rules for {@code OTEL_EXPORTER_OTLP_*} variables. */
public final class OtlpEndpoint {
    static final String OTEL_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String OTEL_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    static final String OTEL_HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";
    static final String OTEL_TRACES_HEADERS = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
    private static final String TRACES_PATH = "/v1/traces";

    private OtlpEndpoint() {
    }

    /**
     * The traces URL: aitrace's own setting (a base URL) wins; else the signal-specific OTel variable, used
     * as is; else the OTel base variable with {@code /v1/traces}. Null when none is set or the URL is unusable.
     */
    public static String tracesUrl(String configured, Map<String, String> env) {
        String url;
        if (configured != null) {
            url = withTracesPath(configured);
        } else if (isSet(env.get(OTEL_TRACES_ENDPOINT))) {
            url = env.get(OTEL_TRACES_ENDPOINT).trim();
        } else if (isSet(env.get(OTEL_ENDPOINT))) {
            url = withTracesPath(env.get(OTEL_ENDPOINT));
        } else {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        Diagnostics.warn("OTLP endpoint '" + url + "' is not an http:// or https:// URL, not exporting over OTLP");
        return null;
    }

    /** {@code http://host:4318} and {@code http://host:4318/} become {@code http://host:4318/v1/traces}. */
    static String withTracesPath(String base) {
        String url = base.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url.endsWith(TRACES_PATH) ? url : url + TRACES_PATH;
    }

    /**
     * {@code key1=value1,key2=value2}, values percent-decoded ({@code +} stays a plus: base64 credentials keep
     * theirs); the traces variable wins per key.
     */
    public static Map<String, String> headers(Map<String, String> env) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String variable : new String[] {OTEL_HEADERS, OTEL_TRACES_HEADERS}) {
            String value = env.get(variable);
            if (!isSet(value)) {
                continue;
            }
            for (String entry : value.split(",")) {
                int eq = entry.indexOf('=');
                String name = eq > 0 ? entry.substring(0, eq).trim() : "";
                if (name.isEmpty()) {
                    if (!entry.isBlank()) {
                        Diagnostics.warn(variable + " has an entry without a name=value form, skipping it");
                    }
                    continue;
                }
                try {
                    headers.put(name, URLDecoder.decode(
                            entry.substring(eq + 1).trim().replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    Diagnostics.warn(variable + " has a badly percent-encoded value for " + name + ", skipping it");
                }
            }
        }
        return Collections.unmodifiableMap(headers);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
