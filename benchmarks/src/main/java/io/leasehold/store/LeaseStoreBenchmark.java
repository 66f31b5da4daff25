package io.leasehold.store;

import io.leasehold.lease.Lease4;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What keeping the lease files current costs: rewriting one network's dnsmasq lease file (what
 * the daemon does after a release, since Neutron reads the file) and a full compaction (journal
 * rotation and every file rewritten), for a network of {@code leases} IPv4 leases. Each write is a
 * temp file, fsync, rename and directory fsync on this machine's disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LeaseStoreBenchmark {

    @Param({"1000", "10000"})
    public int leases;

    private Path dir;
    private LeaseStore store;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("leasehold-store-bench");
        store = LeaseStore.open(dir.resolve("data"), LeaseStore.Options.of(FsyncPolicy.NONE).withCompactOnClose(false));
        store.load("net", dir.resolve("confs/net/leases"), new LeaseTable("net", leases));
        CountDownLatch done = new CountDownLatch(leases);
        for (int k = 0; k < leases; k++) {
            long mac = 0xfa163e000000L + k;
            byte[] cid = {1, (byte) 0xfa, 0x16, 0x3e, 0, (byte) (k >>> 8), (byte) k};
            Lease4 l = new Lease4(0x0a000000 + k, mac, Octets.of(cid), "host-10-0-" + (k >>> 8) + "-" + (k & 0xff),
                    1_800_000_000L + k, LeaseState.BOUND);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!store.append(LeaseChange.put("net", l), null, f -> done.countDown())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("journal queue full for 30 s");
                }
                Thread.onSpinWait();
            }
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("leases not written");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** {@code compact(networkId)}: the network's lease file rewritten from its durable state. */
    @Benchmark
    public void rewriteOneLeaseFile() throws Exception {
        store.compact("net").get(30, TimeUnit.SECONDS);
    }

    /** {@code compact()}: journal rotated, every lease file rewritten, the old generation deleted. */
    @Benchmark
    public void fullCompaction() throws Exception {
        store.compact().get(30, TimeUnit.SECONDS);
    }
}
