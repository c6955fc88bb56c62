package io.aitrace.benchmarks;

import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Records lost in each iteration, reported by JMH beside the time (a secondary result named {@code dropped}).
 * A benchmark that goes through a queue points {@link #source} at its loss counter in its setup; a figure
 * with drops is not a throughput figure.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Drops {
    /** The running total of lost records of the system being measured. */
    static volatile LongSupplier source = () -> 0;

    private long base;
    /** The source {@link #base} was read from. */
    private LongSupplier baseSource;

    @Setup(Level.Iteration)
    public void startIteration() {
        baseSource = source;
        base = baseSource.getAsLong();
    }

    /**
     * Records lost since the iteration began. JMH runs iteration setups in no fixed order: when the benchmark's
     * own setup pointed {@link #source} at a new counter after this one read its base, that counter started
     * with the iteration, and the old base does not apply (it made the count negative).
     */
    public long dropped() {
        LongSupplier current = source;
        return current.getAsLong() - (current == baseSource ? base : 0);
    }
}
