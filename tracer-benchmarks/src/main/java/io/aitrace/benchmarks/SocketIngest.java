package io.aitrace.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code POST /api/ingest} over one kept-alive HTTP/1.1 connection, written and read by hand: a load generator
 * that costs a small part of what the JDK's {@code HttpClient} does per request, for measuring the collector
 * rather than its clients on the same cores. One per client thread; it is not safe for two threads at once.
 */
final class SocketIngest implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String requestHead;

    SocketIngest(URI base) throws IOException {
        int port = base.getPort() > 0 ? base.getPort() : 80;
        socket = new Socket(base.getHost(), port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        String path = base.getPath() == null || base.getPath().isEmpty() ? "/" : base.getPath();
        requestHead = "POST " + (path.endsWith("/") ? path : path + "/") + "api/ingest HTTP/1.1\r\nHost: "
                + base.getHost() + ":" + port + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: ";
    }

    /** Posts one NDJSON batch; returns how many records the collector did not keep (rejected or missing). */
    long ingest(byte[] ndjson, int records) throws IOException {
        out.write((requestHead + ndjson.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(ndjson);
        out.flush();
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        int length = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = chunked ? chunkedBody() : in.readNBytes(Math.max(0, length));
        if (code / 100 != 2) {
            throw new IOException("POST /api/ingest answered " + code + ": "
                    + new String(body, StandardCharsets.UTF_8));
        }
        return records - JSON.readTree(body).path("ingested").asLong(0);
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line(); // the CRLF after the chunk
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers, if any
        }
        return body.toByteArray();
    }

    /** One line of the answer's head, without its CRLF. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the collector closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
