package io.aitrace.app;

/** A broken provider: its constructor throws, as one with a missing configuration might. */
public final class ThrowingTestProvider extends MarkingProvider {
    public static final String FAILURE = "test provider refuses to start";

    public ThrowingTestProvider() {
        throw new IllegalStateException(FAILURE);
    }
}
