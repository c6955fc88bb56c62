package io.aitrace.examples.spring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for an OpenAI-compatible model, in-process, so the example runs offline with Spring AI's real
 * OpenAI client. A question first gets two tool calls (the weather at the destination, flights to it); once
 * the tools' answers come back, the final advice.
 */
final class FakeModelServer implements AutoCloseable {
    static final String ADVICE = "Go on Saturday: Lisbon will be sunny at 24 degrees and the 09:40 flight costs 89 EUR.";

    private final HttpServer server;

    FakeModelServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::answer);
        server.start();
    }

    /** What {@code spring.ai.openai.base-url} points at. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void answer(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String body;
        if (request.contains("\"role\":\"tool\"")) {
            body = completion("chatcmpl-advice", "{\"role\":\"assistant\",\"content\":\"" + ADVICE + "\"}", "stop",
                    212, 27);
        } else {
            body = completion("chatcmpl-tools", "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                    + toolCall("call_weather", "weather", "{\\\"city\\\":\\\"Lisbon\\\"}") + ","
                    + toolCall("call_flights", "flights", "{\\\"from\\\":\\\"Paris\\\",\\\"to\\\":\\\"Lisbon\\\"}")
                    + "]}", "tool_calls", 148, 41);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String toolCall(String id, String name, String arguments) {
        return "{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name
                + "\",\"arguments\":\"" + arguments + "\"}}";
    }

    private static String completion(String id, String message, String finishReason, int in, int out) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1764800000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":" + message
                + ",\"logprobs\":null,\"finish_reason\":\"" + finishReason + "\"}],\"usage\":{\"prompt_tokens\":"
                + in + ",\"completion_tokens\":" + out + ",\"total_tokens\":" + (in + out) + "}}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
