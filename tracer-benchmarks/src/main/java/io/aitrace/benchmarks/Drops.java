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

    @Setup(Level.Iteration)
    public void startIteration() {
        base = source.getAsLong();
    }

    /** Records lost since the iteration began. */
    public long dropped() {
        return source.getAsLong() - base;
    }
}
