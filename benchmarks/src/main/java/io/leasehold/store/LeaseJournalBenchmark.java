package io.leasehold.store;

import io.leasehold.lease.Lease4;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseState;
import io.leasehold.wire.Octets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Durable leases per second through the journal: each benchmark thread is a client-facing loop
 * that appends one lease change and waits until it is durable before the next, as a reply waits
 * for its lease. With one appender, ALWAYS costs one fsync per lease; with eight, changes that
 * arrive during a force are forced together in the next round (group commit), and the trial prints
 * how many changes each force covered.
 *
 * <p>The journal is in a temporary directory under {@code java.io.tmpdir}, on this machine's disk.
 * Each record is a realistic DHCPv4 lease (client id, host name), about 80 bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LeaseJournalBenchmark {

    @State(Scope.Benchmark)
    public static class Journal {
        @Param({"ALWAYS", "BATCH", "NONE"})
        public FsyncPolicy policy;

        Path dir;
        LeaseJournal journal;
        final AtomicInteger threads = new AtomicInteger();
        private LeaseJournal.Stats atStart;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("leasehold-journal-bench");
            journal = LeaseJournal.open(dir.resolve("journal"), LeaseJournal.Options.of(policy));
        }

        @Setup(Level.Iteration)
        public void mark() {
            atStart = journal.stats();
        }

        @TearDown(Level.Iteration)
        public void report() {
            LeaseJournal.Stats s = journal.stats();
            long changes = s.committed() - atStart.committed();
            long forces = s.forces() - atStart.forces();
            System.out.printf("%n  [%s, %d appenders] %d changes, %d forces, %.1f changes per force, %.1f per round%n",
                    policy, threads.get(), changes, forces, forces == 0 ? 0.0 : (double) changes / forces,
                    (double) changes / Math.max(1, s.rounds() - atStart.rounds()));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            journal.close();
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** One appender: its changes, and the completion it waits on. */
    @State(Scope.Thread)
    public static class Appender implements LeaseJournal.Completion {
        private static final int CHANGES = 4096;
        private final LeaseChange[] changes = new LeaseChange[CHANGES];
        private int next;
        private volatile boolean done;
        private volatile Throwable failure;
        private Thread thread;

        @Setup(Level.Trial)
        public void setUp(Journal j) {
            int id = j.threads.incrementAndGet();
            for (int k = 0; k < CHANGES; k++) {
                long mac = 0xfa163e000000L | (long) id << 16 | k;
                byte[] cid = {1, (byte) 0xfa, 0x16, 0x3e, (byte) id, (byte) (k >>> 8), (byte) k};
                changes[k] = LeaseChange.put("3f1b2a9c-5d6e-4f70-8a91-b2c3d4e5f607",
                        new Lease4(0x0a000000 | id << 16 | k, mac, Octets.of(cid), "host-10-" + id + "-" + k,
                                1_800_000_000L + k, LeaseState.BOUND));
            }
        }

        @Override
        public void complete(Throwable f) {
            failure = f;
            done = true;
            LockSupport.unpark(thread);
        }

        /** Starts a 30 s bound on the first call of a wait, fails once it has passed. */
        private static long bounded(long deadline, String what) {
            long now = System.nanoTime();
            if (deadline == 0) {
                return now + TimeUnit.SECONDS.toNanos(30);
            }
            if (now > deadline) {
                throw new IllegalStateException(what + ": still waiting after 30 s");
            }
            return deadline;
        }

        /** Appends the next change and parks until it is durable. */
        void appendDurably(LeaseJournal journal) {
            thread = Thread.currentThread();
            done = false;
            LeaseChange c = changes[next++ & (CHANGES - 1)];
            // Completions run on the writer thread (no executor): the cheapest hand-back there is.
            long deadline = 0;
            while (!journal.append(c, null, this)) {
                deadline = bounded(deadline, "append");
                Thread.onSpinWait();
            }
            while (!done) {
                LockSupport.parkNanos(this, 1_000_000);
                if (!done) {
                    deadline = bounded(deadline, "durable");
                }
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void oneAppender(Journal j, Appender a) {
        a.appendDurably(j.journal);
    }

    @Benchmark
    @Threads(8)
    public void eightAppenders(Journal j, Appender a) {
        a.appendDurably(j.journal);
    }
}
