package io.leasehold.v6;

import io.leasehold.frame.Ipv6UdpFrame;
import io.leasehold.option.Duid;
import io.leasehold.testing.CaptureSummary;
import io.leasehold.testing.Captures;
import io.leasehold.testing.Pcap;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every DHCPv6 packet of the shared client captures (dhclient -6, dhcpcd, udhcpc6 and dhcp6c
 * against dnsmasq as Neutron runs it: stateful, stateless, renew, release, reboot) decodes to what
 * {@code summary.md} says it holds, and re-encodes to its bytes: as raw options through the writer,
 * and option by option through the typed codecs.
 */
class Dhcp6GoldenVectorsTest {

    private static final CaptureSummary SUMMARY = CaptureSummary.load();

    // "IA_NA IAID 0x3e000011 T1 3600 T2 5400 [addr fd00:...]" (client) or
    // "IA_NA T1 60 T2 105 addr fd00:... pl 120 vl 120" (server).
    private static final Pattern IA_NA = Pattern.compile(
            "(?:IAID 0x(\\p{XDigit}{8}) )?T1 (\\d+) T2 (\\d+)(?: \\[addr ([0-9a-f:]+)])?"
                    + "(?: addr ([0-9a-f:]+) pl (\\d+) vl (\\d+))?");
    // "fqdn flags 0x01 name 09:76:6d:... (10 bytes)"
    private static final Pattern FQDN = Pattern.compile("flags 0x(\\p{XDigit}+) name ([0-9a-f:]+) \\((\\d+) bytes\\)");

    record Golden(CaptureSummary.Entry entry, byte[] frame) {
        @Override
        public String toString() {
            return entry.toString();
        }
    }

    static List<Golden> packets() {
        List<Golden> out = new ArrayList<>();
        for (String file : Captures.v6Files()) {
            List<Pcap.Packet> packets = Captures.packets(file);
            List<CaptureSummary.Entry> entries = SUMMARY.entries(file);
            assertEquals(entries.size(), packets.size(), file + ": summary and capture disagree on the packet count");
            for (int i = 0; i < packets.size(); i++) {
                CaptureSummary.Entry e = entries.get(i);
                // The v6 captures also hold the router solicitations and advertisements that drive
                // the clients; they are ICMPv6, not DHCPv6.
                if (!e.type().equals("RS") && !e.type().equals("RA")) {
                    out.add(new Golden(e, packets.get(i).frame()));
                }
            }
        }
        assertEquals(54, out.size(), "the 18 DHCPv6 captures hold 54 DHCPv6 packets");
        return out;
    }

