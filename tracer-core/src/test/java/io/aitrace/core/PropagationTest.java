package io.aitrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.aitrace.Tracer;
import io.aitrace.Tracing;
import io.aitrace.core.internal.span.W3cPropagation;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** W3C Trace Context and baggage between two tracers, over real HTTP and from bad headers. */
class PropagationTest {
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private final MemoryTarget clientRecords = new MemoryTarget();
    private final MemoryTarget serverRecords = new MemoryTarget();
    private TracerRuntime client;
    private TracerRuntime server;
    private HttpServer http;

    @AfterEach
    void close() {
        if (http != null) {
            http.stop(0);
        }
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    /** The client is the global runtime (Tracing.inject), the server one of its own, as in two processes. */
    private void start(boolean baggage) throws Exception {
        client = TracerRuntime.install(MemoryTarget.config(clientRecords).serviceName("client")
                .propagateBaggage(baggage).build());
        server = TracerRuntime.create(MemoryTarget.config(serverRecords).serviceName("server")
                .propagateBaggage(baggage).build());
        Tracer serverTracer = server.tracer("server");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/agent", exchange -> {
            Span caller = server.extract(exchange.getRequestHeaders()::getFirst);
            try (Span handle = serverTracer.span("handle", NodeType.AGENT, caller)) {
                tracerCallInside(serverTracer);
            }
            byte[] body = "done".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }

    private static void tracerCallInside(Tracer tracer) {
        tracer.run("lookup", NodeType.TOOL, () -> { });
    }

    private String callServer() throws Exception {
        Tracer tracer = client.tracer("client");
        try (Span run = tracer.span("orchestrator", NodeType.AGENT)) {
            run.inheritableAttribute("gen_ai.conversation.id", "conv-7").inheritableAttribute("api_token", "s3cret");
            try (Span call = tracer.span("call_remote_agent", NodeType.TOOL, SpanKind.CLIENT)) {
                HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/agent"));
                Tracing.inject(request::header);
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                return call.spanId();
            }
        } finally {
            client.flush();
            server.flush();
        }
    }

    @Test
    void twoTracersOverHttpMakeOneTraceWithTheServerSpanUnderTheClientSpan() throws Exception {
        start(false);
        String callSpanId = callServer();
        JsonNode call = clientRecords.endedSpans().get("call_remote_agent");
        JsonNode handle = serverRecords.endedSpans().get("handle");
        assertThat(handle.path("trace_id").asText()).isEqualTo(call.path("trace_id").asText());
        assertThat(handle.path("parent_span_id").asText()).isEqualTo(callSpanId);
        assertThat(handle.path("resource").path("service.name").asText()).isEqualTo("server");
        JsonNode lookup = serverRecords.endedSpans().get("lookup");
        assertThat(lookup.path("parent_span_id").asText()).isEqualTo(handle.path("span_id").asText());
        assertThat(lookup.path("trace_id").asText()).isEqualTo(call.path("trace_id").asText());
    }

    @Test
    void withoutBaggagePropagationInheritableAttributesStayInTheProcess() throws Exception {
        start(false);
        callServer();
        assertThat(serverRecords.endedSpans().get("handle").path("attributes").has("gen_ai.conversation.id")).isFalse();
        assertThat(clientRecords.endedSpans().get("call_remote_agent").path("attributes")
                .path("gen_ai.conversation.id").asText()).isEqualTo("conv-7");
    }

    @Test
    void withBaggagePropagationInheritableAttributesTravelMaskedAndReachTheServersDescendants() throws Exception {
        start(true);
        callServer();
        JsonNode handle = serverRecords.endedSpans().get("handle");
        assertThat(handle.path("attributes").path("gen_ai.conversation.id").asText()).isEqualTo("conv-7");
        assertThat(handle.path("attributes").path("api_token").asText()).isEqualTo("***");
        assertThat(serverRecords.endedSpans().get("lookup").path("attributes").path("gen_ai.conversation.id")
                .asText()).isEqualTo("conv-7");
    }

    @Test
    void baggageIsCutToTheW3cSizeLimit() throws Exception {
        client = TracerRuntime.create(MemoryTarget.config(clientRecords).propagateBaggage(true).build());
        Map<String, String> headers = new HashMap<>();
        try (Span run = client.tracer("client").span("orchestrator", NodeType.AGENT)) {
            for (int i = 0; i < 100; i++) {
                run.inheritableAttribute("key" + i, "x".repeat(200));
            }
            client.inject(headers::put);
        }
        assertThat(headers.get("baggage")).hasSizeLessThanOrEqualTo(W3cPropagation.MAX_BAGGAGE_BYTES);
        assertThat(headers.get("baggage").split(",")).hasSizeGreaterThan(10).hasSizeLessThanOrEqualTo(64);
        // sampled, and "random trace ID" since OpenTelemetry 1.67
        assertThat(headers.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
    }

    @Test
    void injectWithNoCurrentSpanWritesNothingAndExtractWithNoHeaderIsTheNoopSpan() throws Exception {
        client = TracerRuntime.create(MemoryTarget.config(clientRecords).build());
        Map<String, String> headers = new HashMap<>();
        String err = Stderr.capture(() -> {
            client.inject(headers::put);
            Span none = client.extract(headers::get);
            assertThat(none.isRecording()).isFalse();
            assertThat(none.traceId()).isEmpty();
        });
        assertThat(headers).isEmpty();
        assertThat(err).isEmpty();
    }

    @Test
    void anExtractedSpanCarriesTheCallersIdsAndRecordsNothing() {
        server = TracerRuntime.create(MemoryTarget.config(serverRecords).build());
        Span caller = server.extract(Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")::get);
        assertThat(caller.traceId()).isEqualTo(CALLER_TRACE);
        assertThat(caller.spanId()).isEqualTo(CALLER_SPAN);
        assertThat(caller.isRecording()).isFalse();
        caller.annotate("ignored").close();
        try (Span handle = server.tracer("server").span("handle", NodeType.AGENT, caller)) {
            assertThat(handle.traceId()).isEqualTo(CALLER_TRACE);
        }
        Span async = server.tracer("server").startSpan("async_handle", NodeType.AGENT, SpanKind.SERVER, caller);
        async.close();
        server.flush();
        assertThat(serverRecords.endedSpans().get("handle").path("parent_span_id").asText()).isEqualTo(CALLER_SPAN);
        assertThat(serverRecords.endedSpans().get("async_handle").path("parent_span_id").asText())
                .isEqualTo(CALLER_SPAN);
        assertThat(serverRecords.records(r -> "span".equals(r.path("type").asText())))
                .noneMatch(r -> r.path("span_id").asText().equals(CALLER_SPAN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "01"})
    void theCallersSampledFlagAndTraceStateTravelOnToTheNextHopAndARootIsSampled(String flags) {
        server = TracerRuntime.create(MemoryTarget.config(serverRecords).build());
        Tracer tracer = server.tracer("server");
        Span caller = server.extract(Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-" + flags,
                "tracestate", "vendor=abc")::get);
        Map<String, String> next = new HashMap<>();
        Map<String, String> fromRoot = new HashMap<>();
        String spanId;
        try (Span handle = tracer.span("handle", NodeType.AGENT, caller)) {
            spanId = handle.spanId();
            server.inject(next::put);
        }
        try (Span root = tracer.span("root")) {
            server.inject(fromRoot::put);
            assertThat(fromRoot.get("traceparent")).isEqualTo("00-" + root.traceId() + "-" + root.spanId() + "-01");
        }
        assertThat(spanId).matches("[0-9a-f]{16}").isNotEqualTo(CALLER_SPAN);
        assertThat(next.get("traceparent")).isEqualTo("00-" + CALLER_TRACE + "-" + spanId + "-" + flags);
        assertThat(next.get("tracestate")).isEqualTo("vendor=abc");
        assertThat(fromRoot).doesNotContainKey("tracestate");
        server.flush();
        assertThat(serverRecords.endedSpans().get("handle").path("parent_span_id").asText()).isEqualTo(CALLER_SPAN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",      // version ff is invalid
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-00",   // version 00 has exactly four fields
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",       // trace ID one digit short
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",      // all-zero trace ID
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",      // all-zero span ID
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",      // upper-case hex
        "junk"})
    void aMalformedTraceparentGivesANewTraceAndOneLineNamingTheHeader(String header) throws Exception {
        server = TracerRuntime.create(MemoryTarget.config(serverRecords).build());
        String err = Stderr.capture(() -> {
            Span caller = server.extract(name -> name.equals("traceparent") ? header : null);
            assertThat(caller.isRecording()).isFalse();
            assertThat(caller.traceId()).isEmpty();
            try (Span handle = server.tracer("server").span("handle", NodeType.AGENT, caller)) {
                handle.annotate("a trace of its own");
            }
            server.extract(name -> name.equals("traceparent") ? header : null); // reported once
        });
        server.flush();
        JsonNode handle = serverRecords.endedSpans().get("handle");
        assertThat(handle.path("parent_span_id").isNull()).isTrue();
        assertThat(handle.path("trace_id").asText()).matches("[0-9a-f]{32}").isNotEqualToIgnoringCase(CALLER_TRACE);
        assertThat(err.lines()).hasSize(1);
        assertThat(err).startsWith("aitrace: ignored a malformed traceparent header '" + header + "'");
    }

    @Test
    void tracingInjectAndExtractGoThroughTheGlobalRuntime() {
        client = TracerRuntime.install(MemoryTarget.config(clientRecords).build());
        Map<String, String> headers = new HashMap<>();
        String traceId;
        try (Span run = client.tracer("client").span("orchestrator", NodeType.AGENT)) {
            traceId = run.traceId();
            Tracing.inject(headers::put);
            assertThat(headers.get("traceparent")).startsWith("00-" + traceId + "-" + run.spanId() + "-");
        }
        Span remote = Tracing.extract(headers::get);
        assertThat(remote.traceId()).isEqualTo(traceId);
    }

    @Test
    void anExtractedSpanMadeCurrentIsTheParentOfSpansStartedInside() {
        server = TracerRuntime.create(MemoryTarget.config(serverRecords).build());
        Tracer tracer = server.tracer("server");
        Span caller = server.extract(Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")::get);
        try (io.aitrace.Scope scope = caller.makeCurrent()) {
            tracer.run("handle", NodeType.AGENT, () -> { });
            assertThat(tracer.currentSpan().isRecording()).isFalse(); // the remote span records nothing
        }
        try (Span after = tracer.span("after")) {
            assertThat(after.traceId()).isNotEqualTo(CALLER_TRACE);
        }
        server.flush();
        JsonNode handle = serverRecords.endedSpans().get("handle");
        assertThat(handle.path("trace_id").asText()).isEqualTo(CALLER_TRACE);
        assertThat(handle.path("parent_span_id").asText()).isEqualTo(CALLER_SPAN);
    }
}
