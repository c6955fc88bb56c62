package io.aitrace.spring.ai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible chat server on a free port: the first call of a conversation asks for the
 * {@code weather} tool, the call that carries the tool's answer gets the final text. Token counts are fixed so
 * tests can check them exactly. {@link #failWith(int)} makes every call answer with that HTTP status.
 */
final class FakeOpenAi implements AutoCloseable {
    static final int TOOL_CALL_INPUT_TOKENS = 31;
    static final int TOOL_CALL_OUTPUT_TOKENS = 12;
    static final int ANSWER_INPUT_TOKENS = 58;
    static final int ANSWER_OUTPUT_TOKENS = 9;
    static final String ANSWER = "It is sunny in Paris, 21 degrees.";

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int failStatus;

    FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to give Spring AI ({@code spring.ai.openai.base-url}). */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<String> requests() {
        return requests;
    }

    void failWith(int status) {
        this.failStatus = status;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(body);
        if (!exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
            respond(exchange, 404, "{\"error\":{\"message\":\"no such path\",\"type\":\"invalid_request_error\"}}");
        } else if (failStatus != 0) {
            respond(exchange, failStatus, "{\"error\":{\"message\":\"the model is overloaded\",\"type\":\"server_error\"}}");
        } else if (body.contains("\"role\":\"tool\"")) {
            respond(exchange, 200, completion("chatcmpl-2", "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}",
                    "stop", ANSWER_INPUT_TOKENS, ANSWER_OUTPUT_TOKENS));
        } else {
            String call = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}";
            respond(exchange, 200, completion("chatcmpl-1", call, "tool_calls", TOOL_CALL_INPUT_TOKENS,
                    TOOL_CALL_OUTPUT_TOKENS));
        }
    }

    private static String completion(String id, String message, String finishReason, int in, int out) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":" + message
                + ",\"logprobs\":null,\"finish_reason\":\"" + finishReason + "\"}],"
                + "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out + ",\"total_tokens\":"
                + (in + out) + "}}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
