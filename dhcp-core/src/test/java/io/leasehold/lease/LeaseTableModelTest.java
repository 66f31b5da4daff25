package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.testing.Seeds;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model-based test of {@link LeaseTable}: random sequences of puts, removals, expiries, applied
 * changes and resets over a small space of addresses and identities (so that keys and identities
 * collide all the time, and the table fills up) are run against the table and against a plain map;
 * after every step every index of the table is compared with the same index recomputed from the map
 * by brute force. Each case's seed is in its name.
 */
class LeaseTableModelTest {

    private static final String NET = "net-model";
    private static final int CAPACITY = 14;
    private static final int STEPS = 400;

    static LongStream seeds() {
        return Seeds.of(60);
    }

    // A small space with unsigned-order traps: 0.0.0.0, addresses with the top bit set.
    private static final int[] ADDRESSES = {
        0x0a000001, 0x0a000002, 0x0a000003, 0x0a000004, 0x0a000005, 0x0a000006, 0x0a000007, 0x0a000008,
        0xc0a80001, 0xc0a80002, 0xffffffff, 0x00000000, 0x0a000101, 0x0a000102,
    };
    private static final long[] MACS = {Lease4.NO_MAC, 0, 1, 0xfa163e000011L, 0xffffffffffffL};
    private static final Octets[] CLIENT_IDS = {null, Octets.of((byte) 1), Octets.of((byte) 1, (byte) 2),
        Octets.of((byte) 0xff)};
    private static final Inet6Address[] V6 = {
        IpAddresses.parseIpv6("fd00::1"), IpAddresses.parseIpv6("fd00::2"), IpAddresses.parseIpv6("ff00::1"),
        IpAddresses.parseIpv6("::"), IpAddresses.parseIpv6("2001:db8::"),
    };
    private static final Duid[] DUIDS = {Duid.parse("00:03:00:01:fa:16:3e:00:00:01"),
        Duid.parse("00:03:00:01:fa:16:3e:00:00:02"), Duid.parse("00:04:aa:bb:cc")};
    private static final long[] IAIDS = {0, 1, 0xffffffffL};

    record K6(Inet6Address address, int prefixLength) {
    }

    /** The model: the leases by key, and nothing else. */
    private final Map<Integer, Lease4> m4 = new HashMap<>();
    private final Map<K6, Lease6> m6 = new HashMap<>();

    private static <T> T pick(Random r, T[] a) {
        return a[r.nextInt(a.length)];
    }

    private static long expiry(Random r, long now) {
        return r.nextInt(6) == 0 ? Lease4.NEVER : now - 1 + r.nextInt(8);
    }

    private static Lease4 lease4(Random r, long now) {
        return new Lease4(ADDRESSES[r.nextInt(ADDRESSES.length)], MACS[r.nextInt(MACS.length)], pick(r, CLIENT_IDS),
                r.nextBoolean() ? null : "h" + r.nextInt(3), expiry(r, now), LeaseState.values()[r.nextInt(3)]);
    }

    private static Lease6 lease6(Random r, long now) {
        Lease6.IaType type = Lease6.IaType.values()[r.nextInt(3)];
        int prefixLength = type == Lease6.IaType.PD ? new int[] {56, 64, 128}[r.nextInt(3)] : 128;
        return new Lease6(pick(r, V6), prefixLength, type, pick(r, DUIDS), IAIDS[r.nextInt(IAIDS.length)],
                r.nextBoolean() ? null : "h6", expiry(r, now), LeaseState.values()[r.nextInt(3)]);
    }

    private int modelSize() {
        return m4.size() + m6.size();
    }

    private LeaseTable.PutResult modelPut4(Lease4 l) {
        if (m4.containsKey(l.address())) {
            m4.put(l.address(), l);
            return LeaseTable.PutResult.REPLACED;
        }
        if (modelSize() >= CAPACITY) {
            return LeaseTable.PutResult.FULL;
        }
        m4.put(l.address(), l);
        return LeaseTable.PutResult.ADDED;
    }

