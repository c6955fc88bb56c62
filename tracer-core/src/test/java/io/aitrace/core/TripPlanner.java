package io.aitrace.core;

import io.aitrace.Traced;
import java.io.IOException;

/** A public tool interface for the proxy tests: a default method that calls traced methods. */
public interface TripPlanner {
    @Traced
    String forecast(String city);

    @Traced(value = "find_hotels", type = "retrieval")
    String hotels(String city) throws IOException;

    @Traced(type = "agent")
    default String plan(String city) throws IOException {
        return forecast(city) + "; " + hotels(city);
    }
}
