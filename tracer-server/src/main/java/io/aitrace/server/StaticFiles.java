package io.aitrace.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * The web viewer's files, served from the class path under {@code io/aitrace/viewer/}: {@code /} is
 * {@code index.html}. No token is needed (the page asks for it); paths that try to leave the folder are refused.
 */
final class StaticFiles {
    private static final String ROOT = "io/aitrace/viewer/";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"), Map.entry("woff2", "font/woff2"));

    private StaticFiles() {
    }

    static void serve(ApiExchange exchange) throws IOException {
        if (!"GET".equals(exchange.method()) && !"HEAD".equals(exchange.method())) {
            throw new ApiException(405, exchange.method() + " is not allowed here");
        }
        String path = exchange.path();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (name.isEmpty() || name.contains("..") || name.contains("\\") || name.startsWith("/")
                || name.contains("//") || name.endsWith("/") || name.endsWith(".class")) {
            throw new ApiException(404, "no such file: " + path);
        }
        byte[] body;
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new ApiException(404, "no such file: " + path);
            }
            body = in.readAllBytes();
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        exchange.send(200, TYPES.getOrDefault(extension, "application/octet-stream"), body);
    }
}
