package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the store writer indexes text between commits, driven with made-up durations and backlogs. */
class TextIndexPacingTest {
    private static final long BOUND = 1_000_000;
    private static final long COMMIT_NANOS = 5_000_000;
    private static final long CHUNK_NANOS = 35_000_000;
    private static final int ROWS_PER_COMMIT = 900;
    private static final int ROWS_PER_CHUNK = 4_000;

    @Test
    void belowTheBoundNothingIsIndexedBetweenCommits() {
        TextIndexPacing pacing = new TextIndexPacing(BOUND, 0.25);
        for (long backlog = 0; backlog <= BOUND; backlog += ROWS_PER_COMMIT) {
            assertThat(pacing.afterCommit(COMMIT_NANOS, backlog)).isFalse();
        }
    }

    @Test
    void aBacklogHoveringAtTheBoundGetsAQuarterOfTheStoringTimeNotAChunkAfterEveryCommit() {
        TextIndexPacing pacing = new TextIndexPacing(BOUND, 0.25);
        long backlog = BOUND - 100;
        long storing = 0;
        long indexing = 0;
        int chunks = 0;
        for (int commit = 0; commit < 1_000; commit++) { // the backlog stays below twice the bound
            backlog += ROWS_PER_COMMIT;
            storing += COMMIT_NANOS;
            if (pacing.afterCommit(COMMIT_NANOS, backlog)) {
                pacing.indexed(CHUNK_NANOS);
                indexing += CHUNK_NANOS;
                backlog -= ROWS_PER_CHUNK; // a chunk takes the backlog below the bound again, for a commit
                chunks++;
            }
        }
        assertThat(chunks).isGreaterThan(0);
        assertThat(indexing).isLessThanOrEqualTo((long) (storing * 0.25) + CHUNK_NANOS);
    }

    @Test
    void pastTwiceTheBoundAChunkFollowsEveryCommit() {
        TextIndexPacing pacing = new TextIndexPacing(BOUND, 0.25);
        assertThat(pacing.afterCommit(COMMIT_NANOS, BOUND + 1)).isTrue();
        pacing.indexed(CHUNK_NANOS);
        assertThat(pacing.afterCommit(COMMIT_NANOS, BOUND + 2)).isFalse();
        for (int commit = 0; commit < 100; commit++) {
            assertThat(pacing.afterCommit(COMMIT_NANOS, 2 * BOUND + 1)).isTrue();
            pacing.indexed(CHUNK_NANOS);
        }
        // back under twice the bound: those chunks are not held against the share, 500 ms of storing allow a chunk
        assertThat(pacing.afterCommit(COMMIT_NANOS, 2 * BOUND)).isTrue();
    }

    @Test
    void catchingUpEndsAtHalfTheBoundAndStartsAfreshWhenTheBacklogPassesItAgain() {
        TextIndexPacing pacing = new TextIndexPacing(BOUND, 0.25);
        assertThat(pacing.afterCommit(COMMIT_NANOS, BOUND + 1)).isTrue();
        pacing.indexed(CHUNK_NANOS * 100); // far over its share
        assertThat(pacing.afterCommit(COMMIT_NANOS, BOUND / 2 + 1)).isFalse(); // still catching up, over its share
        assertThat(pacing.afterCommit(COMMIT_NANOS, BOUND / 2)).isFalse(); // caught up
        assertThat(pacing.afterCommit(COMMIT_NANOS, BOUND)).isFalse();
        assertThat(pacing.afterCommit(COMMIT_NANOS, BOUND + 1)).isTrue(); // a new count: the first chunk at once
    }
}
