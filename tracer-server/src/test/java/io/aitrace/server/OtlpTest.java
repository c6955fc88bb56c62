package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.core.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OtlpTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.token("otlp-token"));
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = server.api().withToken("otlp-token");
    }

    private static SdkTracerProvider provider(String compression) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(server.url() + "/v1/traces")
                .setCompression(compression)
                .addHeader("Authorization", "Bearer otlp-token")
                .build();
        return SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "otel-agent"))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
    }

    @Test
    void spansFromTheSdksOwnOtlpExporterArriveIntact() {
        SdkTracerProvider provider = provider("none");
        Tracer tracer = provider.get("otlp-test");
        Span root = tracer.spanBuilder("agent run").setSpanKind(SpanKind.SERVER).startSpan();
        Span first;
        Span retry;
        try (Scope ignored = root.makeCurrent()) {
            first = tracer.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT)
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.request.model", "gpt-4o")
                    .setAttribute("gen_ai.usage.input_tokens", 42L)
                    .setAttribute("gen_ai.usage.output_tokens", 7L)
                    .startSpan();
            first.addEvent("model picked", Attributes.of(AttributeKey.stringKey("why"), "cheapest"));
            first.recordException(new java.io.IOException("model timed out"));
            first.setStatus(StatusCode.ERROR, "model timed out");
            first.end();
            retry = tracer.spanBuilder("chat retry")
                    .addLink(first.getSpanContext(), Attributes.of(AttributeKey.stringKey("aitrace.edge_type"),
                            "retry_of"))
                    .setAttribute("aitrace.node_type", "llm")
                    .startSpan();
            retry.end();
        }
        root.end();
        assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        provider.shutdown().join(30, TimeUnit.SECONDS);

        String traceId = root.getSpanContext().getTraceId();
        JsonNode trace = api.get("/api/trace/" + traceId).json();
        assertThat(trace.path("spans")).hasSize(3);
        assertThat(trace.path("roots").toString()).isEqualTo("[\"" + root.getSpanContext().getSpanId() + "\"]");
        JsonNode chat = spanNamed(trace, "chat gpt-4o");
        assertThat(chat.path("parent_span_id").asText()).isEqualTo(root.getSpanContext().getSpanId());
        assertThat(chat.path("node_type").asText()).isEqualTo("llm");
        assertThat(chat.path("span_kind").asText()).isEqualTo("CLIENT");
        assertThat(chat.path("status").asText()).isEqualTo("error");
        assertThat(chat.path("error").path("type").asText()).isEqualTo("java.io.IOException");
        assertThat(chat.path("error").path("message").asText()).isEqualTo("model timed out");
        assertThat(chat.path("error").path("stack").asText()).contains("OtlpTest");
        assertThat(chat.path("attributes").path("gen_ai.request.model").asText()).isEqualTo("gpt-4o");
        assertThat(chat.path("attributes").path("gen_ai.usage.input_tokens").asLong()).isEqualTo(42);
        assertThat(chat.path("annotations").get(0).path("text").asText()).isEqualTo("model picked {\"why\":\"cheapest\"}");
        assertThat(chat.path("resource").path("service.name").asText()).isEqualTo("otel-agent");
        assertThat(chat.path("end").isNull()).isFalse();
        JsonNode retried = spanNamed(trace, "chat retry");
        assertThat(retried.path("edges").toString()).isEqualTo("[{\"type\":\"retry_of\",\"trace_id\":\"" + traceId
                + "\",\"span_id\":\"" + first.getSpanContext().getSpanId() + "\"}]");
        assertThat(trace.path("edges").get(0).path("from").asText()).isEqualTo(retry.getSpanContext().getSpanId());
        assertThat(spanNamed(trace, "agent run").path("span_kind").asText()).isEqualTo("SERVER");

        JsonNode row = api.get("/api/traces?service=otel-agent").json().path("traces").get(0);
        assertThat(row.path("trace_id").asText()).isEqualTo(traceId);
        assertThat(row.path("root_name").asText()).isEqualTo("agent run");
        assertThat(row.path("error_count").asInt()).isEqualTo(1);
        assertThat(row.path("input_tokens").asInt()).isEqualTo(42);
    }

    @Test
    void aitracesOwnOtlpExportComesBackAsTheRecordsItWasMadeFrom() {
        TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder()
                .environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", server.url(), "OTEL_SERVICE_NAME", "weather-agent",
                        "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20otlp-token"))
                .systemProperties(new Properties()).configFile(server.dir().resolve("none.properties"))
                .target("none").build());
        io.aitrace.Span failed;
        io.aitrace.Span retry;
        io.aitrace.Span agent;
        try {
            io.aitrace.Tracer tracer = runtime.tracer("OtlpTest");
            try (io.aitrace.Span run = tracer.span("weather_agent", NodeType.AGENT)) {
                agent = run;
                run.input("question", "What's the weather in Paris?");
                try (io.aitrace.Span attempt = tracer.span("weather_api", NodeType.TOOL)) {
                    failed = attempt;
                    attempt.error(new java.io.IOException("connection reset"));
                }
                try (io.aitrace.Span again = tracer.span("weather_api", NodeType.TOOL)) {
                    retry = again;
                    again.edge(EdgeType.RETRY_OF, failed);
                    again.annotate("second attempt after a reset");
                    again.output(Map.of("temp_c", 18));
                    again.evaluate("faithfulness", 0.8, "pass", "matches the API's answer");
                }
                run.output("answer", "18°C");
            }
            runtime.flush();
            agent.evaluate("helpfulness", 0.9, null, "answered the question"); // after the span was sent
            runtime.flush();
        } finally {
            runtime.close();
        }

        String traceId = agent.traceId();
        assertThat(Await.until(() -> api.get("/api/trace/" + traceId).json().path("spans").size() == 3)).isTrue();
        JsonNode trace = api.get("/api/trace/" + traceId).json();
        JsonNode root = spanNamed(trace, "weather_agent");
        assertThat(root.path("node_type").asText()).isEqualTo("agent");
        assertThat(root.path("input").toString()).isEqualTo("{\"question\":\"What's the weather in Paris?\"}");
        assertThat(root.path("output").toString()).isEqualTo("{\"answer\":\"18°C\"}");
        assertThat(root.path("attributes").has("input.value")).isFalse();
        assertThat(root.path("resource").path("service.name").asText()).isEqualTo("weather-agent");
        JsonNode again = null;
        for (JsonNode span : trace.path("spans")) {
            if (span.path("span_id").asText().equals(retry.spanId())) {
                again = span;
            }
        }
        assertThat(again.path("node_type").asText()).isEqualTo("tool");
        assertThat(again.path("annotations").get(0).path("text").asText()).isEqualTo("second attempt after a reset");
        assertThat(again.path("edges").get(0).path("type").asText()).isEqualTo("retry_of");
        assertThat(again.path("edges").get(0).path("span_id").asText()).isEqualTo(failed.spanId());
        assertThat(again.path("output").path("temp_c").asInt()).isEqualTo(18);
        JsonNode evaluation = again.path("evaluations").get(0); // a gen_ai.evaluation.result event on the way
        assertThat(evaluation.path("name").asText()).isEqualTo("faithfulness");
        assertThat(evaluation.path("score").asDouble()).isEqualTo(0.8);
        assertThat(evaluation.path("label").asText()).isEqualTo("pass");
        assertThat(evaluation.path("explanation").asText()).isEqualTo("matches the API's answer");
        // the late one came as a gen_ai.evaluation.result log record to /v1/logs
        assertThat(Await.until(() -> evaluationsOf(traceId, agent.spanId()).contains("helpfulness 0.9"))).isTrue();
    }

    /** "name score" of each evaluation of the span, in the span record or sent for it later. */
    private static List<String> evaluationsOf(String traceId, String spanId) {
        JsonNode trace = api.get("/api/trace/" + traceId).json();
        List<String> found = new ArrayList<>();
        for (JsonNode span : trace.path("spans")) {
            if (span.path("span_id").asText().equals(spanId)) {
                span.path("evaluations").forEach(e -> found.add(e.path("name").asText() + " " + e.path("score").asText()));
            }
        }
        for (JsonNode e : trace.path("evaluations")) {
            if (e.path("span_id").asText().equals(spanId)) {
                found.add(e.path("name").asText() + " " + e.path("score").asText());
            }
        }
        return found;
    }

    @Test
    void otlpLogsKeepTheEvaluationEventsAndAnswerOtherLogRecordsAsRejected() {
        String traceId = "5b8aa5a2d2c872e8321cf37308d69df2";
        String spanId = "051581bf3cb55c13";
        api.postNdjson(Records.span(traceId, spanId, null, "answer", "2026-11-21T18:00:00.000000Z",
                "2026-11-21T18:00:01.000000Z"));
        String body = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":["
                + "{\"timeUnixNano\":\"1763748002000000000\",\"eventName\":\"gen_ai.evaluation.result\","
                + "\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"attributes\":["
                + "{\"key\":\"gen_ai.evaluation.name\",\"value\":{\"stringValue\":\"faithfulness\"}},"
                + "{\"key\":\"gen_ai.evaluation.score.value\",\"value\":{\"doubleValue\":0.3}},"
                + "{\"key\":\"gen_ai.evaluation.score.label\",\"value\":{\"stringValue\":\"fail\"}}]},"
                + "{\"timeUnixNano\":\"1763748002000000000\",\"body\":{\"stringValue\":\"a plain log line\"}}]}]}]}";

        ApiClient.Answer answer = api.post("/v1/logs", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("partialSuccess").path("rejectedLogRecords").asText()).isEqualTo("1");
        assertThat(answer.json().path("partialSuccess").path("errorMessage").asText())
                .contains("not gen_ai.evaluation.result events");
        assertThat(evaluationsOf(traceId, spanId)).containsExactly("faithfulness 0.3");
        assertThat(api.post("/v1/logs", "text/plain", new byte[0]).status()).isEqualTo(415);
    }

    @Test
    void logEventsBecomeLogRecordsOfTheirSpan() {
        String traceId = Records.traceId();
        String spanId = Records.spanId();
        String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + traceId
                + "\",\"spanId\":\"" + spanId + "\",\"name\":\"step\",\"startTimeUnixNano\":\"1763748000000000000\","
                + "\"endTimeUnixNano\":\"1763748001000000000\",\"events\":[{\"name\":\"log\","
                + "\"timeUnixNano\":\"1763748000500000000\",\"attributes\":[{\"key\":\"message\",\"value\":"
                + "{\"stringValue\":\"calling model\"}},{\"key\":\"log.level\",\"value\":{\"stringValue\":\"warn\"}},"
                + "{\"key\":\"user_id\",\"value\":{\"intValue\":\"42\"}}]}]}]}]}]}";

        assertThat(api.post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        JsonNode trace = api.get("/api/trace/" + traceId).json();
        assertThat(trace.path("spans").get(0).path("annotations")).isEmpty();
        JsonNode log = trace.path("logs").get(0);
        assertThat(log.path("event").asText()).isEqualTo("calling model");
        assertThat(log.path("level").asText()).isEqualTo("warn");
        assertThat(log.path("span_id").asText()).isEqualTo(spanId);
        assertThat(log.path("timestamp").asText()).isEqualTo("2025-11-21T18:00:00.500000Z");
        assertThat(log.path("attrs").toString()).isEqualTo("{\"user_id\":42}");
    }

    @Test
    void gzipCompressedExportsArriveToo() {
        SdkTracerProvider provider = provider("gzip");
        Span span = provider.get("otlp-test").spanBuilder("zipped").startSpan();
        span.end();
        assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        provider.shutdown().join(30, TimeUnit.SECONDS);

        assertThat(api.get("/api/trace/" + span.getSpanContext().getTraceId()).json().path("spans").get(0)
                .path("name").asText()).isEqualTo("zipped");
    }

    @Test
    void otlpJsonWithHexIdsIsStored() {
        String traceId = Records.traceId();
        String spanId = Records.spanId();
        String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"json-agent\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"js\"},"
                + "\"spans\":[{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"parentSpanId\":\"\","
                + "\"name\":\"tool call\",\"kind\":3,\"startTimeUnixNano\":\"1763748000000000000\","
                + "\"endTimeUnixNano\":\"1763748000250000000\",\"attributes\":[{\"key\":\"gen_ai.operation.name\","
                + "\"value\":{\"stringValue\":\"execute_tool\"}},{\"key\":\"retries\",\"value\":{\"intValue\":\"2\"}},"
                + "{\"key\":\"tags\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},"
                + "{\"boolValue\":true}]}}}],\"status\":{\"code\":\"STATUS_CODE_OK\"},\"unknownField\":1}]}]}]}";

        ApiClient.Answer answer = api.post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{}");
        JsonNode span = api.get("/api/trace/" + traceId).json().path("spans").get(0);
        assertThat(span.path("span_id").asText()).isEqualTo(spanId);
        assertThat(span.path("parent_span_id").isNull()).isTrue();
        assertThat(span.path("node_type").asText()).isEqualTo("tool");
        assertThat(span.path("span_kind").asText()).isEqualTo("CLIENT");
        assertThat(span.path("start").asText()).isEqualTo("2025-11-21T18:00:00.000000Z");
        assertThat(span.path("duration_ms").asDouble()).isEqualTo(250.0);
        assertThat(span.path("status").asText()).isEqualTo("ok");
        assertThat(span.path("attributes").path("retries").asInt()).isEqualTo(2);
        assertThat(span.path("attributes").path("tags").toString()).isEqualTo("[\"a\",true]");
        assertThat(span.path("resource").path("service.name").asText()).isEqualTo("json-agent");
    }

    @Test
    void badOtlpBodiesAre400Or415WithTheReason() {
        ApiClient.Answer garbage = api.post("/v1/traces", "application/x-protobuf", new byte[] {(byte) 0xff, 1, 2});
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().path("error").asText()).startsWith("malformed OTLP protobuf: ");

        ApiClient.Answer badId = api.post("/v1/traces", "application/json", ("{\"resourceSpans\":[{\"scopeSpans\":"
                + "[{\"spans\":[{\"traceId\":\"zz\",\"spanId\":\"00f067aa0ba902b7\"}]}]}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().path("error").asText()).startsWith("bad OTLP JSON: $.resourceSpans[0].scopeSpans[0]"
                + ".spans[0].traceId: ");

        ApiClient.Answer shortId = api.post("/v1/traces", "application/json", ("{\"resourceSpans\":[{\"scopeSpans\":"
                + "[{\"spans\":[{\"traceId\":\"0102\",\"spanId\":\"00f067aa0ba902b7\",\"name\":\"x\"}]}]}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(shortId.status()).isEqualTo(400);
        assertThat(shortId.json().path("error").asText())
                .isEqualTo("no span could be stored: span 1: trace_id must be 32 hex digits, not '0102'");

        ApiClient.Answer wrongType = api.post("/v1/traces", "text/plain", new byte[0]);
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.json().path("error").asText()).isEqualTo("unsupported Content-Type 'text/plain' for OTLP"
                + " (send application/x-protobuf or application/json)");
    }

    private static JsonNode spanNamed(JsonNode trace, String name) {
        for (JsonNode span : trace.path("spans")) {
            if (span.path("name").asText().equals(name)) {
                return span;
            }
        }
        throw new AssertionError("no span " + name + " in " + trace);
    }
}
