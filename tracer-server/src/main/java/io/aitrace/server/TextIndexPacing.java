package io.aitrace.server;

/**
 * When the store writer indexes text between commits instead of waiting for ingest to pause ({@link Store}). Past
 * {@code bound} unindexed rows it catches up: its time spent indexing is held to {@code share} of its time spent
 * storing, counted from the moment the backlog passed the bound, until the backlog is back to half the bound (so a
 * backlog that hovers at the bound, a chunk below it and a commit above, does not start the count over and index
 * after every commit). Past twice the bound it indexes after every commit, whatever that costs ingest: the backlog
 * stays small enough for a search to index all of it within its wait. Only the writer thread uses it.
 */
final class TextIndexPacing {
    private final long bound;
    private final double share;
    private boolean catchingUp;
    private long storingNanos;
    private long indexingNanos;
    /** The chunk asked for last was past twice the bound: its time is not counted against the share. */
    private boolean forced;

    TextIndexPacing(long bound, double share) {
        this.bound = bound;
        this.share = share;
    }

    /** After a commit that took {@code nanos}, with {@code backlog} rows unindexed: whether to index a chunk now. */
    boolean afterCommit(long nanos, long backlog) {
        if (!catchingUp && backlog > bound) {
            catchingUp = true;
            storingNanos = 0;
            indexingNanos = 0;
        } else if (catchingUp && backlog <= bound / 2) {
            catchingUp = false;
        }
        if (!catchingUp) {
            return false;
        }
        storingNanos += nanos;
        forced = backlog > 2 * bound;
        return forced || indexingNanos <= storingNanos * share;
    }

    /**
     * A chunk indexed after a commit took {@code nanos}. Chunks past twice the bound do not count: back under it,
     * the writer indexes at its share at once instead of paying off the time it was made to spend.
     */
    void indexed(long nanos) {
        if (!forced) {
            indexingNanos += nanos;
        }
    }
}
