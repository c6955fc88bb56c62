package io.aitrace.examples;

import io.aitrace.Traced;
import java.time.Duration;
import java.util.Map;

/**
 * The tools of example 8, as an interface whose {@link Traced} methods become tool spans when the implementation
 * is wrapped with {@link io.aitrace.Tracing#proxy}: arguments as input, the return value as output, an exception
 * as the span's error (and thrown on unchanged). {@link #describe()} is not traced.
 */
public interface TravelTools {

    @Traced("get_weather")
    Map<String, Object> weather(String city);

    @Traced("convert_currency")
    double convert(double amount, String from, String to);

    @Traced(value = "check_visa", type = "guardrail")
    String visaRequirements(String passport, String country);

    String describe();

    /**
     * Weather and price in one line: a traced default method, run on the proxy, so the two traced calls it makes
     * become its children.
     */
    @Traced(value = "trip_brief", type = "step")
    default String brief(String city) {
        Map<String, Object> weather = weather(city);
        return city + ": " + weather.get("condition") + ", " + weather.get("temperature_c") + "°C; 100 EUR = "
                + convert(100, "EUR", "USD") + " USD";
    }

    /** Scripted answers with a little latency; visa checks for unknown passports fail. */
    final class Scripted implements TravelTools {
        @Override
        public Map<String, Object> weather(String city) {
            ScriptedLlm.pause(Duration.ofMillis(40));
            return Map.of("city", city, "condition", "sunny", "temperature_c", 24);
        }

        @Override
        public double convert(double amount, String from, String to) {
            ScriptedLlm.pause(Duration.ofMillis(40));
            return Math.round(amount * 1.08 * 100) / 100.0;
        }

        @Override
        public String visaRequirements(String passport, String country) {
            ScriptedLlm.pause(Duration.ofMillis(10));
            if (!passport.equals("FR") && !passport.equals("US")) {
                throw new IllegalArgumentException("no visa rules for passport " + passport);
            }
            return "no visa needed for stays up to 90 days";
        }

        @Override
        public String describe() {
            return "weather, currency and visa tools (scripted)";
        }
    }
}
