package io.aitrace.examples.spring;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.stereotype.Component;

/** The assistant's tools: each call becomes a {@code tool} span with its arguments and result. */
@Component
public class TravelTools {
    private static final Logger log = LoggerFactory.getLogger(TravelTools.class);

    @Tool(name = "weather", description = "The weather forecast for the weekend in a city")
    public Map<String, Object> weather(String city) {
        log.info("forecast for {}", city);
        return Map.of("city", city, "saturday", "sunny, 24°C", "sunday", "showers, 19°C");
    }

    @Tool(name = "flights", description = "Saturday's cheapest flights between two cities")
    public Map<String, Object> flights(String from, String to) {
        log.info("searching flights {} -> {}", from, to);
        return Map.of("from", from, "to", to, "departure", "09:40", "price_eur", 89);
    }
}
