package io.aitrace.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web viewer's files, served from the class path under {@code io/aitrace/viewer/}: {@code /} is
 * {@code index.html}. No token is needed (the page asks for it); paths that try to leave the folder are refused.
 * Each file is sent with an {@code ETag} (from its bytes) and {@code Cache-Control: no-cache}: a browser reopening
 * the page asks again with {@code If-None-Match} and gets {@code 304 Not Modified} without the body, and a newer
 * aitrace's files (other bytes, another tag) are never taken from a stale cache.
 */
final class StaticFiles {
    private static final String ROOT = "io/aitrace/viewer/";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"), Map.entry("woff2", "font/woff2"));

    /** The files read so far, with their tags: the class path does not change while the collector runs. */
    private static final Map<String, File> FILES = new ConcurrentHashMap<>();

    private record File(byte[] body, String etag) {
    }

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
        File file = FILES.get(name);
        if (file == null) {
            byte[] body;
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new ApiException(404, "no such file: " + path);
                }
                body = in.readAllBytes();
            }
            file = new File(body, etag(body));
            FILES.put(name, file);
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        HttpExchange http = exchange.http();
        Headers headers = http.getResponseHeaders();
        headers.set("ETag", file.etag);
        headers.set("Cache-Control", "no-cache");
        if (matches(exchange.header("If-None-Match"), file.etag)) {
            http.sendResponseHeaders(304, -1);
            return;
        }
        headers.set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
        if ("HEAD".equals(exchange.method())) {
            // the server sends no length of its own for HEAD: it is set here, the length a GET would send
            headers.set("Content-Length", Integer.toString(file.body.length));
            http.sendResponseHeaders(200, -1);
            return;
        }
        http.sendResponseHeaders(200, file.body.length == 0 ? -1 : file.body.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(file.body);
        }
    }

    /** A strong tag from the file's bytes: the first 128 bits of their SHA-256, in quotes. */
    private static String etag(byte[] body) {
        return "\"" + HexFormat.of().formatHex(RecordJson.sha256(body), 0, 16) + "\"";
    }

    /** Whether {@code If-None-Match} (a list of tags, weak ones too, or {@code *}) names the file's tag. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(etag) || t.equals("*")) {
                return true;
            }
        }
        return false;
    }
}
