package io.aitrace.viewer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aitrace.core.read.TraceReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records in format v1 for the browser tests: a small agent run in two versions, and a very large trace. */
final class TraceFixtures {
    static final String WEATHER = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String WEATHER_FAILED = "0af7651916cd43dd8448eb211c80319c";
    static final String NEWS = "5e8c1f0a9b2d4c6e8f0a1b2c3d4e5f60";
    static final String XSS = "<img src=x onerror=alert(1)>";
    static final Instant T0 = Instant.parse("2026-11-21T18:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private TraceFixtures() {
    }

    /** The HTML export of {@code lines}, read as tracer-core reads them, written to {@code file}. */
    static Path export(Path file, List<String> lines, String title) throws IOException {
        return HtmlExport.write(file, lines, TraceReader.readLines(lines), title);
    }

    static String time(double ms) {
        return ISO.format(T0.plusNanos(Math.round(ms * 1_000_000)));
    }

    /** A span record; {@code ms} null for one still running. */
    static Map<String, Object> span(String traceId, String spanId, String parent, String name, String type,
            double startMs, Double ms, String status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("v", 1);
        r.put("type", "span");
        r.put("trace_id", traceId);
        r.put("span_id", spanId);
        r.put("parent_span_id", parent);
        r.put("name", name);
        r.put("node_type", type);
        r.put("span_kind", "INTERNAL");
        r.put("start", time(startMs));
        r.put("end", ms == null ? null : time(startMs + ms));
        r.put("duration_ms", ms);
        r.put("status", ms == null ? null : status);
        r.put("error", null);
        r.put("attributes", new LinkedHashMap<>());
        r.put("resource", Map.of("service.name", "weather-agent"));
        r.put("thread", "main");
        return r;
    }

