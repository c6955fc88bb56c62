package io.aitrace.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> AWKWARD = List.of("plain", "say \"hi\"", "C:\\temp\\x", "line\nbreak\ttab\r\b\f",
            "nul\u0000bell\u0007esc\u001b", "del\u007f", "héllo wörld", "日本語", "emoji 😀 done",
            "half \ud83d of an emoji", "</script>", "");

    private static SpanRecord span(String text, long start, long end) {
        ObjectNode error = end == 0 ? null : NODES.objectNode().put("type", text).put("message", text);
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        attributes.put(text, NODES.textNode(text));
        attributes.put("n", NODES.numberNode(3));
        attributes.put("d", NODES.numberNode(0.1));
        attributes.put("big", NODES.numberNode(-9_000_000_000L));
        attributes.put("yes", NODES.booleanNode(true));
        attributes.put("no", NODES.booleanNode(false));
        attributes.put("none", NODES.nullNode());
        attributes.put("nested", NODES.objectNode().set("list", NODES.arrayNode().add(1).add(text).addNull()));
        ObjectNode mixed = NODES.objectNode().put(text, text).put("f", 1.5f).put("x", 0.25)
                .put("big", new java.math.BigInteger("123456789012345678901234567890"))
                .put("dec", new java.math.BigDecimal("1.10")).put("nan", Double.NaN);
        mixed.set("empty", NODES.objectNode());
        mixed.set("none", NODES.arrayNode());
        mixed.set("deep", deep(70, text));
        attributes.put("mixed", mixed);
        Map<String, String> resource = new LinkedHashMap<>();
        resource.put("service.name", text);
        resource.put("host.name", "h");
        return new SpanRecord("0123456789abcdef0123456789abcdef", "0123456789abcdef", end == 0 ? null : "fedcba9876543210",
                text, "llm", "INTERNAL", start, end, end == 0 ? "running" : "error", error, attributes,
                NODES.textNode(text), end == 0 ? null : NODES.objectNode().put("answer", text),
                List.of(new SpanRecord.Note(start + 1_500, text)), List.of(new SpanRecord.Link("follows", "a", "b")),
                end == 0 ? List.of() : List.of(new EvaluationRecord(end, "t", "s", text, 0.75, null, text),
                        new EvaluationRecord(end, "t", "s", "judge", null, text, null)),
                resource, text, true);
    }

    /** Objects and arrays nested {@code levels} deep around {@code text}. */
    private static JsonNode deep(int levels, String text) {
        JsonNode node = NODES.textNode(text);
        for (int i = 0; i < levels; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node).add(i) : NODES.objectNode().set(text + i, node);
        }
        return node;
    }

    private static String viaGenerator(TraceRecord record) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.getFactory().createGenerator(bytes)) {
            record.writeTo(json);
        }
        return bytes.toString(StandardCharsets.UTF_8) + "\n";
    }

    private static String encoded(JsonLineEncoder encoder, TraceRecord record) throws Exception {
        encoder.encode(record);
        return new String(Arrays.copyOf(encoder.bytes(), encoder.size()), StandardCharsets.UTF_8);
    }

    @Test
    void spanLinesAreTheGeneratorsBytesForAwkwardStrings() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        long start = 1_764_000_000_123_456_789L;
        for (String text : AWKWARD) {
            for (long end : new long[] {0, start + 2_345_678_901L, start + 999}) {
                SpanRecord span = span(text, start, end);
                assertThat(encoded(encoder, span)).as(text).isEqualTo(viaGenerator(span));
                SpanRecord asASpanKeepsThem = new SpanRecord(span.traceId(), span.spanId(), span.parentSpanId(),
                        span.name(), span.nodeType(), span.spanKind(), start, end, span.status(), span.error(),
                        new SpanAttributes(span.attributes()), span.input(), span.output(), span.annotations(),
                        span.edges(), span.evaluations(), span.resource(), span.thread(), span.root());
                assertThat(encoded(encoder, asASpanKeepsThem)).as(text).isEqualTo(viaGenerator(span));
            }
        }
    }

    @Test
    void aReaderGetsTheStringsBack() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        for (String text : AWKWARD) {
            String line = encoded(encoder, span(text, 1_000_000_000_000_000_001L, 1_000_000_001_000_000_000L));
            assertThat(line).endsWith("}\n").doesNotContain("\n}").hasLineCount(1);
            JsonNode node = JSON.readTree(line);
            assertThat(node.get("name").textValue()).isEqualTo(text);
            assertThat(node.get("thread").textValue()).isEqualTo(text);
            assertThat(node.get("attributes").get(text).textValue()).isEqualTo(text);
            assertThat(node.get("resource").get("service.name").textValue()).isEqualTo(text);
            assertThat(node.get("annotations").get(0).get("text").textValue()).isEqualTo(text);
            assertThat(node.get("start").textValue()).isEqualTo("2001-09-09T01:46:40.000000Z");
            assertThat(node.get("end").textValue()).isEqualTo("2001-09-09T01:46:41.000000Z");
            assertThat(node.get("duration_ms").doubleValue()).isEqualTo(1000.0);
            assertThat(node.get("evaluations").get(0).get("name").textValue()).isEqualTo(text);
            assertThat(node.get("evaluations").get(1).get("label").textValue()).isEqualTo(text);
        }
    }

    @Test
    void otherRecordsAndTimesBeforeTheEpochAreEncodedAsBefore() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        TraceRecord evaluation = new EvaluationRecord(5L, "t", "s", "score \"q\"", 0.5, "good", "ok");
        assertThat(encoded(encoder, evaluation)).isEqualTo(viaGenerator(evaluation));
        SpanRecord early = span("x", -1_500, -500);
        assertThat(encoded(encoder, early)).isEqualTo(viaGenerator(early));
        // After another record type, a span line still starts afresh.
        SpanRecord later = span("y", 7_000_000_000L, 8_000_000_000L);
        assertThat(encoded(encoder, later)).isEqualTo(viaGenerator(later));
    }

    @Test
    void durationsFractionsAndRecurringStringsAreTheGeneratorsBytesEachTime() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        long start = 1_764_000_000_000_000_000L;
        long[] durations = {0, 1, 499, 500, 999, 1_000, 1_001, 1_499, 1_500, 10_000, 12_345_678, 20_500_000,
            123_456_789_012L, 9_999_999_999_499L, 9_999_999_999_500L, 10_000_000_000_000L, 98_765_432_109_876_543L};
        double[] fractions = {0.2, 0.1, -0.0, 1e-7, 1e21, 123456.789, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.NaN, Double.POSITIVE_INFINITY, 0.2};
        for (int round = 0; round < 2; round++) { // the second time from what the encoder kept
            for (long nanos : durations) {
                for (double fraction : fractions) {
                    Map<String, JsonNode> attributes = new LinkedHashMap<>();
                    attributes.put("gen_ai.request.temperature", NODES.numberNode(fraction));
                    attributes.put("gen_ai.request.model", NODES.textNode("gpt-4o"));
                    // Strings of equal hash share a slot: "Aa" and "BB".
                    attributes.put(round == 0 ? "Aa" : "BB", NODES.textNode(round == 0 ? "BB" : "Aa"));
                    attributes.put("long", NODES.textNode("x".repeat(100)));
                    SpanRecord span = new SpanRecord("0123456789abcdef0123456789abcdef", "0123456789abcdef",
                            round == 0 ? null : "fedcba9876543210", "step " + round, "llm", "INTERNAL", start,
                            start + nanos, "ok", null, attributes, null, null, List.of(), List.of(), List.of(),
                            Map.of("service.name", "s"), round == 0 ? "main" : "worker-1", false);
                    assertThat(encoded(encoder, span)).as(nanos + " ns, " + fraction)
                            .isEqualTo(viaGenerator(span));
                }
            }
        }
    }
    @Test
    void idsWrittenFromTheirNumbersAreTheStringsBytes() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        long[] numbers = {1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0123456789abcdefL, 0xfedcba9876543210L, 0xa0L};
        for (long high : numbers) {
            for (long low : numbers) {
                for (long parent : new long[] {0, low, high}) {
                    String traceId = "%016x%016x".formatted(high, low);
                    String parentId = parent == 0 ? null : "%016x".formatted(parent);
                    SpanRecord span = new SpanRecord(traceId, "%016x".formatted(low), parentId, "n", "llm",
                            "INTERNAL", 1_000, 2_000, "ok", null, Map.of(), null, null, List.of(), List.of(),
                            List.of(), Map.of("service.name", "s"), "main", parent == 0,
                            new SpanRecord.IdNumbers(high, low, low, parent));
                    String line = encoded(encoder, span);
                    assertThat(line).isEqualTo(viaGenerator(span));
                    assertThat(JSON.readTree(line).get("trace_id").textValue()).isEqualTo(traceId);
                }
            }
        }
    }

    @Test
    void logEvaluationAndDroppedLinesAreTheGeneratorsBytes() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        long ts = 1_764_000_000_123_456_789L;
        for (String text : AWKWARD) {
            Map<String, JsonNode> attrs = new LinkedHashMap<>();
            attrs.put(text, NODES.textNode(text));
            attrs.put("n", NODES.numberNode(7));
            attrs.put("d", NODES.numberNode(0.1));
            attrs.put("nested", NODES.objectNode().set("list", NODES.arrayNode().add(1).add(text).addNull()));
            attrs.put("dec", NODES.numberNode(new java.math.BigDecimal("1.10")));
            attrs.put("deep", deep(70, text));
            ObjectNode exception = NODES.objectNode().put("type", "java.io.IOException").put("message", text);
            List<TraceRecord> records = List.of(
                    new LogRecord(ts, "info", "com.acme." + text, text, "0123456789abcdef0123456789abcdef",
                            "0123456789abcdef", "fedcba9876543210", text, attrs, exception),
                    new LogRecord(-1_500, "warn", "x", text, null, null, null, "main", null, null),
                    new LogRecord(ts, "error", text, "", null, null, null, null, Map.of(), null),
                    new EvaluationRecord(ts, "t", "s", text, 0.75, text, text),
                    new EvaluationRecord(ts, "t", "s", text, null, text, null),
                    new EvaluationRecord(-1_500, null, null, text, Double.NaN, null, null),
                    new EvaluationRecord(ts, "t", "s", text, Double.NEGATIVE_INFINITY, "bad", null),
                    new DroppedRecord(ts, 120, 9_000_000_000L, 32_768),
                    new DroppedRecord(-1_500, 0, 0, 16));
            for (TraceRecord record : records) {
                assertThat(encoded(encoder, record)).as(record.toString()).isEqualTo(viaGenerator(record));
            }
        }
        // A span line with an evaluation whose score is not finite: that entry still goes through the generator.
        SpanRecord span = new SpanRecord("0123456789abcdef0123456789abcdef", "0123456789abcdef", null, "judged",
                "llm", "INTERNAL", ts, ts + 1_000, "ok", null, Map.of(), null, null, List.of(), List.of(),
                List.of(new EvaluationRecord(ts, "t", "s", "nan", Double.NaN, null, null),
                        new EvaluationRecord(ts, "t", "s", "fine", 1.0, null, "because")),
                Map.of("service.name", "s"), "main", true);
        assertThat(encoded(encoder, span)).isEqualTo(viaGenerator(span));
    }

    /** A span like the tight loop's: three attributes, nothing else, the resource and thread of every span. */
    private static SpanRecord loopSpan(long n, String status, Map<String, JsonNode> attributes,
            Map<String, String> resource, String thread) {
        long start = 1_764_000_000_000_000_000L + n * 1_234_567L;
        return new SpanRecord("%016x%016x".formatted(n, ~n), "%016x".formatted(n + 1), null, "classify_intent",
                "llm", "INTERNAL", start, start + 1_000 + n * 333, status, null, new SpanAttributes(attributes),
                null, null, List.of(), List.of(), List.of(), resource, thread, true,
                new SpanRecord.IdNumbers(n, ~n, n + 1, 0));
    }

    private static Map<String, JsonNode> loopAttributes(JsonNode model, JsonNode tokens, JsonNode temperature) {
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        attributes.put("gen_ai.request.model", model);
        attributes.put("gen_ai.usage.input_tokens", tokens);
        attributes.put("gen_ai.request.temperature", temperature);
        return attributes;
    }

    @Test
    void aSpanLikeThePreviousOneExceptInOneFieldIsTheGeneratorsBytes() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        Map<String, String> resource = new LinkedHashMap<>(Map.of("service.name", "bench"));
        Map<String, String> sameContentOtherMap = new LinkedHashMap<>(resource);
        Map<String, JsonNode> usual = loopAttributes(NODES.textNode("gpt-4o"), NODES.numberNode(42L),
                NODES.numberNode(0.2));
        Map<String, JsonNode> reordered = new LinkedHashMap<>();
        reordered.put("gen_ai.usage.input_tokens", NODES.numberNode(42L));
        reordered.put("gen_ai.request.model", NODES.textNode("gpt-4o"));
        reordered.put("gen_ai.request.temperature", NODES.numberNode(0.2));
        Map<String, JsonNode> fewer = new LinkedHashMap<>(usual);
        fewer.remove("gen_ai.request.temperature");
        Map<String, JsonNode> more = new LinkedHashMap<>(usual);
        more.put("extra", NODES.booleanNode(true));
        Map<String, JsonNode> nested = new LinkedHashMap<>(usual);
        nested.put("gen_ai.request.model", NODES.objectNode().put("name", "gpt-4o"));
        List<SpanRecord> differing = List.of(
                loopSpan(2, "error", usual, resource, "main"),
                loopSpan(3, "running", usual, resource, "main"),
                loopSpan(4, "ok", usual, resource, "worker-1"),
                loopSpan(5, "ok", usual, resource, null),
                loopSpan(6, "ok", usual, sameContentOtherMap, "main"),
                loopSpan(7, "ok", usual, Map.of("service.name", "other"), "main"),
                loopSpan(8, "ok", loopAttributes(NODES.textNode("gpt-4o-mini"), NODES.numberNode(42L),
                        NODES.numberNode(0.2)), resource, "main"),
                loopSpan(9, "ok", loopAttributes(NODES.textNode("gpt-4o"), NODES.numberNode(43L),
                        NODES.numberNode(0.2)), resource, "main"),
                loopSpan(10, "ok", loopAttributes(NODES.textNode("gpt-4o"), NODES.numberNode(42),
                        NODES.numberNode(0.2)), resource, "main"), // an int, not a long: the same text
                loopSpan(11, "ok", loopAttributes(NODES.textNode("gpt-4o"), NODES.numberNode(42L),
                        NODES.numberNode(-0.0)), resource, "main"),
                loopSpan(12, "ok", loopAttributes(NODES.textNode("gpt-4o"), NODES.numberNode(42L),
                        NODES.numberNode(0.0)), resource, "main"),
                loopSpan(13, "ok", loopAttributes(NODES.textNode("gpt-4o"), NODES.numberNode(42L),
                        NODES.booleanNode(false)), resource, "main"),
                loopSpan(14, "ok", loopAttributes(NODES.textNode("gpt-4o"), NODES.numberNode(42L),
                        NODES.textNode("0.2")), resource, "main"),
                loopSpan(15, "ok", reordered, resource, "main"),
                loopSpan(16, "ok", fewer, resource, "main"),
                loopSpan(17, "ok", more, resource, "main"),
                loopSpan(18, "ok", nested, resource, "main"),
                loopSpan(19, "ok", Map.of(), resource, "main"));
        for (SpanRecord other : differing) {
            // The usual span twice (the second from the kept bytes), the one that differs, the usual one again.
            for (SpanRecord span : List.of(loopSpan(1, "ok", usual, resource, "main"),
                    loopSpan(100, "ok", usual, resource, "main"), other, loopSpan(101, "ok", usual, resource, "main"),
                    other)) {
                assertThat(encoded(encoder, span)).as(other.toString()).isEqualTo(viaGenerator(span));
            }
        }
        // The fields after the times that are not kept: an error, input, output, annotations, edges, evaluations.
        SpanRecord base = loopSpan(1, "ok", usual, resource, "main");
        List<SpanRecord> notKept = List.of(
                withValues(base, NODES.objectNode().put("type", "E"), null, null, List.of(), List.of(), List.of()),
                withValues(base, null, NODES.textNode("in"), null, List.of(), List.of(), List.of()),
                withValues(base, null, null, NODES.textNode("out"), List.of(), List.of(), List.of()),
                withValues(base, null, null, null, List.of(new SpanRecord.Note(5, "n")), List.of(), List.of()),
                withValues(base, null, null, null, List.of(), List.of(new SpanRecord.Link("t", "a", "b")), List.of()),
                withValues(base, null, null, null, List.of(), List.of(),
                        List.of(new EvaluationRecord(5, "t", "s", "e", 1.0, null, null))));
        for (SpanRecord other : notKept) {
            for (SpanRecord span : List.of(base, base, other, other, base)) {
                assertThat(encoded(encoder, span)).as(other.toString()).isEqualTo(viaGenerator(span));
            }
        }
    }

    @Test
    void anAttributeMapChangedAfterItsLineIsNotTakenForTheOldOne() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        Map<String, String> resource = Map.of("service.name", "bench");
        SpanAttributes attributes = new SpanAttributes(Map.of("step", NODES.numberNode(1)));
        SpanRecord start = new SpanRecord("0123456789abcdef0123456789abcdef", "0123456789abcdef", null, "run",
                "agent", "INTERNAL", 1_000, 0, "running", null, attributes, null, null, List.of(), List.of(),
                List.of(), resource, "main", true);
        assertThat(encoded(encoder, start)).isEqualTo(viaGenerator(start));
        attributes.put("step", NODES.numberNode(2)); // a running span's map, as its start record shares it
        attributes.put("done", NODES.booleanNode(true));
        SpanRecord snapshot = new SpanRecord(start.traceId(), start.spanId(), null, "run", "agent", "INTERNAL",
                1_000, 0, "running", null, attributes, null, null, List.of(), List.of(), List.of(), resource, "main",
                true);
        assertThat(encoded(encoder, snapshot)).contains("\"step\":2,\"done\":true").isEqualTo(viaGenerator(snapshot));
    }

    private static SpanRecord withValues(SpanRecord span, ObjectNode error, JsonNode input, JsonNode output,
            List<SpanRecord.Note> annotations, List<SpanRecord.Link> edges, List<EvaluationRecord> evaluations) {
        return new SpanRecord(span.traceId(), span.spanId(), span.parentSpanId(), span.name(), span.nodeType(),
                span.spanKind(), span.startEpochNanos(), span.endEpochNanos(), span.status(), error,
                span.attributes(), input, output, annotations, edges, evaluations, span.resource(), span.thread(),
                span.root(), span.idNumbers());
    }

    @Test
    void anEndedSpanLikeThePreviousOneBeforeItsDurationIsTheGeneratorsBytes() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        long second = 1_764_000_000_000_000_000L;
        long[][] times = { // start, end: the same second, the next one, a second apart, the epoch, before it
            {second + 1_000, second + 2_500}, {second + 999_999_000, second + 1_000_000_001_000L},
            {second + 5_000_000_000L, second + 5_000_000_999L}, {second - 1, second + 7}, {0, 1_000},
            {-1_500, -500}, {second + 3_000_000_000L, second + 9_000_000_000_123L}};
        List<String[]> names = List.of(new String[] {"classify_intent", "llm", "INTERNAL"},
                new String[] {"classify_intent", "tool", "INTERNAL"}, new String[] {"classify_intent", "llm", "CLIENT"},
                new String[] {"other", "llm", "INTERNAL"}, new String[] {null, "llm", "INTERNAL"});
        long n = 0;
        for (int round = 0; round < 3; round++) {
            for (long[] time : times) {
                for (String[] name : names) {
                    for (long parent : new long[] {0, 0xfedcba9876543210L, 1}) {
                        n++;
                        SpanRecord.IdNumbers numbers = round == 2 && n % 4 == 0 ? null
                                : new SpanRecord.IdNumbers(n * 0x9E3779B97F4A7C15L, ~n, n << 40, parent);
                        SpanRecord span = new SpanRecord("%016x%016x".formatted(n * 0x9E3779B97F4A7C15L, ~n),
                                "%016x".formatted(n << 40), parent == 0 ? null : "%016x".formatted(parent), name[0],
                                name[1], name[2], time[0], round == 1 && n % 5 == 0 ? 0 : time[1],
                                round == 1 && n % 5 == 0 ? "running" : "ok", null, Map.of("k", NODES.textNode("v")),
                                null, null, List.of(), List.of(), List.of(), Map.of("service.name", "s"), "main",
                                parent == 0, numbers);
                        for (int twice = 0; twice < 2; twice++) {
                            assertThat(encoded(encoder, span)).as(span.toString()).isEqualTo(viaGenerator(span));
                        }
                    }
                }
            }
        }
    }
}
