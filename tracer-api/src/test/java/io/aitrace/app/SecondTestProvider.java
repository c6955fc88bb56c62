package io.aitrace.app;

/** Another working provider; see {@link MarkingProvider}. */
public final class SecondTestProvider extends MarkingProvider {
}
