package io.aitrace.otlp;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real OTLP/HTTP receiver for tests: takes protobuf {@code ExportTraceServiceRequest}s at {@code /v1/traces}
 * and {@code ExportLogsServiceRequest}s at {@code /v1/logs} on a free loopback port, decodes them with the
 * opentelemetry-proto classes and keeps what arrived.
 */
final class OtlpTestReceiver implements AutoCloseable {

    /** One decoded span with the resource it came under and the request headers it came with. */
    record Received(Span span, Resource resource, String scope, Map<String, String> headers) {
        String traceId() {
            return hex(span.getTraceId());
        }

        String spanId() {
            return hex(span.getSpanId());
        }

        String parentSpanId() {
            return hex(span.getParentSpanId());
        }

        /** The span's attributes as text ({@code 12} for an int, JSON-ish text for arrays). */
        Map<String, String> attributes() {
            return OtlpTestReceiver.attributes(span.getAttributesList());
        }

        String resourceAttribute(String key) {
            return OtlpTestReceiver.attributes(resource.getAttributesList()).get(key);
        }
    }

    /** One decoded log record with the resource it came under. */
    record ReceivedLog(LogRecord log, Resource resource) {
        String traceId() {
            return hex(log.getTraceId());
        }

        String spanId() {
            return hex(log.getSpanId());
        }

        Map<String, String> attributes() {
            return OtlpTestReceiver.attributes(log.getAttributesList());
        }
    }

    private final HttpServer server;
    private final List<ReceivedLog> logs = new ArrayList<>();    // guarded by this
    private final List<Received> spans = new ArrayList<>();     // guarded by this
    private final List<Integer> requestSizes = new ArrayList<>(); // guarded by this
    private final List<String> problems = new ArrayList<>();    // guarded by this

    OtlpTestReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL, as one would put it in {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !path.equals("/v1/traces") && !path.equals("/v1/logs")
                    || !"application/x-protobuf".equals(type)) {
                problem(exchange.getRequestMethod() + " " + path + " " + type);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (path.equals("/v1/logs")) {
                List<ReceivedLog> received = new ArrayList<>();
                for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(body).getResourceLogsList()) {
                    for (ScopeLogs sl : rl.getScopeLogsList()) {
                        sl.getLogRecordsList().forEach(log -> received.add(new ReceivedLog(log, rl.getResource())));
                    }
                }
                synchronized (this) {
                    logs.addAll(received);
                }
                answer(exchange, ExportLogsServiceResponse.getDefaultInstance().toByteArray());
                return;
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            List<Received> received = new ArrayList<>();
            for (ResourceSpans rs : request.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span span : ss.getSpansList()) {
                        received.add(new Received(span, rs.getResource(), ss.getScope().getName(), headers));
                    }
                }
            }
            synchronized (this) {
                spans.addAll(received);
                requestSizes.add(received.size());
            }
            answer(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        }
    }

    private static void answer(HttpExchange exchange, byte[] answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private synchronized void problem(String what) {
        problems.add(what);
    }

    synchronized List<Received> spans() {
        return List.copyOf(spans);
    }

    synchronized List<ReceivedLog> logs() {
        return List.copyOf(logs);
    }

    synchronized List<Integer> requestSizes() {
        return List.copyOf(requestSizes);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    Received span(String name) {
        return spans().stream().filter(r -> r.span().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span named " + name + " arrived"));
    }

    static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), text(kv.getValue()));
        }
        return out;
    }

    private static String text(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return value.getStringValue();
            case INT_VALUE: return Long.toString(value.getIntValue());
            case DOUBLE_VALUE: return Double.toString(value.getDoubleValue());
            case BOOL_VALUE: return Boolean.toString(value.getBoolValue());
            case ARRAY_VALUE: {
                List<String> items = new ArrayList<>();
                value.getArrayValue().getValuesList().forEach(v -> items.add(text(v)));
                return items.toString();
            }
            default: return value.toString();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
