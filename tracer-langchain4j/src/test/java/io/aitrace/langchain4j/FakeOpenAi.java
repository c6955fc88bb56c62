package io.aitrace.langchain4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible chat-completions endpoint on a JDK HttpServer: answers each request with the next scripted
 * reply (JSON, an SSE stream, or an HTTP error) and keeps the request bodies it received.
 */
final class FakeOpenAi implements AutoCloseable {
    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();

    /** A reply for requests whose body contains {@code marker}; with a latch, held until the latch opens. */
    private record Rule(String marker, Reply reply, CountDownLatch together) {
    }

    record Reply(int status, String contentType, String body) {
    }

    FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    synchronized FakeOpenAi json(String body) {
        replies.add(new Reply(200, "application/json", body));
        return this;
    }

    /** An SSE stream: each chunk as a {@code data:} event, then {@code data: [DONE]}. */
    synchronized FakeOpenAi stream(String... chunks) {
        replies.add(sse(chunks));
        return this;
    }

    /** An SSE reply: each chunk as a {@code data:} event, then {@code data: [DONE]}. */
    static Reply sse(String... chunks) {
        StringBuilder body = new StringBuilder();
        for (String chunk : chunks) {
            body.append("data: ").append(chunk).append("\n\n");
        }
        body.append("data: [DONE]\n\n");
        return new Reply(200, "text/event-stream", body.toString());
    }

    synchronized FakeOpenAi error(int status, String body) {
        replies.add(new Reply(status, "application/json", body));
        return this;
    }

    /** Answers every request containing {@code marker} with this JSON, ahead of the scripted queue. */
    synchronized FakeOpenAi whenContains(String marker, String json) {
        rules.add(new Rule(marker, new Reply(200, "application/json", json), null));
        return this;
    }

    /**
     * Answers requests containing one of the markers with its JSON, but only once all of them have arrived: the
     * calls are in flight at the same time, as parallel branches are.
     */
    synchronized FakeOpenAi together(Map<String, String> jsonByMarker) {
        Map<String, Reply> replies = new java.util.LinkedHashMap<>();
        jsonByMarker.forEach((marker, json) -> replies.put(marker, new Reply(200, "application/json", json)));
        return togetherReplies(replies);
    }

    /** As {@link #together(Map)}, with any replies (an SSE stream from {@link #sse(String...)}, say). */
    synchronized FakeOpenAi togetherReplies(Map<String, Reply> replyByMarker) {
        CountDownLatch latch = new CountDownLatch(replyByMarker.size());
        replyByMarker.forEach((marker, reply) -> rules.add(new Rule(marker, reply, latch)));
        return this;
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange) throws IOException {
        Reply reply = null;
        CountDownLatch together = null;
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            requests.add(body);
            for (Rule rule : rules) {
                if (body.contains(rule.marker())) {
                    reply = rule.reply();
                    together = rule.together();
                    break;
                }
            }
            if (reply == null) {
                reply = replies.poll();
            }
        }
        if (together != null) {
            together.countDown();
            try {
                together.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (reply == null) {
            reply = new Reply(500, "application/json", "{\"error\":{\"message\":\"no scripted reply left\"}}");
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A chat.completion answer with text, the given usage and finish reason. */
    static String completion(String id, String content, String finishReason, int promptTokens, int completionTokens) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":" + (content == null ? "null" : quote(content)) + "},\"finish_reason\":\"" + finishReason
                + "\"}],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}";
    }

    /** A chat.completion answer asking for one or more tools: each call as {id, name, JSON arguments}. */
    static String toolCalls(String id, int promptTokens, int completionTokens, String[]... calls) {
        StringBuilder json = new StringBuilder();
        for (String[] call : calls) {
            if (json.length() > 0) {
                json.append(',');
            }
            json.append("{\"id\":\"").append(call[0]).append("\",\"type\":\"function\",\"function\":{\"name\":\"")
                    .append(call[1]).append("\",\"arguments\":").append(quote(call[2])).append("}}");
        }
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[" + json + "]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}";
    }

    /** One streamed chunk: a delta (JSON) and a finish reason (JSON: null or a quoted reason). */
    static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + finishReason + "}]}";
    }

    /** The last streamed chunk: no choices, the usage. */
    static String usageChunk(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt
                + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
