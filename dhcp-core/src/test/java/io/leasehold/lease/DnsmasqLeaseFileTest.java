package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.testing.RandomLeases;
import io.leasehold.testing.Seeds;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsmasqLeaseFileTest {

    static final Duid SERVER_DUID = Duid.parse("00:01:00:01:32:95:12:82:fa:16:3e:00:00:02");

    static byte[] resource(String name) throws IOException {
        try (InputStream in = DnsmasqLeaseFileTest.class.getResourceAsStream("/lease/" + name)) {
            return in.readAllBytes();
        }
    }

    private static int ip(String s) {
        return IpAddresses.toInt(IpAddresses.parseIpv4(s));
    }

    @Test
    void readsAFileAsDnsmasqWritesIt() throws IOException {
        DnsmasqLeaseFile.Contents c = DnsmasqLeaseFile.parse(resource("net1-dnsmasq.leases"));
        assertEquals(List.of(), c.problems());
        assertEquals(SERVER_DUID, c.serverDuid());
        assertEquals(List.of(
                new Lease4(ip("10.77.0.13"), 0xfa163e000013L,
                        Octets.parseHex("ff:3e:00:00:13:00:01:00:01:32:95:13:09:fa:16:3e:00:00:13"),
                        "host-10-77-0-13", 1795401642L, LeaseState.BOUND),
                new Lease4(ip("10.77.0.12"), 0xfa163e000012L, Octets.parseHex("01:fa:16:3e:00:00:12"),
                        "host-10-77-0-12", 1795401621L, LeaseState.BOUND),
                new Lease4(ip("10.77.0.11"), 0xfa163e000011L, Octets.parseHex("01:fa:16:3e:00:00:11"),
                        "host-10-77-0-11", 1795401616L, LeaseState.BOUND)), c.leases4());
        assertEquals(4, c.leases6().size());
        Lease6 first = c.leases6().get(0);
        assertEquals(new Lease6(IpAddresses.parseIpv6("fd00:77:1::14"), 128, Lease6.IaType.NA,
                Duid.parse("00:01:00:01:32:95:13:16:fa:16:3e:00:00:14"), 1, "host-fd00-77-1--14", 1795315532L,
                LeaseState.BOUND), first);
        assertEquals(2109527665L, c.leases6().get(2).iaid());

        // Written again, the file is byte for byte what dnsmasq wrote.
        assertEquals(new String(resource("net1-dnsmasq.leases"), java.nio.charset.StandardCharsets.US_ASCII),
                DnsmasqLeaseFile.format(c.serverDuid(), c.leases4(), c.leases6()));
    }

    @Test
    void readsNeutronsSeedFile() throws IOException {
        DnsmasqLeaseFile.Contents c = DnsmasqLeaseFile.parse(resource("net1-neutron-seed.leases"));
        assertEquals(List.of(), c.problems());
        assertEquals(SERVER_DUID, c.serverDuid());
        assertEquals(List.of(
                new Lease4(ip("10.77.0.11"), 0xfa163e000011L, null, null, 1795401700L, LeaseState.BOUND),
                new Lease4(ip("10.77.0.12"), 0xfa163e000012L, null, null, 1795401700L, LeaseState.BOUND),
                new Lease4(ip("10.77.0.13"), 0xfa163e000013L, null, null, 1795401700L, LeaseState.BOUND)), c.leases4());
        assertEquals(1, c.leases6().size());
        assertEquals(1040187411L, c.leases6().get(0).iaid());
    }

    @Test
    void readsTheSharedSeedShapeWithRealisticExpiries() throws IOException {
        // server-config/net1/leases.initial, with its EXPIRY placeholders filled in.
        String text = "# Neutron writes this before starting dnsmasq: \"<now+lease-seconds> <mac> <ip> * *\" per v4 port\n"
                + "1795401700 fa:16:3e:00:00:11 10.77.0.11 * *\n"
                + "1795401700 fa:16:3e:00:00:12 10.77.0.12 * *\n"
                + "1795401700 fa:16:3e:00:00:13 10.77.0.13 * *\n";
        DnsmasqLeaseFile.Contents c = DnsmasqLeaseFile.parse(text);
        assertEquals(List.of(), c.problems());
        assertEquals(3, c.leases4().size());
        assertNull(c.serverDuid());
    }

    @Test
    void badLinesAreReportedAndSkippedNeverThrown() {
        String text = String.join("\n",
                "duid 00:01:00:01:27:da:58:97:fa:16:3e:6c:ad:c1",                              // 1 kept
                "1000500 00:00:80:aa:bb:cc 192.168.0.2 * *",                                      // 2 ok
                "1000500 06-00:00:80:aa:bb:cc 192.168.0.3 * *",                                   // 3 token ring
                "1000500 00:00:80:aa:bb 192.168.0.4 * *",                                         // 4 5-byte MAC
                "soon 00:00:80:aa:bb:cc 192.168.0.5 * *",                                         // 5 expiry
                "1000500 00:00:80:aa:bb:cc 192.168.0.6 *",                                        // 6 4 fields
                "1000500 00:00:80:aa:bb:cc 192.168.0.7 bad_ * zz",                                // 7 6 fields
                "1000500 00:00:80:aa:bb:cc 192.168.0.8 * 01:zz",                                  // 8 client id
                "1000500 00:00:80:aa:bb:cc 192.168.0.9 -bad- *",                                  // 9 hostname dropped
                "1000500 755752236 fdca:3ba5:a17a:4ba3::2 host-fdca *",                           // 10 no DUID
                "1000500 x755752236 fdca:3ba5:a17a:4ba3::3 * 00:01:00:01:28:50:e8:31",            // 11 IAID
                "1000500 4294967296 fdca:3ba5:a17a:4ba3::4 * 00:01:00:01:28:50:e8:31",            // 12 IAID range
                "1000500 T7 fdca:3ba5:a17a:4ba3::5 * 00:01:00:01:28:50:e8:31",                    // 13 ok, IA_TA
                "duid 00:01:00:01:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa",                                 // 14 second duid
                "1000500 00-  192.168.0.10 * 01:02:03",                                           // 15 ok, no MAC
                "1000500 00:00:80:aa:bb:cc not-an-address * *",                                   // 16 address
                "1000500 1 fdca::zz * 00:01:00:01:28:50:e8:31",                                   // 17 v6 address
                "duid 00:01",                                                                     // 18 short DUID
                "0 01-00:00:80:aa:bb:cd 192.168.0.11 * *\r",                                      // 19 ok, CRLF
                "");
        DnsmasqLeaseFile.Contents c = DnsmasqLeaseFile.parse(text);
        List<Integer> lines = c.problems().stream().map(DnsmasqLeaseFile.Problem::line).collect(Collectors.toList());
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 18), lines, c.problems().toString());
        assertEquals("line 3: hardware type 6 of '06-00:00:80:aa:bb:cc' (expected: 1, Ethernet); lease skipped",
                c.problems().get(0).toString());
        assertEquals("line 10: IPv6 lease of fdca:3ba5:a17a:4ba3::2 has no client DUID, so no client to bind it to; skipped",
                c.problems().get(7).toString());
        assertEquals("line 14: another duid line; the one of line 1 is kept", c.problems().get(10).toString());

        assertEquals(Duid.parse("00:01:00:01:27:da:58:97:fa:16:3e:6c:ad:c1"), c.serverDuid());
        assertEquals(List.of("192.168.0.2", "192.168.0.9", "192.168.0.10", "192.168.0.11"),
                c.leases4().stream().map(l -> IpAddresses.ipv4Text(l.address())).collect(Collectors.toList()));
        assertNull(c.leases4().get(1).hostname());
        assertEquals(Lease4.NO_MAC, c.leases4().get(2).mac());
        assertEquals(Octets.parseHex("01:02:03"), c.leases4().get(2).clientId());
        assertEquals(0x000080aabbcdL, c.leases4().get(3).mac());
        assertEquals(Lease4.NEVER, c.leases4().get(3).expiresAt());
        assertEquals(1, c.leases6().size());
        assertEquals(Lease6.IaType.TA, c.leases6().get(0).type());
        assertEquals(7, c.leases6().get(0).iaid());
    }

    @Test
    void legalHostnames() {
        for (String ok : new String[] {"a", "host-10-77-0-11", "vm_1", "a.b.c", "A9", "9a", "x".repeat(63),
            ("x".repeat(63) + ".").repeat(3) + "x".repeat(63)}) {
            assertTrue(DnsmasqLeaseFile.isLegalHostname(ok), ok);
        }
        for (String bad : new String[] {null, "", "*", "-a", "_a", "a b", "a\tb", "a\nb", "a\0", "a,b", "a..b", ".a",
            "a.", "x".repeat(64), ("x".repeat(63) + ".").repeat(4) + "x", "ü", "a.-b", "a*"}) {
            assertFalse(DnsmasqLeaseFile.isLegalHostname(bad), String.valueOf(bad));
        }
    }

    @Test
    void formatsWhatDnsmasqWritesOnly() {
        Duid client = Duid.parse("00:03:00:01:fa:16:3e:00:00:12");
        List<Lease4> v4 = List.of(
                new Lease4(ip("10.0.0.1"), 0xfa163e000001L, null, "vm1", 100, LeaseState.BOUND),
                new Lease4(ip("10.0.0.2"), 0xfa163e000002L, null, null, 100, LeaseState.OFFERED),
                new Lease4(ip("10.0.0.3"), 0xfa163e000003L, null, null, 100, LeaseState.DECLINED),
                new Lease4(ip("10.0.0.4"), Lease4.NO_MAC, Octets.EMPTY, "bad name", 0, LeaseState.BOUND));
        List<Lease6> v6 = List.of(
                new Lease6(IpAddresses.parseIpv6("fd00::1"), 128, Lease6.IaType.TA, client, 9, null, 200, LeaseState.BOUND),
                new Lease6(IpAddresses.parseIpv6("2001:db8::"), 48, Lease6.IaType.PD, client, 9, null, 200, LeaseState.BOUND));
        assertEquals("100 fa:16:3e:00:00:01 10.0.0.1 vm1 *\n"
                + "0 00- 10.0.0.4 * *\n"
                + "duid 00:01:00:01:32:95:12:82:fa:16:3e:00:00:02\n"
                + "200 T9 fd00::1 * 00:03:00:01:fa:16:3e:00:00:12\n", DnsmasqLeaseFile.format(SERVER_DUID, v4, v6));
        assertTrue(DnsmasqLeaseFile.roundTrips(v4.get(0)));
        assertFalse(DnsmasqLeaseFile.roundTrips(v4.get(1)));
        assertFalse(DnsmasqLeaseFile.roundTrips(v4.get(3)));
        assertTrue(DnsmasqLeaseFile.roundTrips(v6.get(0)));
        assertFalse(DnsmasqLeaseFile.roundTrips(v6.get(1)));
    }

    static LongStream seeds() {
        return Seeds.of(40);
    }

    /** Random leases, hostile host names and client ids included: what is written reads back. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everythingWrittenReadsBack(long seed) {
        Random r = new Random(seed);
        List<Lease4> v4 = new ArrayList<>();
        List<Lease6> v6 = new ArrayList<>();
        for (int i = 0, n = r.nextInt(60); i < n; i++) {
            v4.add(RandomLeases.lease4(r));
        }
        for (int i = 0, n = r.nextInt(60); i < n; i++) {
            v6.add(RandomLeases.lease6(r));
        }
        Duid server = r.nextInt(5) == 0 ? null : RandomLeases.duid(r);
        String text = DnsmasqLeaseFile.format(server, v4, v6);

        DnsmasqLeaseFile.Contents c = DnsmasqLeaseFile.parse(text);
        assertEquals(List.of(), c.problems(), "seed=" + seed);
        assertEquals(server, c.serverDuid(), "seed=" + seed);
        List<Lease4> expected4 = v4.stream().filter(DnsmasqLeaseFile::writes).map(l -> new Lease4(l.address(), l.mac(),
                l.clientId() == null || l.clientId().isEmpty() ? null : l.clientId(),
                DnsmasqLeaseFile.isLegalHostname(l.hostname()) ? l.hostname() : null, l.expiresAt(), l.state()))
                .collect(Collectors.toList());
        List<Lease6> expected6 = v6.stream().filter(DnsmasqLeaseFile::writes).map(l -> new Lease6(l.address(),
                l.prefixLength(), l.type(), l.duid(), l.iaid(),
                DnsmasqLeaseFile.isLegalHostname(l.hostname()) ? l.hostname() : null, l.expiresAt(), l.state()))
                .collect(Collectors.toList());
        assertEquals(expected4, c.leases4(), "seed=" + seed);
        assertEquals(expected6, c.leases6(), "seed=" + seed);
        for (Lease4 l : v4) {
            assertEquals(DnsmasqLeaseFile.roundTrips(l), expected4.contains(l), "seed=" + seed + " " + l);
        }
        // One line per lease and one for the DUID: no field ever broke a line.
        long lines = text.chars().filter(ch -> ch == '\n').count();
        assertEquals(expected4.size() + expected6.size() + (server != null ? 1 : 0), lines, "seed=" + seed);
        assertTrue(text.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f || ch == '\n'), "seed=" + seed + ": ASCII only");
    }
}
