package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
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
import org.openjdk.jmh.annotations.Warmup;

import java.net.Inet6Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The lease table at the sizes of a large network: {@code size} IPv4 leases (consecutive addresses,
 * one MAC each, half with a client id, expiries one second apart) and as many IPv6 leases (one
 * DUID-LL and IA_NA each, never expiring, so that {@code expireOne} only meets IPv4 ones).
 *
 * <p>Lookups take keys from a pre-shuffled array, so the caches see a random access pattern, as
 * packets from many clients would make. {@code hashMapByAddress} is the boxing baseline the
 * primitive address index replaces.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LeaseTableBenchmark {

    private static final int PICKS = 1 << 16;
    private static final long T0 = 1_800_000_000L;

    @Param({"50000", "100000"})
    public int size;

    private LeaseTable table;
    private final Map<Integer, Lease4> hashMap = new HashMap<>();
    private int[] addresses;
    private long[] macs;
    private Octets[] clientIds;
    private Inet6Address[] v6Addresses;
    private Duid[] duids;
    private long[] iaids;
    /** Per picked key: the lease renewed to one of two expiries. */
    private Lease4[] renewedA;
    private Lease4[] renewedB;
    private Lease4[] leases;
    private int i;
    private long now;
    private LeaseChange expired;
    private final java.util.function.Consumer<LeaseChange> keep = c -> expired = c;

    private static int address(int k) {
        return 0x0a000000 + k;
    }

    private static long mac(int k) {
        return 0xfa163e000000L + k;
    }

    private static Octets clientId(long mac) {
        byte[] b = new byte[7];
        b[0] = 1;
        for (int j = 0; j < 6; j++) {
            b[1 + j] = (byte) (mac >>> (40 - 8 * j));
        }
        return Octets.of(b);
    }

    private static Inet6Address v6(int k) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xfd;
        b[12] = (byte) (k >>> 24);
        b[13] = (byte) (k >>> 16);
        b[14] = (byte) (k >>> 8);
        b[15] = (byte) k;
        return IpAddresses.ipv6(b);
    }

    private static Lease4 lease(int k, long expiresAt) {
        long mac = mac(k);
        return new Lease4(address(k), mac, (k & 1) == 0 ? clientId(mac) : null, "host-" + k, expiresAt, LeaseState.BOUND);
    }

    @Setup(Level.Trial)
    public void setUp() {
        table = new LeaseTable("bench", 2 * size);
        leases = new Lease4[size];
        for (int k = 0; k < size; k++) {
            leases[k] = lease(k, T0 + 1 + k);
            table.put(leases[k]);
            hashMap.put(leases[k].address(), leases[k]);
            Duid duid = Duid.ll(1, Octets.of(new byte[] {(byte) 0xfa, 0x16, 0x3e, 0, (byte) (k >>> 8), (byte) k}));
            table.put(new Lease6(v6(k), 128, Lease6.IaType.NA, duid, k, null, Lease4.NEVER, LeaseState.BOUND));
        }
        now = T0;
        Random r = new Random(1);
        addresses = new int[PICKS];
        macs = new long[PICKS];
        clientIds = new Octets[PICKS];
        v6Addresses = new Inet6Address[PICKS];
        duids = new Duid[PICKS];
        iaids = new long[PICKS];
        renewedA = new Lease4[PICKS];
        renewedB = new Lease4[PICKS];
        for (int p = 0; p < PICKS; p++) {
            int k = r.nextInt(size);
            addresses[p] = address(k);
            macs[p] = mac(k);
            clientIds[p] = clientId(mac(k & ~1));
            v6Addresses[p] = v6(k);
            duids[p] = Duid.ll(1, Octets.of(new byte[] {(byte) 0xfa, 0x16, 0x3e, 0, (byte) (k >>> 8), (byte) k}));
            iaids[p] = k;
            renewedA[p] = lease(k, T0 + 86_400 + k);
            renewedB[p] = lease(k, T0 + 2 * 86_400 + k);
        }
    }

    private int next() {
        return i++ & (PICKS - 1);
    }

    @Benchmark
    public Lease4 v4ByAddress() {
        return table.v4(addresses[next()]);
    }

    @Benchmark
    public Lease4 hashMapByAddress() {
        return hashMap.get(addresses[next()]);
    }

    @Benchmark
    public List<Lease4> v4ByMac() {
        return table.v4ByMac(macs[next()]);
    }

    @Benchmark
    public List<Lease4> v4ByClientId() {
        return table.v4ByClientId(clientIds[next()]);
    }

    @Benchmark
    public Lease6 v6ByAddress() {
        return table.v6(v6Addresses[next()]);
    }

    @Benchmark
    public List<Lease6> v6ByClient() {
        int p = next();
        return table.v6ByClient(duids[p], Lease6.IaType.NA, iaids[p]);
    }

    /** A renewal: the same key and identity, a later expiry (moves the lease in the expiry heap). */
    @Benchmark
    public LeaseTable.PutResult renew4() {
        int p = next();
        // Alternate the two expiries key by key, so every put changes the expiry.
        return table.put(((i >>> 16) & 1) == 0 ? renewedA[p] : renewedB[p]);
    }

    /** A release and a new lease of the same address: removal and insertion in every index. */
    @Benchmark
    public LeaseTable.PutResult removeAndPut4() {
        int a = addresses[next()];
        Lease4 old = table.remove4(a);
        return table.put(old);
    }

    /**
     * The expiry timer's work in steady state: one second passes, the one lease that ended is
     * removed and reported, and its client takes a new lease at the far end of the queue.
     */
    @Benchmark
    public Object expireOne() {
        now++;
        expired = null;
        table.expire(now, keep);
        LeaseChange gone = expired;
        if (gone != null) {
            table.put(gone.lease4().with(now + size, LeaseState.BOUND));
        }
        return gone;
    }
}
