package io.aitrace.core.http;

import io.aitrace.core.internal.RecordFile;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.read.TraceReader;
import io.aitrace.viewer.HtmlExport;
import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.target.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends records to an aitrace collector: {@code POST /api/ingest} with gzip-compressed NDJSON bodies of up to 500
 * records or 512 KB, from a daemon thread of its own ({@code aitrace-http-sender}), so the writer thread never
 * waits on the network. A batch the collector still does not take after a few retries is appended to a spill file,
 * {@code <spillDir>/<processStamp>-<pid>.jsonl}, and so is every batch after it; the sender keeps offering the
 * spill to the collector and, once it answers again, re-sends it in order and deletes it. Records still
 * undelivered at {@link #close()} stay in the spill file and are also written as an HTML page next to it.
 *
 * <pre>{@code
 * Target target = new HttpTarget(URI.create("http://localhost:8000"), spillDir, "20261121_180000");
 * }</pre>
 */
public final class HttpTarget implements Target {
    static final int BATCH_RECORDS = 500;
    static final int BATCH_BYTES = 512 * 1024;
    /** Beyond this many bytes waiting in memory for the sender, records are dropped and counted. */
    static final long MAX_WAITING_BYTES = 64L * 1024 * 1024;
    private static final long HTML_MAX_BYTES = 32L * 1024 * 1024;
    private static final int ANSWER_SHOWN_CHARS = 200;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private record Batch(byte[] ndjson, int records, long seq) {
    }

    private static final Batch CLOSE = new Batch(new byte[0], 0, -1);

    private final URI endpoint;
    private final String bearerToken;
    private SpillFile spill;
    private final Path rejectedFile;
    private final Path htmlPath;
    private final String title;
    private final BlockingQueue<Batch> handOver = new LinkedBlockingQueue<>();

    // Settings: fixed before the first write, which starts the sender.
    private Duration flushTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private List<Duration> retryDelays = List.of(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(1600));
    private Duration probeInterval = Duration.ofSeconds(3);

    // The writer thread's side.
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream();
    private int batchRecords;
    private long lastSeq;
    private Thread sender;
    private HttpIngest ingest;
    private boolean closed;

    // Shared: counters are written by one thread each and read by any.
    private final AtomicLong waitingBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object progress = new Object();
    private long doneSeq; // guarded by progress
    private volatile long delivered;
    private volatile long spilled;
    private volatile long rejected;
    private volatile Path spillFile;
    private volatile Path htmlFile;
    /** The price table the HTML copy computes costs with (the one {@code aitrace inspect} uses), read once. */
    private String htmlPrices;

    // The sender thread's side.
    private long nextProbe;
    private long resentThisOutage;
    private long rejectedReported = -1;
    private volatile long spillLost;
    private long spillLostThisIncident;
    private boolean spillFailing;

    public HttpTarget(URI collector, Path spillDir, String processStamp) {
        this(collector, spillDir, processStamp, null);
    }

    /** With {@code bearerToken} non-blank, every request carries {@code Authorization: Bearer <token>}. */
    public HttpTarget(URI collector, Path spillDir, String processStamp, String bearerToken) {
        this.endpoint = ingestEndpoint(collector);
        this.bearerToken = bearerToken == null || bearerToken.isBlank() ? null : bearerToken.strip();
        String stem = processStamp + "-" + ProcessHandle.current().pid();
        this.spill = new SpillFile(spillDir.resolve(stem + ".jsonl"), RecordFile.APPEND);
        this.rejectedFile = spillDir.resolve(stem + "-rejected.jsonl");
        this.htmlPath = spillDir.resolve(stem + ".html");
        this.title = "aitrace " + stem + " (not delivered to " + endpoint + ")";
    }

    /** How long {@link #flush()} and {@link #close()} wait for the collector (default 10 s). Set before writing. */
    public HttpTarget flushTimeout(Duration timeout) {
        this.flushTimeout = timeout;
        return this;
    }

    HttpTarget requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    HttpTarget retryDelays(Duration... delays) {
        this.retryDelays = List.of(delays);
        return this;
    }

    /** How the spill file is opened; a test passes one whose disk fills up. */
    HttpTarget spillOpener(RecordFile.Opener opener) {
        this.spill = new SpillFile(spill.path(), opener);
        return this;
    }

    HttpTarget probeInterval(Duration interval) {
        this.probeInterval = interval;
        return this;
    }

    /** {@code http://host:8000} and {@code http://host:8000/} become {@code http://host:8000/api/ingest}; a URL with a path is used as is. */
    static URI ingestEndpoint(URI collector) {
        String scheme = collector.getScheme();
        if (scheme == null || !scheme.matches("(?i)https?") || collector.getRawAuthority() == null) {
            throw new IllegalArgumentException("not an http(s) collector URL: " + collector);
        }
        String path = collector.getRawPath() == null ? "" : collector.getRawPath();
        if (!path.isEmpty() && !path.endsWith("/")) {
            return collector;
        }
        String query = collector.getRawQuery() == null ? "" : "?" + collector.getRawQuery();
        return URI.create(scheme + "://" + collector.getRawAuthority() + path.replaceAll("/+$", "") + "/api/ingest" + query);
    }

    @Override
    public void write(byte[] line, int offset, int length) {
        if (closed || length <= 0) {
            return;
        }
        if (waitingBytes.get() > MAX_WAITING_BYTES) {
            if (dropped.getAndIncrement() == 0) {
                Diagnostics.warn("collector " + endpoint + " is not keeping up (" + MAX_WAITING_BYTES / (1024 * 1024)
                        + " MB waiting to be sent); dropping records until it catches up");
            }
            return;
        }
        batch.write(line, offset, length);
        if (line[offset + length - 1] != '\n') {
            batch.write('\n');
        }
        if (++batchRecords >= BATCH_RECORDS || batch.size() >= BATCH_BYTES) {
            handOver();
        }
    }

    /**
     * Hands the open batch to the sender and waits, at most the flush timeout, until all is delivered or spilled.
     * Like {@link #close()}, it is not cut short by an interrupt (a writer may interrupt itself to wake up); the
     * interrupt status is kept.
     */
    @Override
    public void flush() {
        if (closed) {
            return;
        }
        handOver();
        boolean interrupted = false;
        synchronized (progress) {
            long deadline = System.nanoTime() + flushTimeout.toNanos();
            for (long left = flushTimeout.toNanos(); doneSeq < lastSeq && left > 0; left = deadline - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends what is left and makes one last attempt with the spill; what the collector still has not taken stays in
     * the spill file and is written as HTML next to it. Waits at most the flush timeout for the collector, then
     * spills whatever is still in flight. Later writes are ignored; calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        handOver();
        if (sender != null) {
            handOver.add(CLOSE);
            if (!awaitSender(flushTimeout)) {
                ingest.abandon(); // the collector hangs: keep the rest on disk rather than wait for it
                if (!awaitSender(CLOSE_GRACE)) {
                    Diagnostics.warn("collector " + endpoint + ": records still being spilled after close()");
                }
            }
        }
        if (dropped.get() > 0) {
            Diagnostics.warn("collector " + endpoint + " did not keep up; dropped " + dropped.get() + " records");
        }
    }

    @Override
    public String describe() {
        return "collector " + endpoint;
    }

    /** Records the collector acknowledged with a 2xx answer, re-sent spill included. */
    public long delivered() {
        return delivered;
    }

    /** Records in the spill file now, waiting to be re-sent. */
    public long spilled() {
        return spilled;
    }

    /** Records the collector refused with a 4xx answer; they are kept in {@code <spill name>-rejected.jsonl}. */
    public long rejected() {
        return rejected;
    }

    /** Records lost: written while too much was waiting for the collector, or not writable to the spill file. */
    public long dropped() {
        return dropped.get() + spillLost;
    }

    /** The spill file, once something was spilled (it is deleted when the collector took all of it); else null. */
    public Path spillFile() {
        return spillFile;
    }

    /** The HTML copy of the undelivered records written by {@link #close()}, or null. */
    public Path htmlFile() {
        return htmlFile;
    }

    private void handOver() {
        if (batchRecords == 0) {
            return;
        }
        Batch full = new Batch(batch.toByteArray(), batchRecords, ++lastSeq);
        batch.reset();
        batchRecords = 0;
        waitingBytes.addAndGet(full.ndjson().length);
        if (sender == null) {
            ingest = new HttpIngest(endpoint, bearerToken, requestTimeout);
            sender = new Thread(this::runSender, "aitrace-http-sender");
            sender.setDaemon(true);
            sender.start();
        }
        handOver.add(full);
    }

    /** Waits for the sender to finish, at most {@code timeout} even when interrupted; keeps the interrupt status. */
    private boolean awaitSender(Duration timeout) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); sender.isAlive() && left > 0; left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(sender, left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !sender.isAlive();
    }

    // ---- the sender thread from here on

    private void runSender() {
        try {
            for (Batch next; (next = next()) != CLOSE; ) {
                if (next != null) {
                    send(next);
                }
                if (spill.hasPending() && System.nanoTime() - nextProbe >= 0) {
                    resendSpill();
                }
            }
            for (Batch left; (left = handOver.poll()) != null; ) { // only after an interrupt
                send(left);
            }
            if (spill.hasPending() && !ingest.isAbandoned()) {
                resendSpill();
            }
            if (spill.hasPending()) {
                writeHtml();
            }
            if (spillFailing) {
                Diagnostics.warn("collector " + endpoint + ": " + spillLostThisIncident + " records lost since "
                        + spill.path() + " could not be written");
            }
            if (rejected > rejectedReported && rejectedReported >= 0) {
                Diagnostics.warn("collector " + endpoint + " rejected " + rejected + " records in all; kept in " + rejectedFile);
            }
        } finally {
            markDone(Long.MAX_VALUE); // nobody waits on a sender that is gone
        }
    }

    /** The next batch; null when it is time to offer the spill to the collector again. */
    private Batch next() {
        try {
            return spill.hasPending()
                    ? handOver.poll(Math.max(0, nextProbe - System.nanoTime()), TimeUnit.NANOSECONDS)
                    : handOver.take();
        } catch (InterruptedException e) {
            ingest.abandon(); // only close() should stop this thread: take it as close() giving up
            return CLOSE;
        }
    }

    private void send(Batch next) {
        if (next == CLOSE) {
            return;
        }
        waitingBytes.addAndGet(-next.ndjson().length);
        if (spill.hasPending()) {
            spill(next.ndjson(), next.records(), null); // behind the spill, to keep the order
        } else {
            HttpIngest.Answer answer = ingest.post(next.ndjson(), retryDelays);
            if (answer.delivered()) {
                delivered += next.records();
            } else if (answer.rejected()) {
                reject(next.ndjson(), next.records(), answer);
            } else {
                spill(next.ndjson(), next.records(), answer.reason());
                probeAfter(answer);
            }
        }
        markDone(next.seq());
    }

    private void spill(byte[] ndjson, int records, String reason) {
        boolean outageStarts = !spill.hasPending();
        try {
            spill.append(ndjson, records);
        } catch (IOException e) {
            spillLost += records;
            spillLostThisIncident += records;
            if (!spillFailing) {
                spillFailing = true;
                Diagnostics.warn("collector " + endpoint + " unreachable and cannot write " + spill.path()
                        + "; records are lost until it can be written again", e);
            }
            return;
        }
        if (spillFailing) {
            spillFailing = false;
            Diagnostics.warn(spill.path() + " written again; " + spillLostThisIncident
                    + " records lost while it could not be");
            spillLostThisIncident = 0;
        }
        spillFile = spill.path();
        spilled = spill.pendingRecords();
        if (outageStarts) {
            resentThisOutage = 0;
            nextProbe = System.nanoTime() + probeInterval.toNanos();
            Diagnostics.warn("collector " + endpoint + " unreachable (" + reason + "); spilling records to " + spill.path());
        }
    }

    /** Offers the spill to the collector oldest first, one try per chunk; at the first failure, tries later. */
    private void resendSpill() {
        try {
            while (spill.hasPending()) {
                SpillFile.Chunk chunk = spill.next(BATCH_RECORDS, BATCH_BYTES);
                HttpIngest.Answer answer = ingest.post(chunk.ndjson(), List.of());
                if (answer.delivered()) {
                    delivered += chunk.records();
                    resentThisOutage += chunk.records();
                } else if (answer.rejected()) {
                    reject(chunk.ndjson(), chunk.records(), answer);
                } else {
                    probeAfter(answer);
                    return;
                }
                spill.settle(chunk);
                spilled = spill.pendingRecords();
            }
            spill.delete();
            Diagnostics.warn("collector " + endpoint + " reachable again; re-sent " + resentThisOutage + " spilled records");
        } catch (IOException e) {
            nextProbe = System.nanoTime() + probeInterval.toNanos();
            Diagnostics.warn("cannot re-send " + spill.path(), e);
        }
    }

    /** The spill is offered again after the probe interval, or after the collector's {@code Retry-After}. */
    private void probeAfter(HttpIngest.Answer answer) {
        Duration wait = answer.retryAfter() != null && answer.retryAfter().compareTo(probeInterval) > 0
                ? answer.retryAfter() : probeInterval;
        nextProbe = System.nanoTime() + wait.toNanos();
    }

    /** A 4xx other than 408/429: sending again would not help, so the records go aside for the user to keep. */
    private void reject(byte[] ndjson, int records, HttpIngest.Answer answer) {
        rejected += records;
        try {
            Files.createDirectories(rejectedFile.toAbsolutePath().getParent());
            Files.write(rejectedFile, ndjson, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            dropped.addAndGet(records);
            Diagnostics.warn("cannot write " + rejectedFile, e);
        }
        if (rejectedReported < 0) {
            rejectedReported = records;
            String text = answer.text() == null ? "" : answer.text().replaceAll("\\s+", " ").strip();
            if (text.length() > ANSWER_SHOWN_CHARS) {
                text = text.substring(0, ANSWER_SHOWN_CHARS) + "…";
            }
            Diagnostics.warn("collector " + endpoint + " rejected " + records + " records (HTTP " + answer.status()
                    + (text.isEmpty() ? "" : ": " + text) + "); kept them in " + rejectedFile);
        }
    }

    private void writeHtml() {
        long pending = spill.pendingRecords();
        String kept = "collector " + endpoint + " unreachable; " + pending + " records kept in " + spill.path();
        try {
            List<String> lines = spill.pendingLines(HTML_MAX_BYTES);
            if (htmlPrices == null) {
                htmlPrices = PriceTable.load().toJson();
            }
            HtmlExport.write(htmlPath, lines, TraceReader.readLines(lines), title, htmlPrices);
            htmlFile = htmlPath;
            Diagnostics.warn(kept + ", trace written to " + htmlPath
                    + (lines.size() < pending ? " (its first " + lines.size() + " records)" : ""));
        } catch (IOException | RuntimeException e) {
            Diagnostics.warn(kept + "; no HTML copy", e);
        }
    }

    private void markDone(long seq) {
        synchronized (progress) {
            doneSeq = Math.max(doneSeq, seq);
            progress.notifyAll();
        }
    }
}
