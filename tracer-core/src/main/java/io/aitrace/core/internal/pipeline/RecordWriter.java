package io.aitrace.core.internal.pipeline;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.DroppedRecord;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Moves records from the application's threads to the {@link RecordProcessor}s. Producers never block:
 * {@link #submit} offers to a bounded lock-free ring ({@link MpscQueue}) and counts the record as dropped when it
 * is full. Producers wake the writer only when a batch is waiting or a trace ended, and only when it sleeps (after
 * work it looks again a few times before it does), so a span costs no system call and never waits for a lock the
 * writer holds (which, on a busy machine, a descheduled writer would hold for milliseconds). One daemon thread
 * hands each typed record to every processor (one of them encodes JSON lines for the byte targets); it flushes the
 * processors on an interval, after a root span ended (once it has caught up), on {@link #flush(Duration)} and on
 * {@link #close(Duration)}. Drops are handed on as a {@code dropped} record and
 * reported on stderr at close. A processor that throws is reported once and keeps getting records.
 */
public final class RecordWriter {
    private static final int DRAIN_BATCH = 512;
    /** Queued records that make a sleeping writer worth waking before its flush interval ends. */
    private static final int WAKE_BATCH = 256;
    /** After work, the writer looks at the queue this many times, this far apart, before it sleeps. */
    private static final int LINGER_ROUNDS = 4;
    private static final long LINGER_NANOS = 50_000;
    /** How far past a start record the writer looks for the span's end record. */
    private static final int COALESCE_WINDOW = 16;
    /**
     * Resolves the class of the writer's own record up front (the same constant as {@code new DroppedRecord}): the
     * first overflow must not find it unresolved in code compiled without it, and throw that code away.
     */
    @SuppressWarnings("unused")
    private static final Class<?> DROPPED_RECORD = DroppedRecord.class;

    /** The largest queue: its ring of slots is allocated whole (4 bytes a slot with compressed pointers). */
    static final int MAX_CAPACITY = 1 << 24;

    /** Records and flush barriers waiting for the writer; its length is the bound producers check. */
    private final MpscQueue<Object> queue;
    private final int capacity;
    private final List<RecordProcessor> processors;
    private final long flushIntervalNanos;
    private final LongSupplier clock;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    /** What only the writer thread writes, on lines of its own (producers read this object's fields per record). */
    private final WriterCounts counts = new WriterCounts();
    private final boolean[] processorFailed;
    /** Whether a running span's record may be left out when its end record is in the same batch: no processor needs it. */
    private final boolean coalesce;
    /** Made by the writer thread, in its own allocation buffer: it writes these per batch, producers never read them. */
    private BitSet superseded;
    /** The span of each thread (by ID) whose start record is kept aside; null when none (or the slot is taken). */
    private final AtomicReferenceArray<DeferredStart> deferred = new AtomicReferenceArray<>(DeferredStart.SLOTS);
    private volatile boolean closing;
    /** Set by the writer once it closes the processors: from then on {@link #close} no longer interrupts it. */
    private boolean closingProcessors; // guarded by interruptLock
    private final Object interruptLock = new Object();
    /** Whether the writer sleeps and whether a trace ended, on a cache line of their own. */
    private final WriterSignals signals = new WriterSignals();

    public RecordWriter(List<RecordProcessor> processors, int capacity, Duration flushInterval,
            LongSupplier epochNanosClock) {
        this.processors = List.copyOf(processors);
        this.coalesce = this.processors.stream().noneMatch(RecordProcessor::needsStartRecords);
        this.capacity = Math.min(MAX_CAPACITY, Math.max(16, capacity));
        this.queue = new MpscQueue<>(this.capacity);
        this.processorFailed = new boolean[this.processors.size()];
        // At least 10 ms: a zero interval set in code would otherwise make the writer spin.
        this.flushIntervalNanos = Math.max(10_000_000L, flushInterval.toNanos());
        this.clock = epochNanosClock;
        this.thread = new Thread(this::loop, "aitrace-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a snapshot of a running span: processors get it as {@code onSnapshot}. */
    public boolean submitSnapshot(SpanRecord span) {
        return submit(new Snapshot(span));
    }

    /** Queues a snapshot of a span that may have its start record kept aside: that goes first. */
    public boolean submitSnapshot(DeferredStart span, SpanRecord snapshot) {
        queueStart(span);
        return submit(new Snapshot(snapshot));
    }

    /**
     * A span started on this thread: keeps its start record aside when no processor needs start records and this
     * thread's slot is free, else queues it now. See {@link DeferredStart} for what becomes of a record kept aside.
     */
    public boolean submitStart(DeferredStart span) {
        if (coalesce && !closing) {
            queuePending(); // this thread's earlier span keeps its place before this one
            int slot = span.slot();
            DeferredStart occupant = deferred.get(slot);
            if (occupant == null || !occupant.pending()) {
                span.keepAside(); // before the writer can see it in the slot
                if (deferred.compareAndSet(slot, occupant, span)) {
                    return true;
                }
                span.queued(); // another thread of the same slot came first: nobody saw this span pending
            }
        }
        return submit(span.startRecord());
    }

    /** A span's end record: its start record goes out first unless it was still kept aside, then it is left out. */
    public boolean submitEnd(DeferredStart span, SpanRecord end) {
        if (span.leaveOut()) {
            deferred.compareAndSet(span.slot(), span, null);
            return submitNow(end); // the slot of this thread held this span: nothing else of it is kept aside
        }
        return submit(end);
    }

    /** Queues a span's start record now if it is still kept aside (a child or snapshot of it from another thread). */
    public void queueStart(DeferredStart span) {
        SpanRecord start = span.pending() ? span.takeToQueue() : null;
        if (start != null) {
            try {
                submitNow(start);
            } finally {
                span.queued();
            }
        }
    }

    /** Queues a record; false (and counted) when the queue is full or the writer is closed. Never blocks. */
    public boolean submit(TraceRecord record) {
        queuePending();
        return submitNow(record);
    }

    /** Queues this thread's start record kept aside, if there is one: before any other record from the thread. */
    private void queuePending() {
        Thread thread = Thread.currentThread();
        DeferredStart occupant = deferred.get(DeferredStart.slotOf(thread));
        if (occupant != null && occupant.owner() == thread && occupant.pending()) {
            queueStart(occupant);
        }
    }

    /** Queues every start record kept aside, whichever thread's. */
    private void queueDeferred() {
        for (int i = 0; i < DeferredStart.SLOTS; i++) {
            DeferredStart span = deferred.get(i);
            if (span != null) {
                queueStart(span);
            }
        }
    }

    /** The start records kept aside are written now (the flush interval, close): the spans still run. */
    private boolean writeDeferred() {
        boolean wrote = false;
        for (int i = 0; i < DeferredStart.SLOTS; i++) {
            DeferredStart span = deferred.get(i);
            if (span != null) {
                SpanRecord start = span.takeToWrite();
                deferred.compareAndSet(i, span, null);
                if (start != null) {
                    write(start);
                    wrote = true;
                }
            }
        }
        return wrote;
    }

    private boolean submitNow(TraceRecord record) {
        if (closing) {
            dropped.incrementAndGet();
            return false;
        }
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
            return false;
        }
        boolean ends = record.endsTrace();
        if (ends) {
            signals.traceEnded(); // written only when not already set: most root spans only read it
        }
        // The writer's line is read only when it sleeps: while it works producers touch neither its index nor flags.
        if (signals.sleeping() && (ends || queue.size() >= WAKE_BATCH) && signals.wake()) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Waits until every record submitted before the call reached the processors; false when the time ran out. */
    public boolean flush(Duration timeout) {
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return false;
        }
        Barrier barrier = new Barrier();
        try {
            queueDeferred(); // a running span's start record was submitted before this call too
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!queue.offer(barrier)) { // a full queue: the barrier waits for room, the caller asked to wait
                LockSupport.unpark(thread);
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.isAlive()) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(left, LINGER_NANOS));
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            LockSupport.unpark(thread);
            return barrier.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Hands on what is queued, closes the processors and reports losses; waits at most {@code timeout}. */
    public void close(Duration timeout) {
        if (closing) {
            return;
        }
        flush(timeout);
        closing = true;
        // The interrupt ends a wait in a target's write (a stuck target). It never reaches a processor's close:
        // that may wait for answers of its own (the OTLP target), and an interrupt would cut the wait short.
        synchronized (interruptLock) {
            if (!closingProcessors) {
                thread.interrupt();
            }
        }
        try {
            // Closing a target may itself take up to the flush timeout (the HTTP target re-sends its spill,
            // then writes the HTML copy), so wait a little longer than that for the writer to finish.
            thread.join(timeout.plusSeconds(6).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long lost = dropped.get();
        if (lost > 0) {
            Diagnostics.warn("dropped " + lost + " records because the writer's queue (capacity " + capacity
                    + ") was full; raise aitrace.queue.capacity or write to a faster target");
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return counts.written;
    }

    private void loop() {
        superseded = new BitSet(DRAIN_BATCH);
        List<Object> batch = new ArrayList<>(DRAIN_BATCH);
        long nextFlush = System.nanoTime() + flushIntervalNanos;
        boolean dirty = false;
        boolean traceToFlush = false;
        int lingered = LINGER_ROUNDS;
        while (true) {
            try {
                signals.clearTraceEnded();
                drain(batch);
                if (batch.isEmpty()) {
                    if (closing) {
                        break;
                    }
                    if (traceToFlush) { // caught up with a trace ended
                        reportDrops();
                        flushTargets();
                        dirty = false;
                        traceToFlush = false;
                        nextFlush = System.nanoTime() + flushIntervalNanos;
                        continue;
                    }
                    if (lingered < LINGER_ROUNDS || queue.size() > 0) {
                        // Just busy: look again shortly before announcing a sleep, so the producers of a steady
                        // stream of short traces do not each pay a system call to wake the writer. Records counted
                        // but not in sight yet are a producer between its two steps: they come in a moment.
                        lingered++;
                        LockSupport.parkNanos(this, LINGER_NANOS);
                        Thread.interrupted();
                        continue;
                    }
                    long wait = nextFlush - System.nanoTime();
                    if (wait <= 0) {
                        if (writeDeferred() || dirty) {
                            reportDrops();
                            flushTargets();
                            dirty = false;
                        }
                        nextFlush = System.nanoTime() + flushIntervalNanos;
                        continue;
                    }
                    signals.sleep();
                    // Checked after announcing the sleep: a producer either sees it or left work seen here.
                    // A flush always unparks, and an unpark before the park makes the park return at once.
                    if (queue.size() < WAKE_BATCH && !signals.traceEndedSet()) {
                        LockSupport.parkNanos(this, wait);
                    }
                    signals.awake();
                    Thread.interrupted(); // close() interrupts to end a wait; the loop sees closing itself
                    continue;
                }
                lingered = 0;
                int wrote = writeBatch(batch);
                if ((wrote & FLUSHED) != 0) {
                    dirty = false;
                }
                if ((wrote & WROTE) != 0) {
                    dirty = true;
                }
                // A trace that ended is flushed once the writer has caught up, so a burst of traces costs one
                // write to the file instead of one per trace; the interval bounds the wait when it never does.
                traceToFlush |= (wrote & TRACE_ENDED) != 0;
                boolean due = System.nanoTime() >= nextFlush;
                if ((traceToFlush && queue.size() == 0) || (dirty && due)) {
                    if (due) {
                        writeDeferred();
                    }
                    reportDrops();
                    flushTargets();
                    dirty = false;
                    traceToFlush = false;
                    nextFlush = System.nanoTime() + flushIntervalNanos;
                }
            } catch (RuntimeException | Error e) {
                // Never let the writer die: a broken record or target must not stop tracing.
                Diagnostics.warn("writer error, going on", e);
                batch.clear();
            }
        }
        writeDeferred();
        drainRemaining();
        reportDrops();
        synchronized (interruptLock) {
            closingProcessors = true;
        }
        Thread.interrupted(); // an interrupt close() sent before: its work is done
        for (RecordProcessor processor : processors) {
            try {
                processor.close();
            } catch (IOException | RuntimeException | LinkageError e) {
                Diagnostics.warn("cannot close " + processor.describe(), e);
            }
        }
    }

    /** What {@link #writeBatch} did: flushed at a barrier, wrote records after the last barrier, ended a trace. */
    private static final int FLUSHED = 1;
    private static final int WROTE = 2;
    private static final int TRACE_ENDED = 4;

    /**
     * Hands a drained batch to the processors, flushing at each barrier, and empties it. A method of its own, not
     * part of {@link #loop}: code the JIT compiles for the loop (on-stack, since the loop never returns) is thrown
     * away whenever something it never saw happens (a first flush barrier, a first overflow); the records of
     * the batches that follow then still go through this method's own compiled code, not the interpreter.
     */
    private int writeBatch(List<Object> batch) {
        int did = 0;
        markSuperseded(batch);
        for (int i = 0, n = batch.size(); i < n; i++) {
            Object item = batch.get(i);
            if (superseded.get(i)) {
                continue; // a start or snapshot record whose end record is in this batch
            }
            if (item instanceof TraceRecord record) {
                write(record);
                did |= record.endsTrace() ? WROTE | TRACE_ENDED : WROTE;
            } else {
                reportDrops();
                flushTargets();
                did = (did | FLUSHED) & ~WROTE;
                counts.publishWritten(); // what the flush's caller may read next
                ((Barrier) item).done.countDown();
            }
        }
        batch.clear();
        counts.publishWritten();
        return did;
    }

    /**
     * Marks in {@link #superseded} the start and snapshot records of spans whose end record comes soon after in the
     * same batch (within {@link #COALESCE_WINDOW} items), with nothing between them that refers to the span (a
     * child span's record, a log line in it) and no flush barrier: the end record says all they say and more, so
     * writing them would only double the writer's work. Targets that rely on seeing a parent before its children
     * (the console's tree, the OTLP target's log events) still do. A span still running when the writer reaches
     * its start record is written at its start as before (live views, crash evidence); so is any span when
     * coalescing is off. Looking ahead a few items, not the whole batch, costs no map: a short span's end record
     * usually follows its start record at once.
     */
    private void markSuperseded(List<Object> batch) {
        superseded.clear();
        if (!coalesce) {
            return;
        }
        int n = batch.size();
        for (int i = 0; i < n - 1; i++) {
            SpanRecord span = spanOf(batch.get(i));
            if (span == null || span.ended()) {
                continue;
            }
            String spanId = span.spanId();
            for (int j = i + 1, last = Math.min(n - 1, i + COALESCE_WINDOW); j <= last; j++) {
                Object item = batch.get(j);
                SpanRecord later = spanOf(item);
                if (later != null) {
                    if (spanId.equals(later.spanId()) && span.traceId().equals(later.traceId())) {
                        if (later.ended()) {
                            superseded.set(i);
                            break;
                        }
                        continue; // a later snapshot of the same span: look on for its end
                    }
                    if (spanId.equals(later.parentSpanId())) {
                        break; // a child's record comes before its parent's end
                    }
                } else if (item instanceof LogRecord log) {
                    if (spanId.equals(log.spanId())) {
                        break; // a log line comes before the end of its span
                    }
                } else if (item instanceof Barrier) {
                    break; // a flush promises what was submitted before it: keep those records
                }
            }
        }
    }

    /** The span record an item of the queue carries (a start, snapshot or end record); null for others. */
    private static SpanRecord spanOf(Object item) {
        if (item instanceof SpanRecord span) {
            return span;
        }
        return item instanceof Snapshot snapshot ? snapshot.span() : null;
    }

    /** Moves up to {@link #DRAIN_BATCH} queued items into {@code batch}. */
    private void drain(List<Object> batch) {
        Object item;
        while (batch.size() < DRAIN_BATCH && (item = queue.poll()) != null) {
            batch.add(item);
        }
    }

    private void drainRemaining() {
        List<Object> rest = new ArrayList<>();
        long deadline = System.nanoTime() + 1_000_000_000L; // a producer between its claim and its store
        while (queue.size() > 0 && System.nanoTime() < deadline) {
            Object queued = queue.poll();
            if (queued != null) {
                rest.add(queued);
            } else {
                Thread.onSpinWait();
            }
        }
        for (Object item : rest) {
            if (item instanceof TraceRecord) {
                write((TraceRecord) item);
            } else {
                ((Barrier) item).done.countDown();
            }
        }
        counts.publishWritten();
    }

    private void reportDrops() {
        long total = dropped.get();
        if (total > counts.droppedReported) {
            writeOther(new DroppedRecord(clock.getAsLong(), total - counts.droppedReported, total, capacity));
            counts.droppedReported = total;
        }
    }

    /**
     * Hands a record of the writer's own (a dropped count) to every processor, apart from {@link #write}: code
     * compiled for the queue's records must not meet a new type when the queue overflows (a JIT deoptimization
     * then, just when the writer is behind, would slow it further).
     */
    private void writeOther(TraceRecord record) {
        for (int i = 0; i < processors.size(); i++) {
            try {
                processors.get(i).onOther(record);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                fail(i, "cannot hand a " + record.getClass().getSimpleName() + " to ", e);
            }
        }
        counts.writtenSoFar++;
    }

    /** Hands the record to every processor, by its type. */
    private void write(TraceRecord record) {
        for (int i = 0; i < processors.size(); i++) {
            RecordProcessor processor = processors.get(i);
            try {
                if (record instanceof SpanRecord) {
                    SpanRecord span = (SpanRecord) record;
                    if (span.ended()) {
                        processor.onEnd(span);
                    } else {
                        processor.onStart(span);
                    }
                } else if (record instanceof Snapshot) {
                    processor.onSnapshot(((Snapshot) record).span());
                } else if (record instanceof LogRecord) {
                    processor.onLog((LogRecord) record);
                } else if (record instanceof EvaluationRecord) {
                    processor.onEvaluation((EvaluationRecord) record);
                } else {
                    processor.onOther(record);
                }
            } catch (RuntimeException | LinkageError | AssertionError e) {
                fail(i, "cannot hand a " + record.getClass().getSimpleName() + " to ", e);
            }
        }
        counts.writtenSoFar++; // published per batch
    }

    private void flushTargets() {
        for (int i = 0; i < processors.size(); i++) {
            try {
                processors.get(i).flush();
            } catch (IOException | RuntimeException | LinkageError e) {
                fail(i, "cannot flush ", e);
            }
        }
    }

    private void fail(int processor, String what, Throwable e) {
        if (!processorFailed[processor]) {
            processorFailed[processor] = true;
            Diagnostics.warn(what + processors.get(processor).describe() + " (further failures of it are not reported)",
                    e);
        }
    }

    /** A snapshot of a running span, told apart from its start record in the queue. */
    private record Snapshot(SpanRecord span) implements TraceRecord {
        @Override
        public void writeTo(com.fasterxml.jackson.core.JsonGenerator json) throws IOException {
            span.writeTo(json);
        }
    }

    /** A marker in the queue: everything before it has been written once it is reached. */
    private static final class Barrier {
        final CountDownLatch done = new CountDownLatch(1);
    }

    /**
     * The flags producers and the writer signal each other with, padded onto a cache line of their own: the writer
     * sets {@code sleeping} just before it parks and the one producer that clears it wakes the writer (so the
     * producers that follow while the writer is not yet running make no system call each); {@code traceEnded} says
     * a trace ended since the writer last looked. Both are written only when they change, so a stream of short
     * traces reads the line and leaves it shared. (Longs, 1 for set: a smaller field could be laid out in the gap
     * before the padding, next to another object.)
     */
    @SuppressWarnings("unused")
    private static final class WriterSignals extends SignalsFields {
        private static final java.lang.invoke.VarHandle SLEEPING;
        private static final java.lang.invoke.VarHandle TRACE_ENDED;

        static {
            try {
                java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
                SLEEPING = lookup.findVarHandle(SignalsFields.class, "sleeping", long.class);
                TRACE_ENDED = lookup.findVarHandle(SignalsFields.class, "traceEnded", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

        boolean sleeping() {
            return (long) SLEEPING.getVolatile(this) != 0;
        }

        /** A producer claims the wake-up: true for the one that must unpark the writer. */
        boolean wake() {
            return SLEEPING.compareAndSet(this, 1L, 0L);
        }

        void sleep() {
            SLEEPING.setVolatile(this, 1L);
        }

        void awake() {
            if (sleeping()) {
                SLEEPING.setVolatile(this, 0L);
            }
        }

        void traceEnded() {
            if (!traceEndedSet()) {
                TRACE_ENDED.setVolatile(this, 1L);
            }
        }

        boolean traceEndedSet() {
            return (long) TRACE_ENDED.getVolatile(this) != 0;
        }

        void clearTraceEnded() {
            if (traceEndedSet()) {
                TRACE_ENDED.setVolatile(this, 0L);
            }
        }
    }

    /** Laid out before the fields of a subclass (a superclass's fields come first), keeping other objects away. */
    @SuppressWarnings("unused")
    private abstract static class LinePad {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    /** The writer's counts: written by it alone, read by others now and then. */
    @SuppressWarnings("unused")
    private static final class WriterCounts extends LinePad {
        /** Records handed on so far. */
        long writtenSoFar;
        /** {@link #writtenSoFar} as others may read it, published once per batch and before a flush returns. */
        volatile long written;
        /** The drops already handed on as a dropped record. */
        long droppedReported;
        long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

        void publishWritten() {
            if (written != writtenSoFar) {
                written = writtenSoFar;
            }
        }
    }

    private abstract static class SignalsFields extends LinePad {
        long sleeping;
        long traceEnded;
    }
}