    static Map<String, Object> log(String traceId, String spanId, double atMs, String level, String event) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("v", 1);
        r.put("type", "log");
        r.put("timestamp", time(atMs));
        r.put("level", level);
        r.put("logger", "com.acme.Agent");
        r.put("event", event);
        r.put("trace_id", traceId);
        r.put("span_id", spanId);
        r.put("thread", "main");
        r.put("attrs", new LinkedHashMap<>());
        return r;
    }

    /** 16 hex digits from a trace-unique prefix digit and a number. */
    static String id(char prefix, int n) {
        return prefix + String.format("%015x", n);
    }

    /**
     * The weather agent: an LLM call (with messages, model and tokens), a search that times out (when
     * {@code searchFails}) and its retry, a forecast, a step whose name is markup, and log lines.
     */
    @SuppressWarnings("unchecked")
    static List<String> weather(String traceId, char p, boolean searchFails) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> root = span(traceId, id(p, 1), null, "weather_agent", "agent", 0, 1200.0, "ok");
        ((Map<String, Object>) root.get("attributes")).put("gen_ai.conversation.id", searchFails ? "conv-42" : "conv-7");
        out.add(root);
        Map<String, Object> llm = span(traceId, id(p, 2), id(p, 1), "classify_intent", "llm", 10, 330.0, "ok");
        Map<String, Object> attrs = (Map<String, Object>) llm.get("attributes");
        attrs.put("gen_ai.request.model", "gpt-4o");
        attrs.put("gen_ai.response.model", "gpt-4o-2024-08-06");
        attrs.put("gen_ai.usage.input_tokens", 52);
        attrs.put("gen_ai.usage.output_tokens", 7);
        attrs.put("gen_ai.input.messages", List.of(
                Map.of("role", "system", "parts", List.of(Map.of("type", "text", "content", "Classify the user's intent."))),
                Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "What's the weather in Paris?")))));
        attrs.put("gen_ai.output.messages", List.of(
                Map.of("role", "assistant", "parts", List.of(Map.of("type", "text", "content", "weather_lookup"),
                        Map.of("type", "tool_call", "id", "call_1", "name", "forecast", "arguments",
                                Map.of("city", "Paris"))))));
        llm.put("input", Map.of("query", "What's the weather in Paris?"));
        llm.put("output", Map.of("intent", "weather_lookup", "confidence", 0.97));
        llm.put("annotations", List.of(Map.of("ts", time(300), "text", "High confidence, routing to weather tool")));
        out.add(llm);
        out.add(log(traceId, id(p, 2), 200, "info", "calling model"));
        Map<String, Object> search = span(traceId, id(p, 3), id(p, 1), "search", "tool", 360, 120.0,
                searchFails ? "error" : "ok");
        ((Map<String, Object>) search.get("attributes")).put("gen_ai.tool.name", "web_search");
        search.put("input", Map.of("q", "Paris weather", "options",
                Map.of("lang", "en", "limit", 5, "filters", Map.of("site", List.of("meteo.fr"), "fresh", true))));
        if (searchFails) {
            search.put("error", Map.of("type", "java.io.IOException", "message", "search timed out",
                    "stack", "java.io.IOException: search timed out\n\tat com.acme.Search.query(Search.java:42)"));
        } else {
            search.put("output", Map.of("results", List.of("sunny")));
        }
        out.add(search);
        Map<String, Object> retry = span(traceId, id(p, 4), id(p, 1), "search", "tool", 500, 300.0, "ok");
        ((Map<String, Object>) retry.get("attributes")).put("gen_ai.tool.name", "web_search");
        retry.put("edges", List.of(Map.of("type", "retry_of", "trace_id", traceId, "span_id", id(p, 3))));
        retry.put("input", Map.of("q", "Paris weather"));
        retry.put("output", Map.of("results", List.of("sunny", "22°C")));
        out.add(retry);
        out.add(span(traceId, id(p, 5), id(p, 1), "fetch_forecast", "tool", 520, 250.0, "ok"));
        Map<String, Object> render = span(traceId, id(p, 6), id(p, 1), XSS, "step", 850, searchFails ? 340.0 : 300.0, "ok");
        render.put("output", Map.of("html", "</script><script>alert(2)</script>"));
        out.add(render);
        out.add(log(traceId, id(p, 1), 1190, "warn", "done with <b>warnings</b>"));
        return out.stream().map(TraceFixtures::json).toList();
    }

    /** A third, unrelated trace from another service, started later. */
    static List<String> news() {
        Map<String, Object> root = span(NEWS, id('c', 1), null, "news_digest", "agent", 60_000, 4200.0, "ok");
        root.put("resource", Map.of("service.name", "news-agent"));
        Map<String, Object> step = span(NEWS, id('c', 2), id('c', 1), "summarize", "llm", 60_100, 4000.0, "ok");
        step.put("resource", Map.of("service.name", "news-agent"));
        return List.of(json(root), json(step));
    }

    /** The two weather runs (the older one with a failed search) and the news digest. */
    static List<String> threeTraces() {
        List<String> all = new ArrayList<>(weather(WEATHER_FAILED, 'b', true));
        all.addAll(weather(WEATHER, 'a', false));
        all.addAll(news());
        return all;
    }

    /**
     * One trace of {@code spans} spans: a root with steps of 99 children each; the last span is named
     * {@code last_span}.
     */
    static List<String> large(String traceId, int spans) {
        List<String> out = new ArrayList<>(spans);
        out.add(json(span(traceId, id('d', 0), null, "big_run", "agent", 0, (double) spans, "ok")));
        String step = null;
        for (int i = 1; i < spans; i++) {
            boolean isStep = (i - 1) % 100 == 0;
            String name = i == spans - 1 ? "last_span" : isStep ? "step_" + i : "call_" + i;
            Map<String, Object> r = span(traceId, id('d', i), isStep ? id('d', 0) : step, name, isStep ? "step" : "tool",
                    i, 0.5, i % 997 == 0 ? "error" : "ok");
            r.remove("resource");
            r.remove("span_kind");
            out.add(json(r));
            if (isStep) {
                step = id('d', i);
            }
        }
        return out;
    }

    static Path writeJsonl(Path file, List<String> lines) throws IOException {
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
