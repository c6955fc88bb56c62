package io.aitrace.examples.spring;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot + Spring AI travel assistant, traced by nothing more than the {@code tracer-spring-ai}
 * dependency: a controller asks a {@link ChatClient} (with an advisor and two {@code @Tool} methods) for
 * advice. Run offline: {@link #main} starts a fake OpenAI-compatible model server in-process, the application
 * on a free port, sends it one question over HTTP, prints the answer and stops; the trace (the ChatClient call,
 * its advisors, both model calls with messages and tokens, both tool calls with arguments and results, the log
 * lines) goes where {@code aitrace.target} / {@code LOG_TRG} say.
 *
 * <pre>
 * mvn -q -pl tracer-examples-spring -am package -DskipTests
 * LOG_TRG=travel.jsonl mvn -q -pl tracer-examples-spring exec:java && bin/aitrace inspect travel.jsonl
 * </pre>
 */
@SpringBootApplication
public class TravelAssistant {
    static final String QUESTION = "Should I fly from Paris to Lisbon this weekend?";

    @Bean
    ChatClient chatClient(ChatClient.Builder builder, TravelTools tools) {
        return builder.defaultSystem("You are a travel assistant. Check the weather and the flights before advising.")
                .defaultAdvisors(new BudgetAdvisor())
                .defaultTools(tools)
                .build();
    }

    @RestController
    static class AdviceController {
        private static final Logger log = LoggerFactory.getLogger(AdviceController.class);
        private final ChatClient chatClient;

        AdviceController(ChatClient chatClient) {
            this.chatClient = chatClient;
        }

        @GetMapping("/advice")
        String advice(@RequestParam("q") String question) {
            log.info("advice asked");
            return chatClient.prompt().user(question).call().content();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(args));
    }

    /** Runs the whole example once and returns the assistant's answer; the context is closed (records flushed). */
    static String run(String... args) throws Exception {
        try (FakeModelServer model = new FakeModelServer()) {
            List<String> all = new ArrayList<>(Arrays.asList(args));
            all.add("--spring.ai.openai.base-url=" + model.baseUrl());
            all.add("--server.port=0");
            try (ConfigurableApplicationContext context = SpringApplication.run(TravelAssistant.class,
                    all.toArray(String[]::new))) {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                URI uri = URI.create("http://127.0.0.1:" + port + "/advice?q="
                        + URLEncoder.encode(QUESTION, StandardCharsets.UTF_8));
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                return response.body();
            }
        }
    }
}
