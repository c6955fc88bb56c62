package io.aitrace.server;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Records of format v1 for tests, as JSON text. */
final class Records {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Records() {
    }

    static String traceId() {
        return hex(16);
    }

    static String spanId() {
        return hex(8);
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** An ended span. */
    static String span(String traceId, String spanId, String parentId, String name, String start, String end) {
        return span(traceId, spanId, parentId, name, start, end, "ok", "{}");
    }

    static String span(String traceId, String spanId, String parentId, String name, String start, String end,
            String status, String attributes) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + traceId + "\",\"span_id\":\"" + spanId
                + "\",\"parent_span_id\":" + (parentId == null ? "null" : "\"" + parentId + "\"")
                + ",\"name\":\"" + name + "\",\"node_type\":\"llm\",\"span_kind\":\"INTERNAL\",\"start\":\"" + start
                + "\",\"end\":" + (end == null ? "null" : "\"" + end + "\"") + ",\"status\":\"" + status
                + "\",\"error\":null,\"attributes\":" + attributes
                + ",\"input\":{\"query\":\"What's the weather in Paris?\"},\"output\":{\"intent\":\"weather_lookup\"},"
                + "\"annotations\":[{\"ts\":\"" + start + "\",\"text\":\"routing to the forecast tool\"}],\"edges\":[],"
                + "\"resource\":{\"service.name\":\"weather-agent\"},\"thread\":\"main\"}";
    }

    static String log(String traceId, String spanId, String timestamp, String level, String event) {
        return "{\"v\":1,\"type\":\"log\",\"timestamp\":\"" + timestamp + "\",\"level\":\"" + level
                + "\",\"logger\":\"com.acme.Agent\",\"event\":\"" + event + "\",\"trace_id\":\"" + traceId
                + "\",\"span_id\":\"" + spanId + "\",\"parent_span_id\":null,\"thread\":\"main\",\"attrs\":{},"
                + "\"exception\":null}";
    }

    /** Stores one line in a commit of its own, as an ingest request of one line would. */
    static void store(Store store, String line) throws Exception {
        RecordRow row = RecordParser.parse(line).row();
        store.write(tx -> {
            tx.put(row);
            return 1;
        }).get();
    }
}
