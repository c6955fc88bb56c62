package io.aitrace.spring.ai.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A small Spring AI application as a user writes it: a controller, a ChatClient with an advisor, a tool. */
@SpringBootApplication
public class WeatherApp {

    @Bean
    ChatClient chatClient(ChatClient.Builder builder, WeatherTools tools) {
        return builder.defaultSystem("You are a weather assistant.")
                .defaultAdvisors(new AuditAdvisor())
                .defaultTools(tools)
                .build();
    }

    @RestController
    static class AskController {
        private static final Logger log = LoggerFactory.getLogger(AskController.class);
        private final ChatClient chatClient;

        AskController(ChatClient chatClient) {
            this.chatClient = chatClient;
        }

        @GetMapping("/ask")
        String ask(@RequestParam("q") String question) {
            log.info("asking the model");
            return chatClient.prompt().user(question).call().content();
        }
    }

    @Component
    public static class WeatherTools {
        private static final Logger log = LoggerFactory.getLogger(WeatherTools.class);

        @Tool(name = "weather", description = "The current weather in a city")
        public String weather(String city) {
            log.info("looking up the weather in {}", city);
            return "{\"city\":\"" + city + "\",\"sky\":\"sunny\",\"celsius\":21}";
        }
    }

    /** An advisor that only passes the call on (as an audit or guard advisor would, after its check). */
    static final class AuditAdvisor implements CallAdvisor {
        @Override
        public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
            return chain.nextCall(request);
        }

        @Override
        public String getName() {
            return "AuditAdvisor";
        }

        @Override
        public int getOrder() {
            return 0;
        }
    }
}