    private LeaseTable.PutResult modelPut6(Lease6 l) {
        K6 k = new K6(l.address(), l.prefixLength());
        if (m6.containsKey(k)) {
            m6.put(k, l);
            return LeaseTable.PutResult.REPLACED;
        }
        if (modelSize() >= CAPACITY) {
            return LeaseTable.PutResult.FULL;
        }
        m6.put(k, l);
        return LeaseTable.PutResult.ADDED;
    }

    private static int compare6(Lease6 a, Lease6 b) {
        int c = Arrays.compareUnsigned(a.address().getAddress(), b.address().getAddress());
        return c != 0 ? c : Integer.compare(a.prefixLength(), b.prefixLength());
    }

    /** Expiry order, recomputed: (expiresAt, IPv4 first, address unsigned, prefix length). */
    private static final Comparator<Object> EXPIRY_ORDER = (a, b) -> {
        long ea = a instanceof Lease4 ? ((Lease4) a).expiresAt() : ((Lease6) a).expiresAt();
        long eb = b instanceof Lease4 ? ((Lease4) b).expiresAt() : ((Lease6) b).expiresAt();
        if (ea != eb) {
            return Long.compare(ea, eb);
        }
        if (a instanceof Lease4 != b instanceof Lease4) {
            return a instanceof Lease4 ? -1 : 1;
        }
        if (a instanceof Lease4) {
            return Integer.compareUnsigned(((Lease4) a).address(), ((Lease4) b).address());
        }
        return compare6((Lease6) a, (Lease6) b);
    };

