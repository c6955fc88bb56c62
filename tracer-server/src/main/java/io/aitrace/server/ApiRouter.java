package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Answers {@code /api/*} and {@code /v1/*}: checks the bearer token, routes by method and path, and turns every
 * refusal into {@code {"error":"..."}} with its status. Everything else is the viewer's static files.
 */
final class ApiRouter implements HttpHandler {
    private final Collector collector;
    private final ServerConfig config;
    private final OtlpReceiver otlp;
    private final EventStream stream;
    private final Supplier<Boolean> open;

    ApiRouter(Collector collector, ServerConfig config, Supplier<Boolean> open) {
        this.collector = collector;
        this.config = config;
        this.otlp = new OtlpReceiver(collector, config.maxBodyBytes());
        this.stream = new EventStream(collector.feed(), config.heartbeat(), open);
        this.open = open;
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        ApiExchange exchange = new ApiExchange(http);
        try {
            String path = exchange.path();
            if (!path.startsWith("/api/") && !path.startsWith("/v1/")) {
                StaticFiles.serve(exchange);
                return;
            }
            authorize(exchange);
            route(exchange, path);
        } catch (ApiException e) {
            exchange.sendError(e.status(), e.getMessage());
        } catch (SQLException e) {
            exchange.sendError(500, "database error: " + e.getMessage());
        } catch (RuntimeException e) {
            exchange.sendError(500, "internal error: " + e);
        } finally {
            http.close();
        }
    }

    private void route(ApiExchange exchange, String path) throws IOException, SQLException {
        String method = exchange.method();
        if (path.equals("/api/ingest")) {
            require(exchange, "POST");
            ingest(exchange, IngestBody.parse(body(exchange)));
        } else if (path.equals("/api/evaluations")) {
            require(exchange, "POST");
            ingest(exchange, IngestBody.parseEvaluations(body(exchange)));
        } else if (path.equals("/v1/traces")) {
            require(exchange, "POST");
            otlp.receive(exchange);
        } else if (path.equals("/api/traces")) {
            require(exchange, "GET");
            exchange.sendJson(200, collector.store().read(db -> TraceQueries.traces(db, exchange)));
        } else if (path.startsWith("/api/trace/") && path.indexOf('/', "/api/trace/".length()) < 0) {
            require(exchange, "GET");
            String id = path.substring("/api/trace/".length());
            ObjectNode trace = collector.store().read(db -> TraceQueries.trace(db, id));
            if (trace == null) {
                throw new ApiException(404, "no trace " + id);
            }
            exchange.sendJson(200, trace);
        } else if (path.equals("/api/search")) {
            require(exchange, "GET");
            exchange.sendJson(200, collector.store().read(db -> SearchQueries.search(db, exchange)));
        } else if (path.equals("/api/stream")) {
            require(exchange, "GET");
            stream.serve(exchange);
        } else if (path.equals("/api/prices")) {
            require(exchange, "GET");
            exchange.send(200, "application/json; charset=utf-8",
                    TraceAnswers.prices().toJson().getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/api/stats")) {
            require(exchange, "GET");
            exchange.sendJson(200, collector.stats());
        } else {
            throw new ApiException(404, "no endpoint " + method + " " + path);
        }
    }

    private byte[] body(ApiExchange exchange) throws IOException {
        String type = exchange.contentType();
        if (type != null && !IngestBody.MEDIA_TYPES.contains(type)) {
            throw new ApiException(415, "unsupported Content-Type '" + type
                    + "' (send application/json or application/x-ndjson)");
        }
        return exchange.body(config.maxBodyBytes());
    }

    private void ingest(ApiExchange exchange, IngestBody body) throws IOException {
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        ArrayNode rejected = RecordJson.MAPPER.createArrayNode();
        body.rejected().forEach(r -> rejected.addObject().put("line", r.line()).put("error", r.error()));
        if (body.records().isEmpty() && !body.rejected().isEmpty()) {
            collector.storeAndWait(body.records(), body.dropped(), body.rejected().size(), null);
            IngestBody.Rejection first = body.rejected().get(0);
            answer.put("error", "no record could be ingested: line " + first.line() + ": " + first.error());
            answer.put("ingested", 0);
            answer.set("rejected", rejected);
            exchange.sendJson(400, answer);
            return;
        }
        int stored = collector.storeAndWait(body.records(), body.dropped(), body.rejected().size(), null);
        answer.put("ingested", stored);
        answer.set("rejected", rejected);
        exchange.sendJson(200, answer);
    }

    private static void require(ApiExchange exchange, String method) {
        if (!exchange.method().equals(method) && !(method.equals("GET") && exchange.method().equals("HEAD"))) {
            throw new ApiException(405, exchange.method() + " is not allowed on " + exchange.path() + " (use " + method + ")");
        }
    }

    /**
     * With a token configured: {@code Authorization: Bearer <token>}, or {@code ?access_token=<token>} on a GET (a
     * browser's EventSource cannot set headers).
     */
    private void authorize(ApiExchange exchange) {
        String token = config.token();
        if (token == null) {
            return;
        }
        String given = null;
        String header = exchange.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).trim();
        } else if ("GET".equals(exchange.method()) || "HEAD".equals(exchange.method())) {
            given = exchange.param("access_token");
        }
        if (given == null) {
            throw new ApiException(401, "missing bearer token (send Authorization: Bearer <token>)");
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "wrong bearer token");
        }
    }
}