    private static ByteBuf payload(Golden g) {
        return Ipv6UdpFrame.wrap(Unpooled.wrappedBuffer(g.frame)).payload();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void decodesAsTheSummarySays(Golden g) {
        CaptureSummary.Entry e = g.entry;
        Ipv6UdpFrame frame = Ipv6UdpFrame.wrap(Unpooled.wrappedBuffer(g.frame));
        assertEquals(e.src(), address(g.frame, frame.srcAddressIndex()));
        assertEquals(e.dst(), address(g.frame, frame.dstAddressIndex()));
        boolean fromClient = frame.dstPort() == 547;
        assertEquals(fromClient ? 546 : 547, frame.srcPort());

        Dhcp6RelayChain chain = Dhcp6RelayChain.wrap(frame.payload());
        assertEquals(0, chain.depth(), "the captures were taken on the client's link: nothing is relayed");
        Dhcp6Message m = chain.message();
        assertEquals(e.type().toUpperCase(Locale.ROOT), Dhcp6MessageType.label(m.messageType()));
        assertEquals(e.xid().intValue(), m.xid());

        List<Integer> codes = IntStream.range(0, m.optionCount()).map(m::optionCode).boxed().collect(Collectors.toList());
        assertEquals(e.ints("options"), codes, "option codes in wire order");
        for (int code : codes) {
            assertTrue(m.hasOption(code));
            assertTrue(Dhcp6Options.TABLE.isKnown(code), "every option the clients and dnsmasq sent has a definition: " + code);
        }

        if (fromClient) {
            checkDuid(e.fact("client-id"), m.option(Dhcp6Options.CLIENT_ID), m.clientIdIndex(), m.clientIdLength(), m);
            if (e.fact("server-id") != null) {
                checkDuid(e.fact("server-id"), m.option(Dhcp6Options.SERVER_ID), m.serverIdIndex(), m.serverIdLength(), m);
            } else {
                assertFalse(m.hasOption(Dhcp6Options.SERVER_ID.code()));
                assertEquals(-1, m.serverIdIndex());
            }
            // Every client's DUID carries its MAC, fa:16:3e:00:00:xx (see pcap/README.md).
            assertEquals(0xfa163e000000L, m.clientIdMac() & 0xffffffffff00L);
        } else {
            assertNotNull(m.option(Dhcp6Options.CLIENT_ID), "dnsmasq echoes the client id");
            assertEquals(Duid.TYPE_LLT, m.option(Dhcp6Options.SERVER_ID).type(), "dnsmasq's server DUID is an LLT");
        }

        if (e.fact("ORO") != null) {
            assertEquals(e.ints("ORO"), m.option(Dhcp6Options.ORO));
            for (int code : e.ints("ORO")) {
                assertTrue(m.requests(code), "requests " + code);
            }
            assertFalse(m.requests(7));
        } else {
            assertFalse(m.hasOption(Dhcp6Options.ORO.code()));
        }
        if (e.fact("elapsed") != null) {
            assertEquals(Integer.parseInt(e.fact("elapsed")), m.elapsedTime());
            assertEquals(Integer.parseInt(e.fact("elapsed")), m.option(Dhcp6Options.ELAPSED_TIME));
        } else {
            assertEquals(-1, m.elapsedTime());
        }
        assertEquals(e.fact("rapid-commit") != null, m.rapidCommit());
        assertEquals(e.fact("rapid-commit") != null ? Boolean.TRUE : null, m.option(Dhcp6Options.RAPID_COMMIT));

        checkIaNa(e.fact("IA_NA"), m);
        checkStatus(e.fact("status"), m);
        checkFqdn(e.fact("fqdn"), m);
        if (codes.contains(Dhcp6Options.PREFERENCE.code())) {
            assertEquals(0, m.u8Option(Dhcp6Options.PREFERENCE.code(), -1), "dnsmasq's preference");
        }
        if (codes.contains(Dhcp6Options.INFORMATION_REFRESH_TIME.code())) {
            assertEquals(600L, m.option(Dhcp6Options.INFORMATION_REFRESH_TIME), "dnsmasq's refresh time");
        }
        if (codes.contains(Dhcp6Options.DOMAIN_SEARCH.code())) {
            assertEquals(List.of("openstacklocal"), m.option(Dhcp6Options.DOMAIN_SEARCH));
        }
        if (codes.contains(Dhcp6Options.DNS_SERVERS.code())) {
            // The stateless captures ran on net2 (pcap/README.md).
            String dns = g.entry.file().contains("stateless") ? "fd00:77:2::53" : "fd00:77:1::53";
            assertEquals(List.of(IpAddresses.parseIpv6(dns)), m.option(Dhcp6Options.DNS_SERVERS));
        }
        assertTrue(m.label().startsWith(Dhcp6MessageType.label(m.messageType()) + " xid=0x"), m.label());
    }

    private static void checkDuid(String fact, Duid duid, int index, int length, Dhcp6Message m) {
        if (fact == null) {
            assertNull(duid);
            return;
        }
        // "DUID-LLT 00:01:00:01:32:95:12:ad:fa:16:3e:00:00:11"
        String[] parts = fact.split(" ");
        assertNotNull(duid, fact);
        assertEquals(parts[1], duid.toString());
        assertEquals(parts[0].equals("DUID-LLT") ? Duid.TYPE_LLT : Duid.TYPE_LL, duid.type(), fact);
        assertEquals(1, duid.hardwareType());
        assertEquals(Octets.parseHex(parts[1]), Octets.copyOf(m.buffer(), index, length));
    }

    private static void checkIaNa(String fact, Dhcp6Message m) {
        int i = m.indexOf(Dhcp6Options.IA_NA.code());
        if (fact == null) {
            assertEquals(-1, i);
            return;
        }
        Matcher x = IA_NA.matcher(fact);
        assertTrue(x.matches(), fact);
        assertEquals(1, m.count(Dhcp6Options.IA_NA.code()));
        IaNa ia = m.option(Dhcp6Options.IA_NA);
        assertNotNull(ia);
        if (x.group(1) != null) {
            assertEquals(Long.parseLong(x.group(1), 16), ia.iaid());
            assertEquals(ia.iaid(), m.iaid(i));
        }
        assertEquals(Long.parseLong(x.group(2)), ia.t1());
        assertEquals(Long.parseLong(x.group(3)), ia.t2());
        assertEquals(ia.t1(), m.t1(i));
        assertEquals(ia.t2(), m.t2(i));
        String addr = x.group(4) != null ? x.group(4) : x.group(5);
        List<IaAddress> addresses = ia.addresses();
        if (addr == null) {
            assertEquals(List.of(), addresses);
            return;
        }
        assertEquals(1, addresses.size());
        IaAddress a = addresses.get(0);
        assertEquals(IpAddresses.parseIpv6(addr), a.address());
        if (x.group(6) != null) {
            assertEquals(Long.parseLong(x.group(6)), a.preferredLifetime());
            assertEquals(Long.parseLong(x.group(7)), a.validLifetime());
        }
        // The same facts, read without allocating.
        Dhcp6OptionCursor c = m.nested(i, new Dhcp6OptionCursor());
        assertTrue(c.next(Dhcp6Options.IAADDR.code()));
        assertEquals(IaAddress.FIXED_LENGTH, c.length());
        assertEquals(Octets.of(a.address().getAddress()), Octets.copyOf(c.buffer(), c.valueIndex(), 16));
        assertEquals(a.preferredLifetime(), c.buffer().getUnsignedInt(c.valueIndex() + 16));
        assertFalse(c.next());
    }

    private static void checkStatus(String fact, Dhcp6Message m) {
        StatusCode top = m.option(Dhcp6Options.STATUS_CODE);
        if (fact == null) {
            assertNull(top);
            return;
        }
        // dnsmasq puts the status at the top level, next to the IA_NA (see summary.md's option lists).
        assertNotNull(top, fact);
        assertEquals(fact, StatusCode.name(top.code()));
        assertFalse(top.message().isEmpty(), "dnsmasq explains every status: " + top);
    }

    private static void checkFqdn(String fact, Dhcp6Message m) {
        if (fact == null) {
            return;
        }
        Matcher x = FQDN.matcher(fact);
        assertTrue(x.matches(), fact);
        Fqdn6 fqdn = m.option(Dhcp6Options.CLIENT_FQDN);
        assertNotNull(fqdn);
        assertEquals(Integer.parseInt(x.group(1), 16), fqdn.flags());
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        byte[] value = Dhcp6Options.CLIENT_FQDN.encode(fqdn);
        name.write(value, 1, value.length - 1);
        assertEquals(x.group(2), Octets.of(name.toByteArray()).toHex());
        assertEquals(Integer.parseInt(x.group(3)), name.size());
        if (fqdn.flags() == Fqdn6.FLAG_S) {
            assertEquals(new Fqdn6(Fqdn6.FLAG_S, "vm-dhcpcd", false), fqdn, "dhcpcd proposes a partial name");
        } else {
            assertEquals(new Fqdn6(0, "", true), fqdn, "udhcpc6 sends the root name alone");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void reencodesToTheSameBytes(Golden g) {
        ByteBuf payload = payload(g);
        Dhcp6RelayChain chain = Dhcp6RelayChain.wrap(payload);
        assertArrayEquals(ByteBufUtil.getBytes(payload), Dhcp6Fixtures.reencode(chain));
        Dhcp6Fixtures.assertTypedRoundTrip(chain.message(), g.toString());
        Dhcp6Message m = chain.message();
        for (int i = 0; i < m.optionCount(); i++) {
            assertNotNull(m.optionAt(i, Dhcp6Options.TABLE.byCode(m.optionCode(i))),
                    "every option the clients and dnsmasq sent decodes: " + m.optionCode(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void aServerReplyBuiltWithTheWriterIsByteForByteDnsmasqs(Golden g) {
        Dhcp6Message m = Dhcp6Message.wrap(payload(g));
        if (m.messageType() != Dhcp6MessageType.REPLY.code() && m.messageType() != Dhcp6MessageType.ADVERTISE.code()) {
            return;
        }
        // Rebuild dnsmasq's reply from typed values and the writer's container helpers.
        ByteBuf out = Unpooled.buffer();
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(out).header(m.messageType(), m.xid());
        for (int i = 0; i < m.optionCount(); i++) {
            int code = m.optionCode(i);
            if (code == Dhcp6Options.IA_NA.code()) {
                IaNa ia = m.optionAt(i, Dhcp6Options.IA_NA);
                w.openIaNa(ia.iaid(), ia.t1(), ia.t2());
                for (IaAddress a : ia.addresses()) {
                    byte[] b = a.address().getAddress();
                    w.iaAddress(Unpooled.wrappedBuffer(b).getLong(0), Unpooled.wrappedBuffer(b).getLong(8),
                            a.preferredLifetime(), a.validLifetime());
                }
                w.close();
            } else if (code == Dhcp6Options.STATUS_CODE.code()) {
                StatusCode s = m.optionAt(i, Dhcp6Options.STATUS_CODE);
                w.statusCode(s.code(), s.message());
            } else if (code == Dhcp6Options.RAPID_COMMIT.code()) {
                w.emptyOption(code);
            } else if (code == Dhcp6Options.PREFERENCE.code()) {
                w.optionU8(code, m.u8Option(code, -1));
            } else if (code == Dhcp6Options.INFORMATION_REFRESH_TIME.code()) {
                w.optionU32(code, m.option(Dhcp6Options.INFORMATION_REFRESH_TIME));
            } else {
                writeTyped(w, m, i);
            }
        }
        w.finish();
        assertEquals(ByteBufUtil.hexDump(payload(g)), ByteBufUtil.hexDump(out));
    }

    @SuppressWarnings("unchecked")
    private static <T> void writeTyped(Dhcp6MessageWriter w, Dhcp6Message m, int i) {
        io.leasehold.option.OptionDef<T> def = (io.leasehold.option.OptionDef<T>) Dhcp6Options.TABLE.byCode(m.optionCode(i));
        w.option(def, m.optionAt(i, def));
    }

    private static String address(byte[] frame, int index) {
        byte[] b = new byte[16];
        System.arraycopy(frame, index, b, 0, 16);
        return IpAddresses.text(IpAddresses.ipv6(b));
    }
}
