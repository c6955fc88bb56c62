package io.aitrace.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 5 measured in thread CPU time instead of wall-clock time, for machines too busy for JMH's figures:
 * an embedded collector ingests NDJSON batches of {@value IngestBatches#RECORDS_PER_BATCH} records (or the fifth
 * argument's number, a multiple of {@value IngestBatches#RECORDS_PER_TRACE}) from client threads, and each round
 * prints the CPU per record of the collector's HTTP threads (reading and answering requests), of its store writer
 * (SQL and commits) and of its checkpoint thread, beside the wall-clock rate and the whole process's CPU; at the
 * end, the writer's CPU per record for the full-text index that ingest left behind. Run with
 * {@code java -cp tracer-benchmarks/target/benchmarks.jar io.aitrace.benchmarks.IngestThreadCpu [rounds]
 * [batches per round] [client threads] [jdk|socket] [records per batch]}.
 */
public final class IngestThreadCpu {
    private IngestThreadCpu() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String client = args.length > 3 ? args[3] : "jdk"; // or socket: see CollectorBenchmark.Empty#client
        int perBatch = args.length > 4 ? Integer.parseInt(args[4]) : IngestBatches.RECORDS_PER_BATCH;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (CollectorBenchmark.CollectorUnderTest collector = new CollectorBenchmark.CollectorUnderTest("", client,
                perBatch)) {
            for (int round = 1; round <= rounds; round++) {
                long[] before = serverCpu(threads);
                long processBefore = processCpu();
                long wallStart = System.nanoTime();
                AtomicLong left = new AtomicLong(batches);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    done.add(pool.submit(() -> {
                        while (left.getAndDecrement() > 0) {
                            collector.ingestOne();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                long wall = System.nanoTime() - wallStart;
                long[] after = serverCpu(threads);
                long process = processCpu() - processBefore;
                long records = (long) batches * perBatch;
                long server = after[0] + after[1] + after[2] - before[0] - before[1] - before[2];
                System.out.printf("round %d: %,d records/s wall clock; CPU per record: HTTP threads %.1f µs,"
                        + " store writer %.1f µs, checkpoints %.1f µs, total %.1f µs (%,.0f records per CPU second);"
                        + " lost so far %d%n",
                        round, records * 1_000_000_000L / wall, (after[0] - before[0]) / 1000.0 / records,
                        (after[1] - before[1]) / 1000.0 / records, (after[2] - before[2]) / 1000.0 / records,
                        server / 1000.0 / records, records * 1e9 / server, collector.lost.get());
                System.out.printf("   the whole process, clients and JVM included: %.1f µs of CPU per record,"
                        + " %.2f cores%n", process / 1000.0 / records, (double) process / wall);
            }
            // the full-text index, filled behind ingest: a search makes the writer index the backlog first
            long unindexed = collector.unindexed();
            if (unindexed > 0) {
                long before = serverCpu(threads)[1];
                collector.client.get("api/search?q=weather");
                System.out.printf("full-text index of %,d records left behind by ingest: store writer %.1f µs per"
                        + " record%n", unindexed, (serverCpu(threads)[1] - before) / 1000.0 / unindexed);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** CPU nanoseconds so far of the whole JVM: the clients, the collector, the JIT and the garbage collector. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU nanoseconds so far of the collector's HTTP threads (its dispatcher included), of its store writer and of
     * its checkpoint thread.
     */
    private static long[] serverCpu(ThreadMXBean threads) {
        long[] cpu = new long[3];
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            String name = info.getThreadName();
            long time = threads.getThreadCpuTime(info.getThreadId());
            if (time < 0) {
                continue;
            }
            if (name.startsWith("aitrace-http-") || name.startsWith("HTTP-Dispatcher")) {
                cpu[0] += time;
            } else if (name.equals("aitrace-store-writer")) {
                cpu[1] += time;
            } else if (name.equals("aitrace-store-checkpoint")) {
                cpu[2] += time;
            }
        }
        return cpu;
    }
}