    private List<LeaseChange> modelExpire(long now) {
        List<Object> gone = new ArrayList<>();
        m4.values().stream().filter(l -> l.expiredAt(now)).forEach(gone::add);
        m6.values().stream().filter(l -> l.expiredAt(now)).forEach(gone::add);
        gone.sort(EXPIRY_ORDER);
        List<LeaseChange> out = new ArrayList<>();
        for (Object o : gone) {
            if (o instanceof Lease4) {
                m4.remove(((Lease4) o).address());
                out.add(LeaseChange.delete(NET, (Lease4) o));
            } else {
                Lease6 l = (Lease6) o;
                m6.remove(new K6(l.address(), l.prefixLength()));
                out.add(LeaseChange.delete(NET, l));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void tableAgreesWithAMapModel(long seed) {
        Random r = new Random(seed);
        LeaseTable table = new LeaseTable(NET, CAPACITY);
        long now = 1000;
        for (int step = 0; step < STEPS; step++) {
            String at = "seed=" + seed + " step " + step;
            int op = r.nextInt(100);
            if (op < 30) {
                Lease4 l = lease4(r, now);
                assertEquals(modelPut4(l), table.put(l), at + " put " + l);
            } else if (op < 55) {
                Lease6 l = lease6(r, now);
                assertEquals(modelPut6(l), table.put(l), at + " put " + l);
            } else if (op < 65) {
                int a = ADDRESSES[r.nextInt(ADDRESSES.length)];
                assertEquals(m4.remove(a), table.remove4(a), at + " remove4");
            } else if (op < 75) {
                Inet6Address a = pick(r, V6);
                int len = new int[] {56, 64, 128}[r.nextInt(3)];
                assertEquals(m6.remove(new K6(a, len)), table.remove6(a, len), at + " remove6");
            } else if (op < 88) {
                now += r.nextInt(4);
                List<LeaseChange> expected = modelExpire(now);
                List<LeaseChange> actual = new ArrayList<>();
                int n = table.expire(now, actual::add);
                assertEquals(expected, actual, at + " expire at " + now);
                assertEquals(expected.size(), n, at);
            } else if (op < 97) {
                // Journal replay: the same operations through apply().
                LeaseChange c;
                switch (r.nextInt(4)) {
                    case 0:
                        c = LeaseChange.put(NET, lease4(r, now));
                        assertEquals(modelPut4(c.lease4()).accepted(), table.apply(c), at);
                        break;
                    case 1:
                        c = LeaseChange.delete(NET, lease4(r, now));
                        m4.remove(c.lease4().address());
                        assertEquals(true, table.apply(c), at);
                        break;
                    case 2:
                        c = LeaseChange.put(NET, lease6(r, now));
                        assertEquals(modelPut6(c.lease6()).accepted(), table.apply(c), at);
                        break;
                    default:
                        c = LeaseChange.delete(NET, lease6(r, now));
                        m6.remove(new K6(c.lease6().address(), c.lease6().prefixLength()));
                        assertEquals(true, table.apply(c), at);
                        break;
                }
            } else {
                m4.clear();
                m6.clear();
                table.apply(LeaseChange.reset(NET));
            }
            checkIndexes(table, at);
        }
    }

    /** Every index of the table against the same index recomputed from the model. */
    private void checkIndexes(LeaseTable t, String at) {
        assertEquals(modelSize(), t.size(), at + " size");
        assertEquals(m4.size(), t.size4(), at + " size4");
        assertEquals(m6.size(), t.size6(), at + " size6");
        assertEquals(modelSize() >= CAPACITY, t.isFull(), at + " full");

        for (int a : ADDRESSES) {
            assertEquals(m4.get(a), t.v4(a), at + " v4 " + IpAddresses.ipv4Text(a));
        }
        Comparator<Lease4> byAddress = (x, y) -> Integer.compareUnsigned(x.address(), y.address());
        for (long mac : MACS) {
            List<Lease4> expected = mac == Lease4.NO_MAC ? List.of()
                    : m4.values().stream().filter(l -> l.mac() == mac).sorted(byAddress).collect(Collectors.toList());
            assertEquals(expected, t.v4ByMac(mac), at + " byMac " + mac);
        }
        for (Octets id : CLIENT_IDS) {
            List<Lease4> expected = id == null ? List.of()
                    : m4.values().stream().filter(l -> id.equals(l.clientId())).sorted(byAddress).collect(Collectors.toList());
            assertEquals(expected, t.v4ByClientId(id), at + " byClientId " + id);
        }

        for (Inet6Address a : V6) {
            assertEquals(m6.get(new K6(a, 128)), t.v6(a), at + " v6 " + a);
            for (int len : new int[] {56, 64, 128}) {
                assertEquals(m6.get(new K6(a, len)), t.v6(a, len), at + " v6 " + a + "/" + len);
            }
        }
        for (Duid d : DUIDS) {
            List<Lease6> all = m6.values().stream().filter(l -> l.duid().equals(d))
                    .sorted(Comparator.comparing(Lease6::type).thenComparingLong(Lease6::iaid)
                            .thenComparing(LeaseTableModelTest::compare6))
                    .collect(Collectors.toList());
            assertEquals(all, t.v6ByDuid(d), at + " byDuid " + d);
            for (Lease6.IaType type : Lease6.IaType.values()) {
                for (long iaid : IAIDS) {
                    List<Lease6> expected = all.stream().filter(l -> l.type() == type && l.iaid() == iaid)
                            .collect(Collectors.toList());
                    assertEquals(expected, t.v6ByClient(d, type, iaid), at + " byClient " + d + " " + type + " " + iaid);
                }
            }
        }

        long next = LongStream.concat(m4.values().stream().mapToLong(Lease4::expiresAt),
                m6.values().stream().mapToLong(Lease6::expiresAt)).filter(e -> e != Lease4.NEVER).min().orElse(Lease4.NEVER);
        assertEquals(next, t.nextExpiry(), at + " nextExpiry");

        assertEquals(new HashSet<>(m4.values()), new HashSet<>(t.leases4()), at + " leases4");
        assertEquals(new HashSet<>(m6.values()), new HashSet<>(t.leases6()), at + " leases6");
        assertEquals(m4.size(), t.leases4().size(), at);
        assertEquals(m6.size(), t.leases6().size(), at);
    }
}
