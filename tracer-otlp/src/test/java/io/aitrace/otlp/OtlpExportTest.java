package io.aitrace.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aitrace.core.Await;
import io.aitrace.core.RecordLines;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.Tracer;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpExportTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OtlpTestReceiver RECEIVER = new OtlpTestReceiver();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<TracerRuntime> runtimes = new ArrayList<>();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void closeRuntimes() {
        runtimes.forEach(TracerRuntime::close);
        System.setErr(originalErr);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void anAgentRunArrivesWithEverySpanItsLinksEventsStatusKindAndResource() throws Exception {
        TracerRuntime runtime = runtime(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", RECEIVER.baseUrl(),
                "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Basic cGs6c2s+Lw==,x-team=agents%20one"));
        Tracer tracer = runtime.tracer("OtlpExportTest");
        String conversation = "conv-" + System.identityHashCode(this);
        Span failedAttempt;
        try (Span agent = tracer.span("weather_agent", NodeType.AGENT)) {
            agent.inheritableAttribute("gen_ai.conversation.id", conversation);
            agent.input("question", "What's the weather in Paris?");
            try (Span llm = tracer.span("classify_intent", NodeType.LLM)) {
                llm.attribute("gen_ai.operation.name", "chat");
                llm.attribute("gen_ai.request.model", "gpt-4o");
                llm.attribute("gen_ai.usage.input_tokens", 12);
                llm.attribute("gen_ai.usage.output_tokens", 3);
                llm.input("query", "What's the weather in Paris?");
                llm.output("intent", "weather_lookup");
            }
            try (Span failed = tracer.span("weather_api", NodeType.TOOL)) {
                failedAttempt = failed;
                failed.error(new IOException("connection reset by weather service"));
            }
            try (Span retry = tracer.span("weather_api", NodeType.TOOL)) {
                retry.edge(EdgeType.RETRY_OF, failedAttempt);
                retry.annotate("second attempt after a reset");
                retry.output(Map.of("temp_c", 18, "sky", "clear"));
            }
            agent.output("answer", "18°C and clear");
        }
        runtime.flush();
        String failedId = failedAttempt.spanId();

        assertThat(Await.until(() -> RECEIVER.spans().stream()
                .filter(r -> conversation.equals(r.attributes().get("gen_ai.conversation.id"))).count() == 4, PATIENCE))
                .as("four spans of the run arrive").isTrue();
        List<OtlpTestReceiver.Received> run = RECEIVER.spans().stream()
                .filter(r -> conversation.equals(r.attributes().get("gen_ai.conversation.id"))).toList();
        Map<String, JsonNode> written = endedSpansInFile();

        OtlpTestReceiver.Received agent = only(run, "weather_agent");
        OtlpTestReceiver.Received llm = only(run, "classify_intent");
        List<OtlpTestReceiver.Received> tools = run.stream().filter(r -> r.span().getName().equals("weather_api")).toList();
        OtlpTestReceiver.Received failed = tools.stream().filter(r -> r.spanId().equals(failedId)).findFirst().orElseThrow();
        OtlpTestReceiver.Received retry = tools.stream().filter(r -> !r.spanId().equals(failedId)).findFirst().orElseThrow();

        // Every span keeps the IDs, parents and times the file records have.
        for (OtlpTestReceiver.Received span : run) {
            JsonNode record = written.get(span.spanId());
            assertThat(record).as("file record of %s", span.span().getName()).isNotNull();
            assertThat(span.traceId()).isEqualTo(record.path("trace_id").asText());
            assertThat(span.parentSpanId()).isEqualTo(record.path("parent_span_id").asText(""));
            // the record's times to its microsecond; OTLP gets the span's nanoseconds
            assertThat(span.span().getStartTimeUnixNano() / 1_000).isEqualTo(nanos(record.path("start")) / 1_000);
            assertThat(span.span().getEndTimeUnixNano() / 1_000).isEqualTo(nanos(record.path("end")) / 1_000);
            assertThat(span.span().getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL);
            assertThat(span.resourceAttribute("service.name")).isEqualTo("weather-agent");
            assertThat(span.scope()).isEqualTo("io.aitrace");
            assertThat(span.headers()).containsEntry("authorization", "Basic cGs6c2s+Lw==")
                    .containsEntry("x-team", "agents one");
        }
        assertThat(agent.parentSpanId()).isEmpty();
        assertThat(llm.parentSpanId()).isEqualTo(agent.spanId());
        assertThat(retry.parentSpanId()).isEqualTo(agent.spanId());

        assertThat(agent.attributes()).containsEntry("aitrace.node.type", "agent").containsEntry("aitrace.node_type", "agent")
                .containsEntry("openinference.span.kind", "AGENT")
                .containsEntry("input.value", "{\"question\":\"What's the weather in Paris?\"}")
                .containsEntry("input.mime_type", "application/json")
                .containsEntry("output.value", "{\"answer\":\"18°C and clear\"}");
        assertThat(agent.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);

        assertThat(llm.attributes()).containsEntry("aitrace.node.type", "llm")
                .containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.request.model", "gpt-4o")
                .containsEntry("gen_ai.usage.input_tokens", "12")
                .containsEntry("gen_ai.usage.output_tokens", "3")
                .containsEntry("input.value", "{\"query\":\"What's the weather in Paris?\"}")
                .containsEntry("output.value", "{\"intent\":\"weather_lookup\"}");
        assertThat(llm.span().getAttributesList()).filteredOn(kv -> kv.getKey().equals("gen_ai.usage.input_tokens"))
                .singleElement().satisfies(kv -> assertThat(kv.getValue().hasIntValue()).isTrue());

        assertThat(failed.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(failed.span().getStatus().getMessage()).isEqualTo("connection reset by weather service");
        assertThat(failed.span().getEventsList()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getTimeUnixNano()).isEqualTo(failed.span().getEndTimeUnixNano());
            Map<String, String> attributes = OtlpTestReceiver.attributes(event.getAttributesList());
            assertThat(attributes).containsEntry("exception.type", "java.io.IOException")
                    .containsEntry("exception.message", "connection reset by weather service");
            assertThat(attributes.get("exception.stacktrace"))
                    .contains("java.io.IOException: connection reset by weather service")
                    .contains("OtlpExportTest");
        });

        assertThat(retry.span().getLinksList()).singleElement().satisfies(link -> {
            assertThat(OtlpTestReceiver.hex(link.getTraceId())).isEqualTo(failed.traceId());
            assertThat(OtlpTestReceiver.hex(link.getSpanId())).isEqualTo(failedId);
            assertThat(OtlpTestReceiver.attributes(link.getAttributesList())).containsEntry("aitrace.edge.type", "retry_of")
                    .containsEntry("aitrace.edge_type", "retry_of");
        });
        JsonNode retryRecord = written.get(retry.spanId());
        assertThat(retry.span().getEventsList()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("second attempt after a reset");
            assertThat(event.getAttributesList()).isEmpty();
            assertThat(event.getTimeUnixNano() / 1_000)
                    .isEqualTo(nanos(retryRecord.path("annotations").get(0).path("ts")) / 1_000);
            assertThat(event.getTimeUnixNano()).isBetween(retry.span().getStartTimeUnixNano(), retry.span().getEndTimeUnixNano());
        });
        assertThat(JSON.readTree(retry.attributes().get("output.value")))
                .isEqualTo(JSON.readTree("{\"temp_c\":18,\"sky\":\"clear\"}"));
        assertThat(retry.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
        assertThat(RECEIVER.problems()).isEmpty();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void aSecretNestedThreeLevelsDeepInAnInputIsMaskedInWhatTheReceiverGets() {
        TracerRuntime runtime = runtime(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", RECEIVER.baseUrl() + "/v1/traces"));
        Tracer tracer = runtime.tracer("OtlpExportTest");
        String name = "call_with_secret_" + System.identityHashCode(this);
        try (Span span = tracer.span(name, NodeType.TOOL)) {
            span.input("request", Map.of("client", Map.of("connection", Map.of("api_key", "sk-live-1234567890"),
                    "region", "eu")));
        }
        runtime.flush();

        assertThat(Await.until(() -> RECEIVER.spans().stream().anyMatch(r -> r.span().getName().equals(name)), PATIENCE))
                .isTrue();
        String input = RECEIVER.span(name).attributes().get("input.value");
        assertThat(input).doesNotContain("sk-live-1234567890").contains("\"api_key\":\"***\"")
                .contains("\"region\":\"eu\"");
    }

    @Test
    void logLinesWrittenUnderASpanArriveAsLogEventsOfThatSpan() {
        TracerRuntime runtime = runtime(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", RECEIVER.baseUrl()));
        Tracer tracer = runtime.tracer("OtlpExportTest");
        String name = "logging_step_" + System.identityHashCode(this);
        long loggedAt;
        try (Span span = tracer.span(name, NodeType.STEP)) {
            loggedAt = runtime.now();
            runtime.submit(new LogRecord(loggedAt, "info", "com.acme.Agent", "calling model", span.traceId(),
                    span.spanId(), null, "main", Map.of("user_id", JSON.valueToTree(42)), null));
        }
        runtime.submit(new LogRecord(runtime.now(), "warn", "com.acme.Agent", "after the span", null, null, null,
                "main", Map.of(), null));
        runtime.flush();

        assertThat(Await.until(() -> RECEIVER.spans().stream().anyMatch(r -> r.span().getName().equals(name)), PATIENCE))
                .isTrue();
        assertThat(RECEIVER.span(name).span().getEventsList()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("log");
            assertThat(event.getTimeUnixNano()).isEqualTo(loggedAt); // the log record's own nanoseconds
            assertThat(OtlpTestReceiver.attributes(event.getAttributesList())).containsEntry("message", "calling model")
                    .containsEntry("log.level", "info").containsEntry("log.logger", "com.acme.Agent")
                    .containsEntry("thread.name", "main").containsEntry("user_id", "42");
        });
    }

    @Test
    void anEvaluationMadeWhileTheSpanRanIsASpanEventAndOneMadeAfterIsAnEvaluationLogRecordOfTheSpan() {
        TracerRuntime runtime = runtime(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", RECEIVER.baseUrl()));
        Tracer tracer = runtime.tracer("OtlpExportTest");
        String name = "evaluated_answer_" + System.identityHashCode(this);
        Span answer;
        long lateAt;
        try (Span span = tracer.span(name, NodeType.LLM)) {
            answer = span;
            span.evaluate("relevance", null, "relevant", null);
        }
        runtime.flush();
        assertThat(Await.until(() -> RECEIVER.spans().stream().anyMatch(r -> r.span().getName().equals(name)), PATIENCE))
                .isTrue();
        lateAt = runtime.now();
        answer.evaluate("faithfulness", 0.4, "fail", "one claim has no source");
        runtime.flush();

        assertThat(RECEIVER.span(name).span().getEventsList()).extracting(e -> e.getName(),
                e -> OtlpTestReceiver.attributes(e.getAttributesList()).get("gen_ai.evaluation.name"))
                .containsExactly(tuple("gen_ai.evaluation.result", "relevance"));
        assertThat(Await.until(() -> RECEIVER.logs().stream().anyMatch(l -> l.spanId().equals(answer.spanId())),
                PATIENCE)).as("the late evaluation arrives at /v1/logs").isTrue();
        OtlpTestReceiver.ReceivedLog late = RECEIVER.logs().stream().filter(l -> l.spanId().equals(answer.spanId()))
                .reduce((a, b) -> {
                    throw new AssertionError("sent twice");
                }).orElseThrow();
        assertThat(late.log().getEventName()).isEqualTo("gen_ai.evaluation.result");
        assertThat(late.traceId()).isEqualTo(answer.traceId());
        assertThat(late.log().getTimeUnixNano()).isGreaterThanOrEqualTo(lateAt);
        assertThat(late.attributes()).containsEntry("gen_ai.evaluation.name", "faithfulness")
                .containsEntry("gen_ai.evaluation.score.value", "0.4")
                .containsEntry("gen_ai.evaluation.score.label", "fail")
                .containsEntry("gen_ai.evaluation.explanation", "one claim has no source");
        assertThat(OtlpTestReceiver.attributes(late.resource().getAttributesList()))
                .containsEntry("service.name", "weather-agent");
    }

    @Test
    void anEvaluationRecordForASpanStillOpenTravelsWithTheSpanAsAnEvent() {
        String start = "{\"v\":1,\"type\":\"span\",\"trace_id\":\"5bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"span_id\":\"10f067aa0ba902b7\",\"name\":\"judged_step\",\"node_type\":\"llm\","
                + "\"start\":\"2026-11-21T18:00:00.123456Z\",\"end\":null,\"status\":\"running\",\"attributes\":{}}";
        OtlpTarget target = new OtlpTarget(RECEIVER.baseUrl() + "/v1/traces", Map.of(), Duration.ofSeconds(5));
        RecordLines.feed(target, List.of(start));
        target.onEvaluation(new EvaluationRecord(1_763_748_000_200_000_000L,
                "5bf92f3577b34da6a3ce929d0e0e4736", "10f067aa0ba902b7", "toxicity", 0.0, null, null));
        RecordLines.feed(target, List.of(start.replace("\"end\":null", "\"end\":\"2026-11-21T18:00:00.456789Z\"")
                .replace("running", "ok")));
        target.close();

        assertThat(RECEIVER.span("judged_step").span().getEventsList()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("gen_ai.evaluation.result");
            assertThat(OtlpTestReceiver.attributes(event.getAttributesList()))
                    .containsEntry("gen_ai.evaluation.name", "toxicity")
                    .containsEntry("gen_ai.evaluation.score.value", "0.0");
        });
        assertThat(RECEIVER.logs()).noneMatch(l -> l.spanId().equals("10f067aa0ba902b7"));
    }

    @Test
    void anEvaluationOfASpanSentToAnEndpointWithoutALogsPathBesideItIsCountedAndReported() throws IOException {
        OtlpTarget target = new OtlpTarget(RECEIVER.baseUrl() + "/custom/traces", Map.of(), Duration.ofSeconds(5));
        target.onEvaluation(new EvaluationRecord(1L, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                "faithfulness", 0.9, null, null));
        target.close();

        assertThat(target.exportedEvaluations()).isZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("cannot export evaluations of spans already sent", "does not end in /v1/traces")
                .contains("1 of 1 evaluations of spans already sent could not be exported");
    }

    @Test
    void aRecordsSpanKindAndEdgesToAnotherTraceAreKeptAndStartRecordsAreNotSent() throws IOException {
        String start = "{\"v\":1,\"type\":\"span\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"span_id\":\"00f067aa0ba902b7\",\"parent_span_id\":null,\"name\":\"fetch_weather\","
                + "\"node_type\":\"tool\",\"span_kind\":\"CLIENT\",\"start\":\"2026-11-21T18:00:00.123456Z\","
                + "\"end\":null,\"status\":\"running\",\"attributes\":{},\"resource\":{\"service.name\":\"svc\"}}\n";
        String end = start.replace("\"end\":null", "\"end\":\"2026-11-21T18:00:00.456789Z\"")
                .replace("running", "ok")
                .replace("\"attributes\":{}", "\"attributes\":{\"tags\":[\"a\",\"b\"],\"scores\":[1,2.5],"
                        + "\"gen_ai.input.messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]},"
                        + "\"edges\":[{\"type\":\"caused_by\",\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\","
                        + "\"span_id\":\"b7ad6b7169203331\"}]");
        OtlpTarget target = new OtlpTarget(RECEIVER.baseUrl() + "/v1/traces", Map.of(), Duration.ofSeconds(5));
        RecordLines.feed(target, List.of(start.strip(), end.strip())); // typed records, as the writer hands them
        target.close();

        assertThat(target.exportedSpans()).isEqualTo(1);
        assertThat(RECEIVER.spans()).filteredOn(r -> r.spanId().equals("00f067aa0ba902b7")).singleElement()
                .satisfies(r -> {
                    assertThat(r.span().getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
                    assertThat(r.span().getEndTimeUnixNano() - r.span().getStartTimeUnixNano()).isEqualTo(333_333_000L);
                    assertThat(r.resourceAttribute("service.name")).isEqualTo("svc");
                    assertThat(r.attributes()).containsEntry("tags", "[a, b]").containsEntry("scores", "[1.0, 2.5]")
                            .containsEntry("gen_ai.input.messages",
                                    "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]")
                            .containsEntry("openinference.span.kind", "TOOL");
                    assertThat(r.span().getLinksList()).singleElement().satisfies(link -> {
                        assertThat(OtlpTestReceiver.hex(link.getTraceId())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
                        assertThat(OtlpTestReceiver.hex(link.getSpanId())).isEqualTo("b7ad6b7169203331");
                        assertThat(OtlpTestReceiver.attributes(link.getAttributesList()))
                                .containsEntry("aitrace.edge.type", "caused_by");
                    });
                });
    }

    @Test
    void spansGoOutInBatchesOfAtMostFiveHundredTwelve() {
        TracerRuntime runtime = runtime(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", RECEIVER.baseUrl() + "/"));
        Tracer tracer = runtime.tracer("OtlpExportTest");
        String root = "batch_root_" + System.identityHashCode(this);
        int before = RECEIVER.requestSizes().size();
        try (Span ignored = tracer.span(root, NodeType.AGENT)) {
            for (int i = 0; i < 1200; i++) {
                tracer.run("step_" + i, NodeType.STEP, () -> { });
            }
        }
        runtime.flush();

        assertThat(Await.until(() -> RECEIVER.spans().stream().anyMatch(r -> r.span().getName().equals(root)), PATIENCE))
                .isTrue();
        String traceId = RECEIVER.span(root).traceId();
        assertThat(RECEIVER.spans().stream().filter(r -> r.traceId().equals(traceId)).count()).isEqualTo(1201);
        List<Integer> sizes = RECEIVER.requestSizes().subList(before, RECEIVER.requestSizes().size());
        assertThat(sizes).hasSizeGreaterThanOrEqualTo(3).allSatisfy(size -> assertThat(size).isBetween(1, 512));
    }

    @Test
    void aReceiverThatIsDownDoesNotDisturbTheFileTargetAndIsReportedOnceWithCounts() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TracerRuntime runtime = runtime(Map.of("AITRACE_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort));
        Tracer tracer = runtime.tracer("OtlpExportTest");
        for (int run = 0; run < 3; run++) {
            try (Span agent = tracer.span("agent_" + run, NodeType.AGENT)) {
                tracer.run("tool", NodeType.TOOL, () -> { });
            }
            runtime.flush();
        }
        assertThat(endedSpansInFile()).hasSize(6);
        assertThat(Await.until(() -> stderr().contains("cannot export spans"), PATIENCE)).isTrue();

        runtime.close();

        assertThat(endedSpansInFile()).hasSize(6);
        List<String> lines = stderr().lines().toList();
        assertThat(lines).filteredOn(l -> l.contains("cannot export spans")).singleElement().satisfies(line ->
                assertThat(line).startsWith("aitrace: cannot export spans to OTLP endpoint http://127.0.0.1:"
                        + closedPort + "/v1/traces (").contains("ConnectException"));
        assertThat(lines).filteredOn(l -> l.contains("could not be exported")).containsExactly(
                "aitrace: 6 of 6 spans could not be exported to OTLP endpoint http://127.0.0.1:" + closedPort
                        + "/v1/traces");
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("aitrace: "));
    }

    @Test
    void aReceiverThatNeverAnswersHoldsUpNeitherFlushNorTheFileTarget() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // the kernel accepts connections; nobody ever answers
            TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().environment(Map.of())
                    .systemProperties(new Properties()).configFile(dir.resolve("none.properties"))
                    .target(dir.resolve("run.jsonl").toString()).flushTimeout(Duration.ofSeconds(1))
                    .otlpEndpoint("http://127.0.0.1:" + silent.getLocalPort()).build());
            runtimes.add(runtime);
            Tracer tracer = runtime.tracer("OtlpExportTest");
            for (int run = 0; run < 3; run++) {
                tracer.run("agent_" + run, NodeType.AGENT, () -> { });
                // Each flush returns once the file has the records, within the one second a request may take.
                assertThat(runtime.flush()).isTrue();
                assertThat(endedSpansInFile()).hasSize(run + 1);
            }

            runtime.close();
        }

        assertThat(stderr().lines().filter(l -> l.contains("could not be exported")).toList()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("aitrace: 3 of 3 spans could not be exported"));
    }

    @Test
    void theEndpointFollowsOpenTelemetrysRulesAndAitracesOwnSettingWins() {
        assertThat(config(Map.of()).otlpEndpoint()).isNull();
        assertThat(config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")).otlpEndpoint())
                .isEqualTo("http://collector:4318/v1/traces");
        assertThat(config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://cloud.langfuse.com/api/public/otel/"))
                .otlpEndpoint()).isEqualTo("https://cloud.langfuse.com/api/public/otel/v1/traces");
        assertThat(config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/custom/path")).otlpEndpoint())
                .isEqualTo("http://tempo:4318/custom/path");
        assertThat(config(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/custom/path",
                "AITRACE_OTLP_ENDPOINT", "http://localhost:6006/v1/traces")).otlpEndpoint())
                .isEqualTo("http://localhost:6006/v1/traces");
        Properties props = new Properties();
        props.setProperty("aitrace.otlp.endpoint", "http://jaeger:4318");
        assertThat(TracerConfig.builder().environment(Map.of("AITRACE_OTLP_ENDPOINT", "http://other:4318"))
                .systemProperties(props).configFile(dir.resolve("none.properties")).build().otlpEndpoint())
                .isEqualTo("http://jaeger:4318/v1/traces");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void anApplicationsOwnSdkKeepsTheOtelVariablesToItselfSoNoSpanIsExportedTwice() {
        io.opentelemetry.sdk.OpenTelemetrySdk sdk = io.opentelemetry.sdk.OpenTelemetrySdk.builder().build();
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");

        assertThat(TracerConfig.builder().openTelemetry(sdk).environment(env).systemProperties(new Properties())
                .configFile(dir.resolve("none.properties")).build().otlpEndpoint()).isNull();
        assertThat(TracerConfig.builder().openTelemetry(sdk).environment(env).otlpEndpoint("http://langfuse:3000/api/public/otel")
                .systemProperties(new Properties()).configFile(dir.resolve("none.properties")).build().otlpEndpoint())
                .isEqualTo("http://langfuse:3000/api/public/otel/v1/traces");
    }

    @Test
    void anEndpointThatIsNoHttpUrlIsReportedAndNothingIsExported() {
        TracerConfig config = config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"));

        assertThat(config.otlpEndpoint()).isNull();
        assertThat(stderr()).isEqualTo("aitrace: OTLP endpoint 'collector:4318/v1/traces' is not an http:// or https://"
                + " URL, not exporting over OTLP" + System.lineSeparator());
    }

    private TracerConfig config(Map<String, String> env) {
        return TracerConfig.builder().environment(env).systemProperties(new Properties())
                .configFile(dir.resolve("none.properties")).build();
    }

    private TracerRuntime runtime(Map<String, String> otlpEnv) {
        Map<String, String> env = new HashMap<>(otlpEnv);
        env.put("OTEL_SERVICE_NAME", "weather-agent");
        TracerRuntime runtime = TracerRuntime.create(TracerConfig.builder().environment(env)
                .systemProperties(new Properties()).configFile(dir.resolve("none.properties"))
                .target(dir.resolve("run.jsonl").toString()).build());
        runtimes.add(runtime);
        return runtime;
    }

    /** Ended span records of the file target, by span ID. */
    private Map<String, JsonNode> endedSpansInFile() throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("run.jsonl"))) {
            JsonNode record = JSON.readTree(line);
            if ("span".equals(record.path("type").asText()) && record.path("end").isTextual()) {
                out.put(record.path("span_id").asText(), record);
            }
        }
        return out;
    }

    private static OtlpTestReceiver.Received only(List<OtlpTestReceiver.Received> spans, String name) {
        return spans.stream().filter(r -> r.span().getName().equals(name)).reduce((a, b) -> {
            throw new AssertionError("two spans named " + name);
        }).orElseThrow(() -> new AssertionError("no span named " + name));
    }

    private static long nanos(JsonNode time) {
        java.time.Instant instant = Timestamps.parse(time.asText());
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }
}
