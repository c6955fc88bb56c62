package io.aitrace;

import java.util.concurrent.Executor;

/** An executor that runs each task with the span current at submission. */
final class ContextExecutor implements Executor {
    private final Executor delegate;

    ContextExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(Tracing.wrap(command));
    }

    @Override
    public String toString() {
        return "Tracing.wrap(" + delegate + ")";
    }
}
