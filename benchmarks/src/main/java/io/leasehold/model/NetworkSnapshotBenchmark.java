package io.leasehold.model;

import io.leasehold.wire.IpAddresses;
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
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Port changes on a network of {@code hosts} dual-stack ports: adding, changing (a new host name,
 * as a port update does) and removing one port's reservation make a new snapshot sharing the rest
 * of the old one. {@code rebuild} is the alternative a reload without structural sharing would pay:
 * every reservation of the network indexed again into a new snapshot.
 *
 * <p>Each change applies to the same base snapshot, so the measured cost is one change on a network
 * of exactly {@code hosts} ports; ports are picked from a pre-shuffled array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetworkSnapshotBenchmark {

    private static final int PICKS = 1 << 12;
    private static final String S4 = "c3d4e5f6-0000-4000-8000-000000000004";
    private static final String S6 = "c3d4e5f6-0000-4000-8000-000000000006";

    @Param({"100000"})
    public int hosts;

    private NetworkSnapshot empty;
    private NetworkSnapshot base;
    private Reservation[] all;
    private Reservation[] added;
    private Reservation[] changed;
    private String[] removed;
    private int i;

    private static long mac(int k) {
        return 0xfa163e000000L + k;
    }

    private static Reservation v4(int k, String name) {
        int a = 0x0a000000 + 10 + k;
        return Reservation.of("p" + k + "-v4", mac(k), name, IpAddresses.ipv4(a));
    }

    private static Reservation v6(int k) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xfd;
        b[3] = 0x10;
        int v = k + 10;
        b[12] = (byte) (v >>> 24);
        b[13] = (byte) (v >>> 16);
        b[14] = (byte) (v >>> 8);
        b[15] = (byte) v;
        Inet6Address a = IpAddresses.ipv6(b);
        return new Reservation("p" + k + "-v6", mac(k), null, null,
                "host-" + a.getHostAddress().replace(':', '-') + ".openstacklocal", List.of(a), Set.of(),
                Set.of(Reservation.TAG_DHCPV6), Subnet.DEFAULT_TIME);
    }

    private static String name(int k) {
        return "host-10-" + (k >>> 16) + "-" + (k >>> 8 & 255) + "-" + (k & 255) + ".openstacklocal";
    }

    @Setup(Level.Trial)
    public void setUp() {
        empty = NetworkSnapshot.builder("bench")
                .settings(NetworkSnapshot.Settings.DEFAULT.withDomain("openstacklocal").withLeaseMax(16777216))
                .subnet(Subnet.of(S4, IpPrefix.parse("10.0.0.0/14"), AddressMode.DHCPV4))
                .subnet(Subnet.of(S6, IpPrefix.parse("fd00:10::/64"), AddressMode.DHCPV6_STATEFUL))
                .build();
        all = new Reservation[2 * hosts];
        for (int k = 0; k < hosts; k++) {
            all[2 * k] = v4(k, name(k));
            all[2 * k + 1] = v6(k);
        }
        base = rebuild();
        Random r = new Random(3);
        added = new Reservation[PICKS];
        changed = new Reservation[PICKS];
        removed = new String[PICKS];
        for (int p = 0; p < PICKS; p++) {
            int k = r.nextInt(hosts);
            added[p] = v4(hosts + k, name(hosts + k));
            changed[p] = v4(k, "renamed-" + k + ".openstacklocal");
            removed[p] = "p" + k + "-v4";
        }
    }

    private int next() {
        return i++ & (PICKS - 1);
    }

    /** A new port: one reservation more, on a network of {@code hosts} ports. */
    @Benchmark
    public NetworkSnapshot addReservation() {
        return base.withReservation(added[next()]);
    }

    /** A port update: one reservation replaced (its host name changed). */
    @Benchmark
    public NetworkSnapshot changeReservation() {
        return base.withReservation(changed[next()]);
    }

    /** A port deleted: one reservation removed. */
    @Benchmark
    public NetworkSnapshot removeReservation() {
        return base.withoutReservation(removed[next()]);
    }

    /** The whole network indexed again from its reservations, as a reload without sharing would. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public NetworkSnapshot rebuild() {
        NetworkSnapshot s = empty;
        for (Reservation r : all) {
            s = s.withReservation(r);
        }
        return s;
    }
}
