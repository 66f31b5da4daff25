package io.leasehold.dnsmasq;

import io.leasehold.lease.Lease4;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every dhcp-host line form Neutron writes (neutron-compat §2.1) and every way a line is refused. */
class HostsFileTest {

    @Test
    void plainLine() {
        Reservation r = HostsFile.parseLine("00:00:80:aa:bb:cc,host-192-168-0-2.openstacklocal.,192.168.0.2");
        assertEquals(0x000080aabbccL, r.mac());
        assertEquals("host-192-168-0-2.openstacklocal", r.hostname());    // one trailing dot removed
        assertEquals("host-192-168-0-2", r.shortName());
        assertEquals(List.of(IpAddresses.parse("192.168.0.2")), r.addresses());
        assertEquals(Set.of(), r.setTags());
        assertEquals(Set.of(), r.requiredTags());
        assertEquals(Subnet.DEFAULT_TIME, r.leaseSeconds());
        assertNull(r.clientId());
        assertEquals("00:00:80:aa:bb:cc,host-192-168-0-2.openstacklocal.,192.168.0.2", r.id());
    }

    @Test
    void v6LineWithTagAndPortTag() {
        Reservation r = HostsFile.parseLine("00:00:f3:aa:bb:cc,tag:dhcpv6,host-fdca-3ba5-a17a-4ba3--2.openstacklocal.,"
                + "[fdca:3ba5:a17a:4ba3::2],set:port-p7");
        assertEquals(Set.of("dhcpv6"), r.requiredTags());
        assertEquals(Set.of("port-p7"), r.setTags());
        assertEquals(List.of(IpAddresses.parse("fdca:3ba5:a17a:4ba3::2")), r.addresses());
    }

    @Test
    void clientIdAsTextAndAsHex() {
        Reservation text = HostsFile.parseLine("00:00:0f:aa:bb:55,id:test5,host-192-168-0-5.openstacklocal.,192.168.0.5");
        assertEquals(Octets.of("test5".getBytes(StandardCharsets.UTF_8)), text.clientId());
        assertEquals(Octets.of("test5".getBytes(StandardCharsets.UTF_8)), text.duid().bytes());
        Reservation hex = HostsFile.parseLine("00:00:0f:aa:bb:66,id:01:00:0f:aa:bb:66,h,192.168.0.6,set:port-p6");
        assertEquals(Octets.parseHex("01:00:0f:aa:bb:66"), hex.clientId());
        // dnsmasq's parse_hex: a long group gives several bytes, pairs from the left, an odd last digit alone
        assertEquals(Octets.parseHex("ab:0c:de"), HostsFile.parseLine("id:abc:de,10.0.0.9").clientId());
        // id:* ignores the client id: the line matches by MAC
        Reservation star = HostsFile.parseLine("00:00:0f:aa:bb:77,id:*,h7,192.168.0.7");
        assertNull(star.clientId());
        assertEquals(0x00000faabb77L, star.mac());
        // a client id alone names the client
        Reservation only = HostsFile.parseLine("id:01:02:03,10.0.0.8");
        assertEquals(Lease4.NO_MAC, only.mac());
    }

    @Test
    void statelessTagOnlyLine() {
        Reservation r = HostsFile.parseLine("00:16:3e:c2:77:1d,tag:dhcpv6,set:port-p7");
        assertEquals(List.of(), r.addresses());
        assertNull(r.hostname());
        assertEquals(Set.of("port-p7"), r.setTags());
    }

    @Test
    void severalV6AddressesAndLeaseTimes() {
        Reservation r = HostsFile.parseLine("fa:16:3e:00:00:01,tag:dhcpv6,h,[fd00::a],[fd00::b],2h");
        assertEquals(List.of(IpAddresses.parse("fd00::a"), IpAddresses.parse("fd00::b")), r.addresses());
        assertEquals(7200, r.leaseSeconds());
        assertEquals(Subnet.INFINITE, HostsFile.parseLine("fa:16:3e:00:00:01,10.0.0.1,infinite").leaseSeconds());
        assertEquals(120, HostsFile.parseLine("fa:16:3e:00:00:01,10.0.0.1,30").leaseSeconds());   // clamped
        // the last of several IPv4 addresses wins, as in dnsmasq
        assertEquals(List.of(IpAddresses.parse("10.0.0.2")),
                HostsFile.parseLine("fa:16:3e:00:00:01,10.0.0.1,10.0.0.2").addresses());
    }

