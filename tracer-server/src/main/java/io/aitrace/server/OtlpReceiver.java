package io.aitrace.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.aitrace.core.text.TextFit;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /v1/traces}, OTLP/HTTP: {@code application/x-protobuf} or {@code application/json}, gzip or not; and
 * {@code POST /v1/logs} for the evaluation events in it.
 * Spans are stored like ingested span records; spans that cannot be stored (bad IDs) are reported back as OTLP's
 * partial success, answered in the request's own encoding.
 */
final class OtlpReceiver {
    private final Collector collector;
    private final long maxBodyBytes;

    OtlpReceiver(Collector collector, long maxBodyBytes) {
        this.collector = collector;
        this.maxBodyBytes = maxBodyBytes;
    }

    void receive(ApiExchange exchange) throws IOException {
        boolean json = isJson(exchange);
        ExportTraceServiceRequest request = read(exchange.body(maxBodyBytes), json,
                ExportTraceServiceRequest.newBuilder()).build();
        List<ObjectNode> converted = OtlpSpans.records(request);
        IngestBody checked = IngestBody.of(converted);
        if (checked.records().isEmpty() && !checked.rejected().isEmpty()) {
            IngestBody.Rejection first = checked.rejected().get(0);
            throw new ApiException(400, "no span could be stored: span " + first.line() + ": " + first.error());
        }
        collector.storeAndWait(checked.records(), 0, checked.rejectedCount(), null);
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (!checked.rejected().isEmpty()) {
            IngestBody.Rejection first = checked.rejected().get(0);
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(checked.rejectedCount())
                    .setErrorMessage("span " + first.line() + ": " + first.error()));
        }
        if (json) {
            ObjectNode answer = RecordJson.MAPPER.createObjectNode();
            if (response.hasPartialSuccess()) {
                answer.putObject("partialSuccess")
                        .put("rejectedSpans", String.valueOf(response.getPartialSuccess().getRejectedSpans()))
                        .put("errorMessage", response.getPartialSuccess().getErrorMessage());
            }
            exchange.sendJson(200, answer);
        } else {
            exchange.send(200, "application/x-protobuf", response.build().toByteArray());
        }
    }

    /**
     * {@code POST /v1/logs}: the {@code gen_ai.evaluation.result} events in it are stored as evaluation records of
     * their spans; other log records are not stored and are answered as rejected (OTLP's partial success).
     */
    void receiveLogs(ApiExchange exchange) throws IOException {
        boolean json = isJson(exchange);
        ExportLogsServiceRequest request = read(exchange.body(maxBodyBytes), json,
                ExportLogsServiceRequest.newBuilder()).build();
        OtlpLogs.Evaluations found = OtlpLogs.evaluations(request);
        IngestBody checked = IngestBody.of(found.records());
        if (!checked.records().isEmpty()) {
            collector.storeAndWait(checked.records(), 0, checked.rejectedCount(), null);
        }
        long rejected = checked.rejectedCount() + found.otherLogRecords();
        String message = !checked.rejected().isEmpty()
                ? "evaluation " + checked.rejected().get(0).line() + ": " + checked.rejected().get(0).error()
                : found.otherLogRecords() > 0 ? found.otherLogRecords() + " log records are not "
                        + OtlpLogs.EVALUATION_RESULT + " events with a gen_ai.evaluation.name; only those are stored"
                        : "";
        if (json) {
            ObjectNode answer = RecordJson.MAPPER.createObjectNode();
            if (rejected > 0) {
                answer.putObject("partialSuccess").put("rejectedLogRecords", String.valueOf(rejected))
                        .put("errorMessage", message);
            }
            exchange.sendJson(200, answer);
        } else {
            ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
            if (rejected > 0) {
                response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected)
                        .setErrorMessage(message));
            }
            exchange.send(200, "application/x-protobuf", response.build().toByteArray());
        }
    }

    private static boolean isJson(ApiExchange exchange) {
        String type = exchange.contentType();
        boolean json = "application/json".equals(type);
        if (!json && !"application/x-protobuf".equals(type) && !"application/protobuf".equals(type)) {
            throw new ApiException(415, "unsupported Content-Type '" + TextFit.cut(String.valueOf(type), 100)
                    + "' for OTLP (send application/x-protobuf or application/json)");
        }
        return json;
    }

    /** The body, protobuf or OTLP's JSON, merged into {@code request}. */
    private static <B extends Message.Builder> B read(byte[] body, boolean json, B request) {
        if (!json) {
            try {
                request.mergeFrom(body);
                return request;
            } catch (InvalidProtocolBufferException e) {
                throw new ApiException(400, "malformed OTLP protobuf: " + TextFit.cut(e.getMessage(), 200));
            }
        }
        JsonNode tree;
        try {
            tree = RecordJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed OTLP JSON: " + TextFit.cut(e.getOriginalMessage(), 200));
        } catch (IOException e) {
            throw new ApiException(400, "unreadable OTLP JSON: " + e.getMessage());
        }
        if (tree == null) {
            throw new ApiException(400, "empty OTLP JSON body");
        }
        try {
            OtlpJson.merge(tree, request, "$");
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad OTLP JSON: " + TextFit.cut(String.valueOf(e.getMessage()), 200));
        }
        return request;
    }
}
