package io.aitrace.benchmarks;

import io.aitrace.Tracer;
import io.aitrace.core.target.Target;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** An aitrace runtime writing only to {@link #target()}, for one trial; its drops are the trial's drops. */
public abstract class RuntimeState {
    TracerRuntime runtime;
    Tracer tracer;

    /** Where the records go. */
    abstract Target target();

    @Setup(Level.Trial)
    public void start() {
        TracerRuntime rt = TracerRuntime.create(TracerConfig.builder().target("none").serviceName("bench")
                .flushTimeout(Duration.ofSeconds(1)).addTarget(target()).build());
        runtime = rt;
        tracer = rt.tracer("bench");
        Drops.source = rt::droppedRecords;
    }

    @TearDown(Level.Trial)
    public void stop() {
        runtime.close();
    }
}
