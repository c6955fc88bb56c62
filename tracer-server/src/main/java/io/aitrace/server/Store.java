package io.aitrace.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite database in WAL mode. All writes go through one writer thread, which takes whatever work is queued
 * (up to {@value #MAX_GROUP} items) into one transaction: many small ingest requests cost one commit. A future
 * completes only after its transaction committed, so an acknowledged batch survives a killed process. Readers
 * use connections of their own and never wait for the writer (WAL).
 *
 * <p>The full-text index is filled by the same thread behind ingest ({@link TextIndex}): in chunks of
 * {@value #TEXT_CHUNK} rows a table once no work came for {@value #IDLE_MILLIS} ms, between commits once more
 * than {@value #MAX_TEXT_BACKLOG} rows are unindexed (at most a quarter of the time it spends storing, until the
 * backlog is back to half that, up to twice that backlog; past it after every commit: {@link TextIndexPacing}), and
 * all of it before a query that searches ({@link #readIndexed}), so a search finds every record acknowledged before
 * it.
 */
final class Store implements AutoCloseable {
    private static final int MAX_GROUP = 256;
    /** Rows of each table indexed in one transaction of their own when ingest is idle or the backlog too long. */
    static final int TEXT_CHUNK = 2_000;
    /** How long the writer waits for work before it counts as idle and indexes text. */
    static final int IDLE_MILLIS = 50;
    /** Unindexed rows past which the writer indexes chunks between commits, idle or not. */
    static final int MAX_TEXT_BACKLOG = 1_000_000;
    /**
     * Past {@link #MAX_TEXT_BACKLOG}, the writer's time spent indexing is held to at most this fraction of its time
     * spent storing: ingest that never pauses keeps most of its rate, and the backlog grows more slowly.
     */
    static final double BEHIND_INDEX_SHARE = 0.25;
    private static final long INDEX_TIMEOUT_SECONDS = 60;
    private static final int MAX_IDLE_READERS = 8;
    private static final int BUSY_TIMEOUT_MILLIS = 30_000;
    /**
     * Bytes of a page in a new database. With SQLite's 4,096 the writer spent about 7 µs a record, with 8,192 about
     * 5.8 (1,024 and 2,048 cost more, 16,384 no less): fewer, wider pages in the indexes with random keys.
     */
    static final int PAGE_SIZE = 8192;
    /** The writer's page cache: the indexes' hot pages stay in memory (SQLite's default is 2 MiB). */
    private static final int WRITER_CACHE_KIB = 64 * 1024;
    /**
     * Bytes of stored records after which the checkpoint thread copies the write-ahead log into the database file
     * (with their index entries about the 1,000 pages after which SQLite's own automatic checkpoint ran, in the
     * writer's commit, where its two fsyncs were time the writer could not insert).
     */
    static final long CHECKPOINT_BYTES = 4L * 1024 * 1024;
    /** Commits that stored less are checkpointed too, once this long has passed since the last checkpoint. */
    static final long CHECKPOINT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Pages in the write-ahead log past which the writer restarts it from the beginning itself: the checkpoints
     * beside a writer that never pauses copy the log but cannot start it over (most of it is copied by then, so the
     * writer's own checkpoint is short).
     */
    static final int MAX_WAL_PAGES = 8_192;
    /** Bytes the write-ahead log file is cut back to when it starts over. */
    private static final long WAL_SIZE_LIMIT = 64L * 1024 * 1024;

    /** Work done inside the writer's transaction; returns how many records it stored. */
    @FunctionalInterface
    interface Task {
        int apply(Transaction tx) throws SQLException;
    }

    /** What a task may do in the writer's transaction. */
    static final class Transaction {
        final SpanWrites writes;
        private final List<RecordRow> changed = new ArrayList<>();
        private boolean textIndexed;

        Transaction(SpanWrites writes) {
            this.writes = writes;
        }

        /** Stores a span or log record, unless it would change nothing (a stale start, a log line stored before). */
        void put(RecordRow record) throws SQLException {
            boolean stored = record instanceof RecordRow.Span ? writes.putSpan((RecordRow.Span) record)
                    : record instanceof RecordRow.Log ? writes.putLog((RecordRow.Log) record)
                    : writes.putEvaluation((RecordRow.Evaluation) record);
            if (stored) {
                changed.add(record);
                textIndexed = false;
            }
        }

        /**
         * Stores records as {@link #put} does, the logs among them many to a statement; the records it changed
         * keep their order.
         */
        void putAll(List<RecordRow> records) throws SQLException {
            writes.preloadSummaries(traceIds(records));
            boolean[] stored = new boolean[records.size()];
            List<RecordRow.Log> logs = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                RecordRow record = records.get(i);
                if (record instanceof RecordRow.Log log) {
                    logs.add(log);
                } else {
                    stored[i] = record instanceof RecordRow.Span span ? writes.putSpan(span)
                            : writes.putEvaluation((RecordRow.Evaluation) record);
                }
            }
            boolean[] logStored = logs.isEmpty() ? new boolean[0] : writes.putLogs(logs);
            for (int i = 0, log = 0; i < records.size(); i++) {
                if (records.get(i) instanceof RecordRow.Log ? logStored[log++] : stored[i]) {
                    changed.add(records.get(i));
                    textIndexed = false;
                }
            }
        }

        /** The traces of these spans and logs, each once. */
        private static Set<String> traceIds(List<RecordRow> records) {
            Set<String> traceIds = new HashSet<>();
            String last = null;
            for (RecordRow record : records) {
                String traceId = record.traceId();
                if (traceId != null && !(record instanceof RecordRow.Evaluation) && !traceId.equals(last)) {
                    traceIds.add(traceId);
                    last = traceId;
                }
            }
            return traceIds;
        }

        /** Indexes every row not yet in the full-text index. */
        void indexAllText() throws SQLException {
            while (writes.text().index(TEXT_CHUNK) > 0) {
                // chunk after chunk, all in this transaction
            }
            textIndexed = true;
        }
    }

    private record Pending(Task task, CompletableFuture<Integer> done) {
    }

    private final Path file;
    private final Connection writer;
    private SpanWrites writes; // the writer thread's; prepared again after a failed transaction
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
    private final Set<Connection> readers = ConcurrentHashMap.newKeySet();
    private final Consumer<List<RecordRow>> onCommit;
    private final Thread thread;
    private final Thread checkpoints;
    private final Object commits = new Object();
    /** Held by whoever runs a checkpoint, the checkpoint thread or the writer: SQLite runs one at a time. */
    private final ReentrantLock checkpointing = new ReentrantLock();
    private boolean checkpointDue; // guarded by commits
    /** The writer's: bytes of records stored, and when a checkpoint was last asked for. */
    private long uncheckpointedBytes;
    private long checkpointAskedAt = System.nanoTime();
    /** The write-ahead log is too long for checkpoints beside the writer: the writer restarts it after a commit. */
    private volatile boolean walTooLong;
    /** The checkpoint thread could not run: the writer's connection checkpoints by itself again. */
    private volatile boolean checkpointsStopped;
    private volatile boolean open = true;
    private final LongSupplier clockMicros;
    /**
     * The writer's: the last commit's {@code updated_us}. Each commit's is later than the one before, even in the same
     * microsecond of a coarse clock or after the clock stepped back, so a trace's state (its {@code updated_us} and
     * span count, the stamp its kept answers are checked against) changes with every commit that touches it.
     */
    private long lastUpdatedUs;
    /** Rows wait for the full-text index; set before a commit that stored rows is acknowledged. */
    private volatile boolean textBehind;
    /** When the writer indexes between commits: past the backlog's bound. */
    private final TextIndexPacing pacing = new TextIndexPacing(MAX_TEXT_BACKLOG, BEHIND_INDEX_SHARE);

    /** Opens (creating or migrating) the database; {@code onCommit} sees the records each commit changed. */
    Store(Path file, Consumer<List<RecordRow>> onCommit) throws SQLException, IOException {
        this(file, onCommit, Store::wallClockMicros);
    }

    /** As above, with the clock that stamps a trace's summary row ({@code updated_us}) when a commit changes it. */
    Store(Path file, Consumer<List<RecordRow>> onCommit, LongSupplier clockMicros) throws SQLException, IOException {
        this.file = file.toAbsolutePath();
        this.onCommit = onCommit;
        this.clockMicros = clockMicros;
        Path dir = this.file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (!Files.exists(this.file) || Files.size(this.file) == 0) {
            // a page size can be chosen only before the file is in WAL mode; a file that exists keeps its own
            try (Connection fresh = DriverManager.getConnection(url()); Statement sql = fresh.createStatement()) {
                sql.execute("PRAGMA page_size = " + PAGE_SIZE);
                sql.execute("PRAGMA auto_vacuum = INCREMENTAL");
                sql.execute("VACUUM");
            }
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode: a commit is in the WAL file when it returns, so a killed process loses nothing;
        // only a power cut may lose the last commits, which FULL would cost an fsync per commit to prevent
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // sqlite-jdbc would otherwise run SELECT last_insert_rowid() after every INSERT (a fifth of the writer's time)
        config.setGetGeneratedKeys(false);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-WRITER_CACHE_KIB);
        writer = DriverManager.getConnection(url(), config.toProperties());
        Schema.migrate(writer, this.file.toString());
        try (Statement sql = writer.createStatement()) {
            sql.execute("PRAGMA wal_autocheckpoint = 0"); // the checkpoint thread does it
            sql.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
        }
        writes = new SpanWrites(writer);
        textBehind = writes.text().backlog() > 0;
        thread = new Thread(this::runWriter, "aitrace-store-writer");
        thread.setDaemon(true);
        checkpoints = new Thread(this::runCheckpoints, "aitrace-store-checkpoint");
        checkpoints.setDaemon(true);
        thread.start();
        checkpoints.start();
    }

    /** Queues work for the writer thread; the future completes once it is committed. */
    CompletableFuture<Integer> write(Task task) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        if (!open) {
            done.completeExceptionally(new SQLException("the store is closed"));
            return done;
        }
        queue.add(new Pending(task, done));
        return done;
    }

    /** Runs a query on a reader connection of its own. */
    <T> T read(Query<T> query) throws SQLException {
        Connection db = idleReaders.poll();
        if (db == null) {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            db = DriverManager.getConnection(url(), config.toProperties());
            try (Statement sql = db.createStatement()) {
                sql.execute("PRAGMA query_only = 1");
            }
            readers.add(db);
        }
        try {
            return query.run(db);
        } finally {
            if (open && idleReaders.size() < MAX_IDLE_READERS) {
                idleReaders.add(db);
            } else {
                readers.remove(db);
                db.close();
            }
        }
    }

    /**
     * Runs a query that searches the full-text index, once every record committed so far is indexed: the writer
     * indexes the backlog first (queued behind the writes already waiting, so they are included).
     */
    <T> T readIndexed(Query<T> query) throws SQLException {
        if (textBehind) {
            try {
                write(tx -> {
                    tx.indexAllText();
                    return 0;
                }).get(INDEX_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the search runs on what is indexed; the writer tries again when idle
            }
        }
        return read(query);
    }

    /** A query on a reader connection. */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection db) throws SQLException;
    }

    /** The database file. */
    Path file() {
        return file;
    }

    /** The database's size on disk, its write-ahead log included. */
    long bytesOnDisk() {
        long bytes = 0;
        for (String suffix : List.of("", "-wal")) {
            try {
                bytes += Files.size(Path.of(file + suffix));
            } catch (IOException e) {
                // no WAL file right now
            }
        }
        return bytes;
    }

    private String url() {
        return "jdbc:sqlite:" + file;
    }

    private void runWriter() {
        boolean idle = false;
        while (open || !queue.isEmpty()) {
            Pending first;
            try {
                // once idle, text is indexed chunk after chunk for as long as no work comes
                first = idle && textBehind ? queue.poll()
                        : queue.poll(textBehind ? IDLE_MILLIS : 200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // close() decides when to stop
            }
            idle = first == null;
            if (first == null) {
                if (textBehind && open) {
                    indexText();
                }
                continue;
            }
            List<Pending> group = new ArrayList<>();
            group.add(first);
            queue.drainTo(group, MAX_GROUP - 1);
            long started = System.nanoTime();
            try {
                commit(group);
            } catch (SQLException | RuntimeException e) {
                if (group.size() == 1) {
                    first.done.completeExceptionally(e);
                } else {
                    // one bad item must not cost the others: each gets a transaction of its own
                    for (Pending single : group) {
                        try {
                            commit(List.of(single));
                        } catch (SQLException | RuntimeException e2) {
                            single.done.completeExceptionally(e2);
                        }
                    }
                }
            }
            long stored = System.nanoTime() - started;
            try {
                if (pacing.afterCommit(stored, textBehind ? writes.text().backlog() : 0)) {
                    long indexing = System.nanoTime();
                    indexText();
                    pacing.indexed(System.nanoTime() - indexing);
                }
            } catch (SQLException e) {
                // tried again after the next commit
            }
        }
    }

    /** Indexes a chunk of the full-text backlog in a transaction of its own. */
    private void indexText() {
        try {
            commit(List.of(new Pending(tx -> tx.writes.text().index(TEXT_CHUNK), new CompletableFuture<>())));
            textBehind = writes.text().backlog() > 0;
        } catch (SQLException | RuntimeException e) {
            // left for the next idle moment (a full disk, say); ingest goes on
        }
    }

    private void commit(List<Pending> group) throws SQLException {
        Transaction tx = new Transaction(writes);
        int[] counts = new int[group.size()];
        writer.setAutoCommit(false);
        try {
            for (int i = 0; i < group.size(); i++) {
                counts[i] = group.get(i).task.apply(tx);
            }
            lastUpdatedUs = Math.max(clockMicros.getAsLong(), lastUpdatedUs + 1);
            writes.saveSummaries(lastUpdatedUs);
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            writes.discardSummaries();
            // SQLite may have rolled back already (a full disk does): the first error is the one to report
            try {
                writer.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            try {
                writer.setAutoCommit(true);
            } catch (SQLException ignored) {
                // no transaction left to end
            }
            // sqlite-jdbc may have closed statements that failed (a full disk does): start from fresh ones
            try {
                writes.close();
                writes = new SpanWrites(writer);
            } catch (SQLException prepare) {
                e.addSuppressed(prepare);
            }
            throw e;
        }
        writer.setAutoCommit(true);
        for (RecordRow record : tx.changed) {
            uncheckpointedBytes += record.json().length();
        }
        long now = System.nanoTime();
        if (uncheckpointedBytes >= CHECKPOINT_BYTES || now - checkpointAskedAt >= CHECKPOINT_NANOS) {
            uncheckpointedBytes = 0;
            checkpointAskedAt = now;
            synchronized (commits) {
                checkpointDue = true;
                commits.notifyAll();
            }
        }
        if (tx.textIndexed) {
            textBehind = false;
        } else if (!tx.changed.isEmpty()) {
            textBehind = true; // before anyone hears of the commit: a search after it waits for the index
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done.complete(counts[i]);
        }
        if (!tx.changed.isEmpty()) {
            onCommit.accept(tx.changed);
        }
        if (walTooLong) {
            restartWal(); // after the answers: nobody waits for it
        }
        if (checkpointsStopped && open) {
            checkpointsStopped = false;
            try (Statement sql = writer.createStatement()) {
                sql.execute("PRAGMA wal_autocheckpoint = 1000");
            } catch (SQLException e) {
                checkpointsStopped = true; // tried again after the next commit
            }
        }
    }

    /**
     * Copies the write-ahead log into the database file when the writer asks (after {@value #CHECKPOINT_BYTES} bytes
     * of records, or a second), on a connection of its own: passive checkpoints, which neither wait for the writer
     * nor hold it up.
     */
    private void runCheckpoints() {
        try (Connection db = DriverManager.getConnection(url())) {
            while (open) {
                synchronized (commits) {
                    while (!checkpointDue && open) {
                        commits.wait();
                    }
                    checkpointDue = false;
                }
                if (!open) {
                    break;
                }
                checkpointing.lock();
                try (Statement sql = db.createStatement();
                        ResultSet rs = sql.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    // busy, pages in the log, pages of it now in the database (-1, -1 when not in WAL mode)
                    if (rs.next() && rs.getInt(2) > MAX_WAL_PAGES) {
                        walTooLong = true;
                    }
                } catch (SQLException e) {
                    // a full disk, say: tried again after the next commit
                } finally {
                    checkpointing.unlock();
                }
            }
        } catch (SQLException | InterruptedException | RuntimeException | Error e) {
            // no connection of its own, or the thread failed: the writer's commits checkpoint as SQLite's do
            checkpointsStopped = true;
        }
    }

    /**
     * Starts the write-ahead log over: copies what the checkpoints did not yet (the commits since the last one). A
     * checkpoint running or a reader still on older pages is not waited for: the writer tries again once the
     * checkpoint thread finds the log still too long.
     */
    private void restartWal() {
        if (!checkpointing.tryLock()) {
            return;
        }
        try (Statement sql = writer.createStatement()) {
            sql.execute("PRAGMA busy_timeout = 0");
            // busy or not, asked again only after the checkpoint thread's next pass finds the log still too long:
            // a reader on older pages for long would otherwise have the writer copy pages after every commit
            walTooLong = false;
            try (ResultSet rs = sql.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                rs.next();
            } finally {
                sql.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            }
        } catch (SQLException e) {
            // tried again after the next commit
        } finally {
            checkpointing.unlock();
        }
    }

    private static long wallClockMicros() {
        return RecordJson.micros(Instant.now());
    }

    @Override
    public void close() throws SQLException {
        open = false;
        synchronized (commits) {
            commits.notifyAll();
        }
        try {
            checkpoints.join(30_000);
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending left; (left = queue.poll()) != null; ) {
            left.done.completeExceptionally(new SQLException("the store closed before this was written"));
        }
        for (Connection db : readers) {
            db.close();
        }
        writer.close();
    }
}
