package io.aitrace.server;

/** Records stored per second, averaged over the last minute. Thread-safe. */
final class IngestRate {
    private static final int SECONDS = 60;
    private final long[] counts = new long[SECONDS];
    private final long[] stamps = new long[SECONDS];

    synchronized void add(long records, long epochSecond) {
        int slot = (int) Math.floorMod(epochSecond, (long) SECONDS);
        if (stamps[slot] != epochSecond) {
            stamps[slot] = epochSecond;
            counts[slot] = 0;
        }
        counts[slot] += records;
    }

    synchronized double perSecond(long epochSecond) {
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (epochSecond - stamps[i] < SECONDS) {
                total += counts[i];
            }
        }
        return total / (double) SECONDS;
    }
}
