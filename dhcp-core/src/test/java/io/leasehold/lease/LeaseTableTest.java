package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseTableTest {

    private static final String NET = "net1";
    private static final long T = 1_700_000_000L;
    private static final Duid DUID_A = Duid.parse("00:01:00:01:27:da:58:97:fa:16:3e:6c:ad:c1");
    private static final Duid DUID_B = Duid.parse("00:03:00:01:fa:16:3e:00:00:02");

    private static int ip(String s) {
        return IpAddresses.toInt(IpAddresses.parseIpv4(s));
    }

    private static Inet6Address ip6(String s) {
        return IpAddresses.parseIpv6(s);
    }

    private static Lease4 v4(String address, long mac, long expiresAt) {
        return new Lease4(ip(address), mac, null, null, expiresAt, LeaseState.BOUND);
    }

    private static Lease6 na(String address, Duid duid, long iaid, long expiresAt) {
        return new Lease6(ip6(address), 128, Lease6.IaType.NA, duid, iaid, null, expiresAt, LeaseState.BOUND);
    }

    @Test
    void capacityMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LeaseTable(NET, 0));
        assertEquals("capacity: 0 (expected: > 0)", e.getMessage());
    }

    @Test
    void fullTableRefusesNewKeysButReplacesExistingOnes() {
        LeaseTable t = new LeaseTable(NET, 3);
        assertEquals(LeaseTable.PutResult.ADDED, t.put(v4("10.0.0.1", 1, T)));
        // Every state holds an address, so every state counts.
        assertEquals(LeaseTable.PutResult.ADDED, t.put(v4("10.0.0.2", 2, T).with(T, LeaseState.OFFERED)));
        assertEquals(LeaseTable.PutResult.ADDED, t.put(na("fd00::1", DUID_A, 1, T).with(T, LeaseState.DECLINED)));
        assertTrue(t.isFull());

        assertEquals(LeaseTable.PutResult.FULL, t.put(v4("10.0.0.3", 3, T)));
        assertEquals(LeaseTable.PutResult.FULL, t.put(na("fd00::2", DUID_A, 2, T)));
        assertNull(t.v4(ip("10.0.0.3")));
        assertEquals(List.of(), t.v4ByMac(3));
        assertEquals(3, t.size());
        assertFalse(t.apply(LeaseChange.put(NET, v4("10.0.0.3", 3, T))));

        assertEquals(LeaseTable.PutResult.REPLACED, t.put(v4("10.0.0.2", 2, T + 60)));
        assertEquals(LeaseTable.PutResult.REPLACED, t.put(na("fd00::1", DUID_A, 1, T + 60)));

        t.remove4(ip("10.0.0.1"));
        assertEquals(LeaseTable.PutResult.ADDED, t.put(v4("10.0.0.3", 3, T)));
    }

    @Test
    void expireRemovesInExpiryThenKeyOrderAndReportsDeletes() {
        LeaseTable t = new LeaseTable(NET, 100);
        t.put(v4("10.0.0.9", 9, T + 10));
        t.put(v4("192.168.0.1", 1, T + 5));
        t.put(v4("10.0.0.1", 2, T + 5));
        t.put(na("fd00::1", DUID_A, 1, T + 5));
        t.put(v4("10.0.0.5", 5, Lease4.NEVER));
        t.put(na("fd00::2", DUID_A, 2, T + 20));
        assertEquals(T + 5, t.nextExpiry());

        List<LeaseChange> gone = new ArrayList<>();
        assertEquals(0, t.expire(T + 4, gone::add));
        assertEquals(4, t.expire(T + 10, gone::add));
        assertEquals(List.of(
                LeaseChange.delete(NET, v4("10.0.0.1", 2, T + 5)),
                LeaseChange.delete(NET, v4("192.168.0.1", 1, T + 5)),
                LeaseChange.delete(NET, na("fd00::1", DUID_A, 1, T + 5)),
                LeaseChange.delete(NET, v4("10.0.0.9", 9, T + 10))), gone);
        assertEquals(T + 20, t.nextExpiry());
        assertEquals(List.of(), t.v4ByMac(9));

        // A renewal moves the lease in the expiry order; an infinite lease never expires.
        t.put(na("fd00::2", DUID_A, 2, T + 1000));
        gone.clear();
        assertEquals(0, t.expire(T + 999, gone::add));
        t.put(na("fd00::2", DUID_A, 2, Lease4.NEVER));
        assertEquals(Lease4.NEVER, t.nextExpiry());
        assertEquals(0, t.expire(Long.MAX_VALUE, gone::add));
        assertEquals(2, t.size());
    }

    @Test
    void rePutWithAnotherIdentityMovesTheLeaseBetweenIdentityIndexes() {
        LeaseTable t = new LeaseTable(NET, 100);
        Octets idA = Octets.parseHex("01:fa:16:3e:00:00:01");
        Octets idB = Octets.parseHex("ff:00:00:00:01");
        Lease4 first = new Lease4(ip("10.0.0.7"), 0xfa163e000001L, idA, "vm1", T, LeaseState.BOUND);
        Lease4 second = new Lease4(ip("10.0.0.8"), 0xfa163e000001L, idA, "vm1", T, LeaseState.BOUND);
        t.put(first);
        t.put(second);
        assertEquals(List.of(first, second), t.v4ByMac(0xfa163e000001L));
        assertEquals(List.of(first, second), t.v4ByClientId(idA));

        Lease4 moved = new Lease4(ip("10.0.0.7"), 0xfa163e000002L, idB, "vm2", T + 1, LeaseState.BOUND);
        assertEquals(LeaseTable.PutResult.REPLACED, t.put(moved));
        assertEquals(List.of(second), t.v4ByMac(0xfa163e000001L));
        assertEquals(List.of(moved), t.v4ByMac(0xfa163e000002L));
        assertEquals(List.of(second), t.v4ByClientId(idA));
        assertEquals(List.of(moved), t.v4ByClientId(idB));

        // Dropping the client id and the MAC takes the lease out of both identity indexes.
        Lease4 anonymous = new Lease4(ip("10.0.0.7"), Lease4.NO_MAC, null, null, T, LeaseState.BOUND);
        t.put(anonymous);
        assertEquals(List.of(), t.v4ByMac(0xfa163e000002L));
        assertEquals(List.of(), t.v4ByClientId(idB));
        assertEquals(List.of(), t.v4ByMac(Lease4.NO_MAC));
        assertSame(anonymous, t.v4(ip("10.0.0.7")));

        Lease6 a = na("fd00::1", DUID_A, 7, T);
        t.put(a);
        Lease6 b = na("fd00::1", DUID_B, 7, T);
        t.put(b);
        assertEquals(List.of(), t.v6ByDuid(DUID_A));
        assertEquals(List.of(b), t.v6ByClient(DUID_B, Lease6.IaType.NA, 7));
        assertEquals(List.of(), t.v6ByClient(DUID_B, Lease6.IaType.TA, 7));
    }

    @Test
    void identityAssociationsOfOneClientAreSeparateByTypeAndIaid() {
        LeaseTable t = new LeaseTable(NET, 100);
        Lease6 na1 = na("fd00::1", DUID_A, 1, T);
        Lease6 na1b = na("fd00::3", DUID_A, 1, T);
        Lease6 ta1 = new Lease6(ip6("fd00::2"), 128, Lease6.IaType.TA, DUID_A, 1, null, T, LeaseState.BOUND);
        Lease6 pd1 = new Lease6(ip6("2001:db8:1::"), 48, Lease6.IaType.PD, DUID_A, 1, null, T, LeaseState.BOUND);
        t.put(na1b);
        t.put(pd1);
        t.put(ta1);
        t.put(na1);
        assertEquals(List.of(na1, na1b), t.v6ByClient(DUID_A, Lease6.IaType.NA, 1));
        assertEquals(List.of(ta1), t.v6ByClient(DUID_A, Lease6.IaType.TA, 1));
        assertEquals(List.of(pd1), t.v6ByClient(DUID_A, Lease6.IaType.PD, 1));
        assertEquals(List.of(na1, na1b, ta1, pd1), t.v6ByDuid(DUID_A));
        assertSame(pd1, t.v6(ip6("2001:db8:1::"), 48));
        assertNull(t.v6(ip6("2001:db8:1::")));
        assertSame(pd1, t.remove6(ip6("2001:db8:1::"), 48));
        assertEquals(List.of(na1, na1b, ta1), t.v6ByDuid(DUID_A));
    }

    @Test
    void applyRefusesAnotherNetworksChangeAndResetEmpties() {
        LeaseTable t = new LeaseTable(NET, 10);
        t.put(v4("10.0.0.1", 1, T));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.apply(LeaseChange.reset("net2")));
        assertEquals("networkId: net2 (expected: net1)", e.getMessage());
        assertTrue(t.apply(LeaseChange.reset(NET)));
        assertEquals(0, t.size());
        assertEquals(Lease4.NEVER, t.nextExpiry());
        assertEquals(List.of(), t.v4ByMac(1));
    }

    /** Enough keys to make the open-addressing map grow and shift runs back on removal many times. */
    @Test
    void manyKeysAgreeWithAHashMap() {
        Random r = new Random(42);
        LeaseTable t = new LeaseTable(NET, 1 << 20);
        Map<Integer, Lease4> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // Consecutive addresses (the usual pool) and random ones (hash collisions).
            int a = r.nextBoolean() ? 0x0a000000 + r.nextInt(60_000) : r.nextInt();
            if (r.nextInt(3) == 0) {
                assertEquals(model.remove(a), t.remove4(a));
            } else {
                Lease4 l = new Lease4(a, r.nextInt(1000), null, null, T + r.nextInt(1000), LeaseState.BOUND);
                t.put(l);
                model.put(a, l);
            }
        }
        assertEquals(model.size(), t.size());
        for (Map.Entry<Integer, Lease4> e : model.entrySet()) {
            assertSame(e.getValue(), t.v4(e.getKey()));
        }
        List<LeaseChange> gone = new ArrayList<>();
        t.expire(T + 1000, gone::add);
        assertEquals(model.size(), gone.size());
        for (int i = 1; i < gone.size(); i++) {
            assertTrue(gone.get(i - 1).lease4().expiresAt() <= gone.get(i).lease4().expiresAt());
        }
        assertEquals(0, t.size());
    }
}