    @Test
    void namesAreLowerCasedAndUpperCaseMacsAccepted() {
        Reservation r = HostsFile.parseLine("FA:16:3E:C2:77:1D,Host-UPPER.OtherDomain,10.0.0.1");
        assertEquals("host-upper.otherdomain", r.hostname());
        assertEquals(0xfa163ec2771dL, r.mac());
        assertEquals(0xfa163ec2771dL, HostsFile.parseLine("01-fa:16:3e:c2:77:1d,10.0.0.1").mac());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fa:16:3e:00:00:01,-bad,10.0.0.1|bad DHCP host name",
            "fa:16:3e:00:00:01,a b,10.0.0.1|host name",
            "fa:16:3e:00:00:01,h,[fd00::1|IPv6 address",
            "fa:16:3e:00:00:01,h,[zz::1]|bad IPv6 address",
            "fa:16:3e:00:00:01,h,[::5]|wildcard-prefix",
            "fa:16:3e:00:00:01,h,[fd00::/64]|prefixes",
            "fa:16:3e:00:00:zz,h,10.0.0.1|is not hex",
            "fa:16:3e:00:00,h,10.0.0.1|six octets",
            "fa:16:3e:*:00:01,h,10.0.0.1|wildcard",
            "06-fa:16:3e:00:00:01,h,10.0.0.1|hardware type",
            "id:01:zz,10.0.0.1|bad hex constant",
            "fa:16:3e:00:00:01,ignore|not supported",
            "fa:16:3e:00:00:01,tag:!x,10.0.0.1|negated",
            "h,10.0.0.1|names no client",
            "fa:16:3e:00:00:01,,10.0.0.1|empty field",
            "fa:16:3e:00:00:01,fa:16:3e:00:00:02,10.0.0.1|second MAC",
            "fa:16:3e:00:00:01,h1,h2|second host name",
            "fa:16:3e:00:00:01,h,99999999999999h|lease time",
            "fa:16:3e:00:00:01,set:,10.0.0.1|empty name",
    })
    void badLinesAreRefusedWithAReason(String line, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostsFile.parseLine(line));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void errorsNameFileAndLineAndTheRestApplies() {
        String text = "fa:16:3e:00:00:01,h1,10.0.0.1\n"
                + "# a comment\n"
                + "\n"
                + "fa:16:3e:00:00:02,-h2,10.0.0.2\n"
                + "fa:16:3e:00:00:03,h3,10.0.0.1\n"
                + "fa:16:3e:00:00:04,h4\u0000x,10.0.0.4\n"
                + "fa:16:3e:00:00:05,h5,10.0.0.5\r\n";
        HostsFile.Result r = HostsFile.parse("/confs/n/host", text);
        assertEquals(List.of("fa:16:3e:00:00:01,h1,10.0.0.1", "fa:16:3e:00:00:05,h5,10.0.0.5"),
                r.reservations().stream().map(Reservation::id).toList());
        assertEquals(3, r.errors().size());
        assertTrue(r.errors().get(0).toString().startsWith("/confs/n/host:4: bad DHCP host name"), r.errors().toString());
        assertEquals("/confs/n/host:5: duplicate dhcp-host IP address 10.0.0.1 (line 1 gives it; that line is kept)",
                r.errors().get(1).toString());
        assertEquals("/confs/n/host:6: control character 0x00 at column 21", r.errors().get(2).toString());
    }

    @Test
    void aRepeatedLineCountsAtItsLastPosition() {
        String a = "fa:16:3e:00:00:01,tag:dhcpv6,set:port-a";
        String b = "fa:16:3e:00:00:01,tag:dhcpv6,h,[fd00::1]";
        HostsFile.Result r = HostsFile.parse("host", a + "\n" + b + "\n" + a + "\n");
        assertEquals(List.of(b, a), r.reservations().stream().map(Reservation::id).toList());
        assertEquals(List.of(), r.errors());
    }

    @Test
    void anOverlongLineIsRefused() {
        String line = "fa:16:3e:00:00:01,h," + "x".repeat(5000);
        HostsFile.Result r = HostsFile.parse("host", line + "\nfa:16:3e:00:00:02,h2,10.0.0.2\n");
        assertEquals(1, r.reservations().size());
        assertTrue(r.errors().get(0).message().startsWith("line of 5020 characters"), r.errors().toString());
    }
}
