package io.aitrace.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An OpenAI-compatible {@code /v1/chat/completions} endpoint started in-process, so that LangChain4j's real
 * OpenAI client runs offline: a script looks at each request (its messages, as JSON) and picks the answer, which
 * goes back as a {@code chat.completion} JSON object, or as a server-sent event stream ending in
 * {@code data: [DONE]} when the request asked for {@code "stream": true}.
 *
 * <pre>{@code
 * try (FakeOpenAiServer server = FakeOpenAiServer.start(request -> Answer.text("Hello!", 12, 3))) {
 *     ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("offline").build();
 * }
 * }</pre>
 */
public final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-openai");
        thread.setDaemon(true);
        return thread;
    });
    private final Function<JsonNode, Answer> script;
    private final AtomicInteger ids = new AtomicInteger();

    /** What the model answers: text, or calls of tools ({@code id}, {@code name}, JSON arguments). */
    public record Answer(String text, List<ToolCall> toolCalls, int promptTokens, int completionTokens,
            Duration latency) {
        public static Answer text(String text, int promptTokens, int completionTokens) {
            return new Answer(text, List.of(), promptTokens, completionTokens, Duration.ZERO);
        }

        public static Answer tools(List<ToolCall> calls, int promptTokens, int completionTokens) {
            return new Answer(null, calls, promptTokens, completionTokens, Duration.ZERO);
        }

        /** The same answer, sent after this long (the model "thinking"). */
        public Answer after(Duration delay) {
            return new Answer(text, toolCalls, promptTokens, completionTokens, delay);
        }
    }

    public record ToolCall(String id, String name, String arguments) {
    }

    private FakeOpenAiServer(Function<JsonNode, Answer> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts the server on a free port of 127.0.0.1. */
    public static FakeOpenAiServer start(Function<JsonNode, Answer> script) {
        try {
            return new FakeOpenAiServer(script);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The base URL for LangChain4j's OpenAI models ({@code .baseUrl(...)}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The text of the last message of a request with this role, or "" when there is none. */
    public static String lastText(JsonNode request, String role) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (role.equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                if (content.isArray()) {
                    StringBuilder text = new StringBuilder();
                    content.forEach(part -> text.append(part.path("text").asText("")));
                    return text.toString();
                }
                return content.asText("");
            }
        }
        return "";
    }

    /** The role of the request's last message. */
    public static String lastRole(JsonNode request) {
        JsonNode messages = request.path("messages");
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("role").asText();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            Answer answer = script.apply(request);
            if (!answer.latency().isZero()) {
                Thread.sleep(answer.latency().toMillis());
            }
            String model = request.path("model").asText("gpt-4o-mini");
            String id = "chatcmpl-" + ids.incrementAndGet();
            boolean stream = request.path("stream").asBoolean(false);
            byte[] body = (stream ? sse(id, model, answer) : completion(id, model, answer))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            byte[] body = ("{\"error\":{\"message\":\"" + e.getMessage() + "\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String completion(String id, String model, Answer answer) {
        ObjectNode root = header(id, model, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer.text());
        if (!answer.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : answer.toolCalls()) {
                ObjectNode c = calls.addObject();
                c.put("id", call.id());
                c.put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.put("finish_reason", answer.toolCalls().isEmpty() ? "stop" : "tool_calls");
        usage(root, answer);
        return root.toString();
    }

    /** The answer as chunks: the text word by word (or each tool call), the finish reason, then the usage. */
    private static String sse(String id, String model, Answer answer) {
        StringBuilder out = new StringBuilder();
        if (answer.toolCalls().isEmpty()) {
            String[] words = answer.text() == null ? new String[0] : answer.text().split("(?<= )");
            for (String word : words) {
                ObjectNode chunk = header(id, model, "chat.completion.chunk");
                chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", word);
                event(out, chunk);
            }
        } else {
            int index = 0;
            for (ToolCall call : answer.toolCalls()) {
                ObjectNode chunk = header(id, model, "chat.completion.chunk");
                ObjectNode c = chunk.putArray("choices").addObject().put("index", 0).putObject("delta")
                        .putArray("tool_calls").addObject();
                c.put("index", index++).put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                event(out, chunk);
            }
        }
        ObjectNode finish = header(id, model, "chat.completion.chunk");
        ObjectNode choice = finish.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", answer.toolCalls().isEmpty() ? "stop" : "tool_calls");
        event(out, finish);
        ObjectNode usage = header(id, model, "chat.completion.chunk");
        usage.putArray("choices");
        usage(usage, answer);
        event(out, usage);
        return out.append("data: [DONE]\n\n").toString();
    }

    private static ObjectNode header(String id, String model, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id).put("object", object).put("created", 1764800000L).put("model", model);
        return root;
    }

    private static void usage(ObjectNode root, Answer answer) {
        root.putObject("usage").put("prompt_tokens", answer.promptTokens())
                .put("completion_tokens", answer.completionTokens())
                .put("total_tokens", answer.promptTokens() + answer.completionTokens());
    }

    private static void event(StringBuilder out, JsonNode chunk) {
        out.append("data: ").append(chunk).append("\n\n");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
