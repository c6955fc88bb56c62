package io.aitrace.app;

/** A working provider; see {@link MarkingProvider}. */
public final class FirstTestProvider extends MarkingProvider {
}
