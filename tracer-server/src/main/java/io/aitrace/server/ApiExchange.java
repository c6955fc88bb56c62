package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.aitrace.core.text.TextFit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP request and its answer: query parameters, a size-limited body, JSON answers and errors. */
final class ApiExchange {
    private static final int MAX_ERROR = 300;
    /** Rows made of a body take about this many times its bytes while they wait to be stored. */
    static final int ROWS_PER_BODY_BYTE = 3;

    private final HttpExchange http;
    private final MemoryBudget memory;
    private long held;
    private Map<String, List<String>> params;

    ApiExchange(HttpExchange http, MemoryBudget memory) {
        this.http = http;
        this.memory = memory;
    }

    /** Gives back the memory this request counted against the budget. */
    void releaseMemory() {
        memory.release(held);
        held = 0;
    }

    /**
     * {@link #hold}, and when the memory is not there, reads the rest of the body into nothing before the refusal
     * goes out: a client still sending would otherwise see its connection reset instead of the 503.
     */
    private void holdOrDrain(InputStream in, long bytes) throws IOException {
        try {
            hold(bytes);
        } catch (ApiException e) {
            in.transferTo(OutputStream.nullOutputStream());
            throw e;
        }
    }

    private void hold(long bytes) {
        memory.reserve(bytes, held);
        held += bytes;
    }

    HttpExchange http() {
        return http;
    }

    String method() {
        return http.getRequestMethod();
    }

    String path() {
        return http.getRequestURI().getPath();
    }

    /** A request header, or null. */
    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    /** The media type of the body, lowercase, without parameters; null when none was sent. */
    String contentType() {
        String type = header("Content-Type");
        if (type == null || type.isBlank()) {
            return null;
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Every value of a query parameter, in order. */
    List<String> params(String name) {
        if (params == null) {
            params = new LinkedHashMap<>();
            String query = http.getRequestURI().getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                }
            }
        }
        return params.getOrDefault(name, List.of());
    }

    /** The last value of a query parameter, or null when absent or blank. */
    String param(String name) {
        List<String> values = params(name);
        String value = values.isEmpty() ? null : values.get(values.size() - 1);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The request body, gunzipped (every member) when it says {@code Content-Encoding: gzip} or starts with gzip's
     * magic number; chunked bodies are read like any other.
     *
     * @throws ApiException 413 when it is larger than {@code limit} bytes (before or after decompression), 415 for
     *         an encoding other than gzip, 400 for broken gzip data
     */
    byte[] body(long limit) throws IOException {
        String length = header("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "bad Content-Length: " + TextFit.cut(length, 40));
            }
            if (declared > limit) {
                throw tooLarge(limit);
            }
        }
        String encoding = header("Content-Encoding");
        encoding = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
        boolean gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
        if (!gzip && !encoding.equals("identity")) {
            throw new ApiException(415, "unsupported Content-Encoding '" + TextFit.cut(encoding, 40)
                    + "' (use gzip or none)");
        }
        byte[] raw = readLimited(http.getRequestBody(), declared, limit);
        byte[] body = gzip || GzipMembers.startsWithMagic(raw, 0) ? GzipMembers.unpack(raw, limit) : raw;
        if (body != raw) {
            hold(body.length);
        }
        hold((long) body.length * ROWS_PER_BODY_BYTE);
        return body;
    }

    /**
     * The bytes of a stream: exactly {@code declared} of them when it is known, at most {@code limit}; counted
     * against the memory budget before they are read.
     */
    private byte[] readLimited(InputStream in, long declared, long limit) throws IOException {
        if (declared >= 0) {
            holdOrDrain(in, declared);
            byte[] body = in.readNBytes((int) declared);
            if (body.length < declared) {
                throw new ApiException(400, "the body ended after " + body.length + " of " + declared + " bytes");
            }
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                throw tooLarge(limit);
            }
            holdOrDrain(in, n);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(413, "request body larger than " + limit + " bytes");
    }

    void sendJson(int status, Object value) throws IOException {
        send(status, "application/json; charset=utf-8", RecordJson.MAPPER.writeValueAsBytes(value));
    }

    /** Sends {@code {"error": message}}; a message is cut to a few hundred characters whatever it quotes. */
    void sendError(int status, String message) throws IOException {
        ObjectNode error = RecordJson.MAPPER.createObjectNode().put("error", TextFit.cut(message, MAX_ERROR));
        sendJson(status, error);
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        http.getResponseHeaders().set("Content-Type", contentType);
        http.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(method())) {
            http.sendResponseHeaders(status, -1);
        } else {
            http.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = http.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "badly encoded query parameter: " + TextFit.cut(text, 100));
        }
    }
}
