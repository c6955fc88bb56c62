package io.aitrace.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.aitrace.core.text.TextFit;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /v1/traces}, OTLP/HTTP: {@code application/x-protobuf} or {@code application/json}, gzip or not.
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
        String type = exchange.contentType();
        boolean json = "application/json".equals(type);
        if (!json && !"application/x-protobuf".equals(type) && !"application/protobuf".equals(type)) {
            throw new ApiException(415, "unsupported Content-Type '" + TextFit.cut(String.valueOf(type), 100)
                    + "' for OTLP (send application/x-protobuf or application/json)");
        }
        byte[] body = exchange.body(maxBodyBytes);
        ExportTraceServiceRequest request = json ? fromJson(body) : fromProtobuf(body);
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

    private static ExportTraceServiceRequest fromProtobuf(byte[] body) {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new ApiException(400, "malformed OTLP protobuf: " + TextFit.cut(e.getMessage(), 200));
        }
    }

    private static ExportTraceServiceRequest fromJson(byte[] body) {
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
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            OtlpJson.merge(tree, request, "$");
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad OTLP JSON: " + TextFit.cut(String.valueOf(e.getMessage()), 200));
        }
        return request.build();
    }
}
