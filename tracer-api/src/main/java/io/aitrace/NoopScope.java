package io.aitrace;

/** The scope that restores nothing. */
enum NoopScope implements Scope {
    INSTANCE;

    @Override
    public void close() {
    }
}
