package io.aitrace.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.aitrace.core.text.TextFit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;

/**
 * Answers {@code /api/*} and {@code /v1/*}: checks the bearer token, routes by method and path, and turns every
 * refusal into {@code {"error":"..."}} with its status. Everything else is the viewer's static files.
 */
final class ApiRouter implements HttpHandler {
    private final Collector collector;
    private final ServerConfig config;
    private final OtlpReceiver otlp;
    private final EventStream stream;
    private final MemoryBudget memory;
    private final BrowserGuard guard;
    /** The shapes and totals of the huge traces viewers open, kept by this collector. */
    private final KeptTraces kept;

    ApiRouter(Collector collector, ServerConfig config, EventStream stream, MemoryBudget memory) {
        this.memory = memory;
        this.guard = new BrowserGuard(config);
        this.collector = collector;
        this.config = config;
        this.otlp = new OtlpReceiver(collector, config.maxBodyBytes());
        this.stream = stream;
        this.kept = new KeptTraces(collector.store());
    }

    KeptTraces kept() {
        return kept;
    }

    /** Ends the work it keeps on threads of its own (the trace list's answers of huge traces). */
    void close() {
        kept.close();
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        ApiExchange exchange = new ApiExchange(http, memory);
        boolean handedOver = false;
        try {
            if (RequestThreads.isShedding()) {
                throw new ApiException(503, "the collector is busy (" + RequestThreads.MAX
                        + " requests in progress); try again shortly").retryAfter(1);
            }
            guard.check(exchange);
            String path = exchange.path();
            if (!path.startsWith("/api/") && !path.startsWith("/v1/")) {
                StaticFiles.serve(exchange);
                return;
            }
            authorize(exchange);
            if (path.equals("/api/stream")) {
                require(exchange, "GET");
                stream.start(exchange);
                handedOver = true; // answered and closed on a stream thread
                return;
            }
            route(exchange, path);
        } catch (TraceDownload.Broken e) {
            handedOver = true; // not closed: closing would send the last chunk
            throw dropConnection(e);
        } catch (ApiException e) {
            if (e.retryAfterSeconds() > 0) {
                http.getResponseHeaders().set("Retry-After", String.valueOf(e.retryAfterSeconds()));
            }
            exchange.sendError(e.status(), e.getMessage());
        } catch (SQLException e) {
            exchange.sendError(500, "database error: " + e.getMessage());
        } catch (RuntimeException e) {
            exchange.sendError(500, "internal error: " + e);
        } finally {
            exchange.releaseMemory();
            if (!handedOver) {
                http.close();
            }
        }
    }

