package io.leasehold.model;

import io.leasehold.lease.Lease4;
import io.leasehold.option.Duid;
import io.leasehold.option.OptionSpace;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots change one thing at a time, keep their indexes right, and leave the old snapshot alone. */
class NetworkSnapshotTest {

    private static final Subnet V4 = Subnet.of("s4", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV4);
    private static final Subnet V6 = Subnet.of("s6", IpPrefix.parse("fd00:10::/64"), AddressMode.DHCPV6_STATEFUL);

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    @Test
    void reservationsAreFoundByEveryKeyAndGoneAfterRemoval() {
        Duid duid = Duid.ll(1, Octets.parseHex("fa:16:3e:00:00:01"));
        Reservation v4 = Reservation.of("p1-0", 0xfa163e000001L, "host-10-0-0-5", ip("10.0.0.5"));
        Reservation v6 = new Reservation("p1-1", 0xfa163e000001L, null, duid, "host-fd00-10--5",
                List.of(ip("fd00:10::5")), Set.of(), Set.of(Reservation.TAG_DHCPV6), Subnet.DEFAULT_TIME);
        Reservation byId = new Reservation("p2-0", Lease4.NO_MAC, Octets.parseHex("01:02:03"), null, null,
                List.of(ip("10.0.0.6")), Set.of("port-p2"), Set.of(), Subnet.DEFAULT_TIME);
        NetworkSnapshot s = NetworkSnapshot.builder("n").subnet(V4).subnet(V6)
                .reservation(v4).reservation(v6).reservation(byId).build();

        assertEquals(3, s.reservationCount());
        assertEquals(Set.of(v4, v6), Set.copyOf(s.reservationsByMac(0xfa163e000001L)));
        assertEquals(List.of(byId), s.reservationsByClientId(Octets.parseHex("01:02:03")));
        assertEquals(List.of(v6), s.reservationsByDuid(duid));
        assertSame(v4, s.reservationOf(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.5"))));
        assertSame(v6, s.reservationOf(IpAddresses.parseIpv6("fd00:10::5")));
        assertSame(V4, s.ipv4SubnetOf(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.200"))));
        assertSame(V6, s.ipv6SubnetOf(ip("fd00:10::99")));

        NetworkSnapshot after = s.withoutReservation("p1-0");
        assertEquals(List.of(v6), after.reservationsByMac(0xfa163e000001L));
        assertNull(after.reservationOf(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.5"))));
        assertEquals(s.revision() + 1, after.revision());
        // The old snapshot is untouched.
        assertSame(v4, s.reservationOf(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.5"))));
        assertSame(after, after.withoutReservation("nope"));
    }

    @Test
    void replacingAReservationMovesItsIndexEntries() {
        NetworkSnapshot s = NetworkSnapshot.builder("n").subnet(V4)
                .reservation(Reservation.of("p1", 0xaL, "a", ip("10.0.0.5"))).build();
        NetworkSnapshot moved = s.withReservation(Reservation.of("p1", 0xbL, "a", ip("10.0.0.7")));
        assertTrue(moved.reservationsByMac(0xaL).isEmpty());
        assertEquals("p1", moved.reservationsByMac(0xbL).get(0).id());
        assertNull(moved.reservationOf(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.5"))));
        assertEquals("p1", moved.reservationOf(IpAddresses.toInt(IpAddresses.parseIpv4("10.0.0.7"))).id());
        assertEquals(1, moved.reservationCount());
        assertSame(moved, moved.withReservation(Reservation.of("p1", 0xbL, "a", ip("10.0.0.7"))));
    }

    @Test
    void optionLinesAreFoundByTagAndKeepTheirOrder() {
        OptionLine router = new OptionLine(OptionSpace.DHCP4, 3, Octets.parseHex("0a000001"),
                List.of(new TagMatch("subnet-s4", false)), false, false);
        OptionLine mtu = new OptionLine(OptionSpace.DHCP4, 26, Octets.parseHex("05aa"), List.of(), true, false);
        OptionLine pxe = new OptionLine(OptionSpace.DHCP4, 67, Octets.of("undionly.kpxe".getBytes()),
                List.of(new TagMatch("port-p2", false), new TagMatch("ipxe", true)), false, false);
        NetworkSnapshot s = NetworkSnapshot.builder("n").option(router).option(mtu).option(pxe).build();
        assertEquals(List.of(router, mtu, pxe), s.options().all());

        List<OptionLines.Entry> out = new ArrayList<>();
        s.options().candidates(OptionSpace.DHCP4, Set.of("subnet-s4"), out);
        assertEquals(Set.of(router, mtu), Set.copyOf(out.stream().map(OptionLines.Entry::line).toList()));
        out.clear();
        s.options().candidates(OptionSpace.DHCP4, Set.of("port-p2"), out);
        assertEquals(Set.of(mtu, pxe), Set.copyOf(out.stream().map(OptionLines.Entry::line).toList()));
        out.clear();
        s.options().candidates(OptionSpace.DHCP6, Set.of("port-p2", "subnet-s4"), out);
        assertTrue(out.isEmpty());

        NetworkSnapshot without = s.withoutOption(pxe);
        assertEquals(List.of(router, mtu), without.options().all());
        assertSame(without, without.withoutOption(pxe));
        assertSame(s, s.withOption(router));
    }

    @Test
    void subnetsAreReplacedInPlace() {
        NetworkSnapshot s = NetworkSnapshot.builder("n").subnet(V4).subnet(V6).build();
        Subnet longer = V4.withLease(3600, Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME);
        NetworkSnapshot t = s.withSubnet(longer);
        assertEquals(List.of(longer, V6), t.subnets());
        assertEquals(List.of(V6), t.withoutSubnet("s4").subnets());
        assertThrows(IllegalArgumentException.class,
                () -> Subnet.of("bad", IpPrefix.parse("10.0.0.0/24"), AddressMode.DHCPV6_STATEFUL));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/24"));
        assertEquals(1800, V4.withLease(3600, Subnet.DEFAULT_TIME, Subnet.DEFAULT_TIME).t1For(3600));
        assertEquals(3150, V4.t2For(3600));
        assertEquals(Subnet.INFINITE, V4.t1For(Subnet.INFINITE));
    }

    @Test
    void optionLinesCanBeInsertedAtAChosenPosition() {
        OptionLine a = new OptionLine(OptionSpace.DHCP4, 26, Octets.parseHex("05:dc"), List.of(new TagMatch("x", false)), false, false);
        OptionLine b = new OptionLine(OptionSpace.DHCP4, 26, Octets.parseHex("05:aa"), List.of(new TagMatch("x", false)), false, false);
        OptionLine c = new OptionLine(OptionSpace.DHCP4, 3, null, List.of(), false, false);
        NetworkSnapshot s = NetworkSnapshot.empty("n").withOption(a, 100).withOption(c, 300).withOption(b, 200);
        assertEquals(List.of(a, b, c), s.options().all());
        assertEquals(200, s.options().seqOf(b));
        assertEquals(-1, s.options().seqOf(new OptionLine(OptionSpace.DHCP4, 1, null, List.of(), false, false)));
        // a plain add goes after the highest position, and removal finds the line by value
        OptionLine d = new OptionLine(OptionSpace.DHCP4, 6, null, List.of(), false, false);
        s = s.withOption(d);
        assertEquals(301, s.options().seqOf(d));
        assertEquals(List.of(a, c, d), s.withoutOption(b).options().all());
        assertSame(s, s.withOption(a, 5));
        assertThrows(IllegalArgumentException.class, () -> NetworkSnapshot.empty("n").withOption(a, -1));
    }
}