    /**
     * What a handler throws when an answer broke off after its status line: the JDK's server then closes the
     * connection without the chunked body's last chunk (it does so for an exception from a handler whose answer
     * is not finished), which is how a client learns that the body it got is cut.
     */
    static IOException dropConnection(TraceDownload.Broken e) {
        return new IOException(e.getMessage(), e.getCause());
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
        } else if (path.equals("/v1/logs")) {
            require(exchange, "POST");
            otlp.receiveLogs(exchange);
        } else if (path.equals("/api/traces")) {
            require(exchange, "GET");
            // a text filter (q) searches the full-text index: it first takes in every record stored
            Store store = collector.store();
            exchange.sendJson(200, exchange.param("q") == null ? store.read(db -> TraceQueries.traces(db, kept, exchange))
                    : store.readIndexed(db -> TraceQueries.traces(db, kept, exchange)));
        } else if (path.startsWith("/api/trace/") && path.indexOf('/', "/api/trace/".length()) < 0
                && (exchange.param("limit") != null || exchange.param("cursor") != null)) {
            require(exchange, "GET");
            String id = path.substring("/api/trace/".length());
            exchange.sendJson(200, collector.store().read(db -> TracePages.treeOrder(db, kept, id, exchange)));
        } else if (path.startsWith("/api/trace/") && path.matches("/api/trace/[^/]+/timeline")) {
            require(exchange, "GET");
            String id = path.split("/")[3];
            exchange.sendJson(200, collector.store().read(db -> TraceTimeline.bins(db, kept, id, exchange)));
        } else if (path.startsWith("/api/trace/") && path.matches("/api/trace/[^/]+/search")) {
            require(exchange, "GET");
            String id = path.split("/")[3];
            exchange.sendJson(200, collector.store().readIndexed(db -> TracePages.search(db, kept, id, exchange)));
        } else if (path.startsWith("/api/trace/") && path.matches("/api/trace/[^/]+/children/[^/]+")) {
            require(exchange, "GET");
            String[] parts = path.split("/");
            exchange.sendJson(200, collector.store().read(db -> TracePages.children(db, kept, parts[3], parts[5],
                    exchange)));
        } else if (path.startsWith("/api/trace/") && path.matches("/api/trace/[^/]+/path/[^/]+")) {
            require(exchange, "GET");
            String[] parts = path.split("/");
            exchange.sendJson(200, collector.store().read(db -> TracePages.path(db, kept, parts[3], parts[5])));
        } else if (path.startsWith("/api/trace/") && path.matches("/api/trace/[^/]+/(totals|critical-path|logs)")) {
            require(exchange, "GET");
            String[] parts = path.split("/");
            exchange.sendJson(200, collector.store().read(db -> parts[4].equals("logs")
                    ? TraceLogs.page(db, parts[3], exchange) : parts[4].equals("totals")
                    ? TraceTotals.totals(db, kept, parts[3])
                    : TraceTotals.criticalPath(db, kept, parts[3], exchange)));
        } else if (path.startsWith("/api/trace/") && path.indexOf('/', "/api/trace/".length()) < 0) {
            require(exchange, "GET");
            TraceDownload.send(collector.store(), exchange, path.substring("/api/trace/".length()));
        } else if (path.equals("/api/search")) {
            require(exchange, "GET");
            exchange.sendJson(200, collector.store().readIndexed(db -> SearchQueries.search(db, exchange)));
        } else if (path.equals("/api/prices")) {
            require(exchange, "GET");
            exchange.send(200, "application/json; charset=utf-8",
                    TraceAnswers.prices().toJson().getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/api/stats")) {
            require(exchange, "GET");
            exchange.sendJson(200, collector.stats().put("request_memory_bytes", memory.used())
                    .put("request_memory_budget_bytes", memory.budget()).put("streams", stream.open()));
        } else {
            throw new ApiException(404, "no endpoint " + TextFit.cut(method, 20) + " " + TextFit.cut(path, 100));
        }
    }

    private byte[] body(ApiExchange exchange) throws IOException {
        String type = exchange.contentType();
        if (type != null && !IngestBody.MEDIA_TYPES.contains(type)) {
            throw new ApiException(415, "unsupported Content-Type '" + TextFit.cut(type, 100)
                    + "' (send application/json or application/x-ndjson)");
        }
        return exchange.body(config.maxBodyBytes());
    }

    private void ingest(ApiExchange exchange, IngestBody body) throws IOException {
        ObjectNode answer = RecordJson.MAPPER.createObjectNode();
        ArrayNode rejected = RecordJson.MAPPER.createArrayNode();
        body.rejected().forEach(r -> rejected.addObject().put("line", r.line()).put("error", r.error()));
        if (body.records().isEmpty() && !body.rejected().isEmpty()) {
            collector.storeAndWait(body.records(), body.dropped(), body.rejectedCount(), null);
            IngestBody.Rejection first = body.rejected().get(0);
            answer.put("error", "no record could be ingested: line " + first.line() + ": " + first.error());
            answer.put("ingested", 0);
            answer.set("rejected", rejected);
            rejectedCount(answer, body);
            exchange.sendJson(400, answer);
            return;
        }
        int stored = collector.storeAndWait(body.records(), body.dropped(), body.rejectedCount(), null);
        answer.put("ingested", stored);
        answer.set("rejected", rejected);
        rejectedCount(answer, body);
        exchange.sendJson(200, answer);
    }

    /** Past {@value IngestBody#MAX_LISTED} refused records only the first are listed; the count says how many. */
    private static void rejectedCount(ObjectNode answer, IngestBody body) {
        if (body.rejectedCount() > body.rejected().size()) {
            answer.put("rejected_count", body.rejectedCount());
        }
    }

    private static void require(ApiExchange exchange, String method) {
        if (!exchange.method().equals(method) && !(method.equals("GET") && exchange.method().equals("HEAD"))) {
            throw new ApiException(405, TextFit.cut(exchange.method(), 20) + " is not allowed on "
                    + TextFit.cut(exchange.path(), 100) + " (use " + method + ")");
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
