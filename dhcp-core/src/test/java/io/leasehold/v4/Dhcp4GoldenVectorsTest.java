package io.leasehold.v4;

import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.option.ClientId;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every DHCPv4 packet of the shared client captures (dhclient, udhcpc, dhcpcd against dnsmasq as
 * Neutron runs it) decodes to what {@code summary.md} says it holds, and re-encodes to its bytes.
 */
class Dhcp4GoldenVectorsTest {

    private static final CaptureSummary SUMMARY = CaptureSummary.load();

    record Golden(CaptureSummary.Entry entry, byte[] frame) {
        @Override
        public String toString() {
            return entry.toString();
        }
    }

    static List<Golden> packets() {
        List<Golden> out = new ArrayList<>();
        for (String file : Captures.v4Files()) {
            List<Pcap.Packet> packets = Captures.packets(file);
            List<CaptureSummary.Entry> entries = SUMMARY.entries(file);
            assertEquals(entries.size(), packets.size(), file + ": summary and capture disagree on the packet count");
            for (int i = 0; i < packets.size(); i++) {
                out.add(new Golden(entries.get(i), packets.get(i).frame()));
            }
        }
        assertEquals(27, out.size(), "the 13 DHCPv4 captures hold 27 packets");
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void decodesAsTheSummarySays(Golden g) {
        CaptureSummary.Entry e = g.entry;
        Ipv4UdpFrame frame = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(g.frame));
        assertEquals(e.src(), IpAddresses.ipv4Text(frame.srcIp()) + ":" + frame.srcPort());
        assertEquals(e.dst(), IpAddresses.ipv4Text(frame.dstIp()) + ":" + frame.dstPort());

        Dhcp4Message m = Dhcp4Message.wrap(frame.payload());
        assertEquals(e.type(), Dhcp4MessageType.label(m.messageType()));
        assertEquals(e.xid().longValue(), m.xid() & 0xffffffffL);
        assertEquals(e.type().equals("DISCOVER") || e.type().equals("REQUEST") || e.type().equals("RELEASE")
                ? Dhcp4Message.OP_BOOTREQUEST : Dhcp4Message.OP_BOOTREPLY, m.op());
        assertEquals(1, m.htype());
        assertEquals(6, m.hlen());

        List<Integer> codes = IntStream.range(0, m.optionCount()).map(m::optionCode).boxed().collect(Collectors.toList());
        assertEquals(e.ints("options"), codes, "option codes in wire order");

        if (e.fact("yiaddr") != null) {
            assertEquals(e.fact("yiaddr"), IpAddresses.ipv4Text(m.yiaddr()));
        }
        if (e.fact("ciaddr") != null) {
            assertEquals(e.fact("ciaddr"), IpAddresses.ipv4Text(m.ciaddr()));
        } else if (m.op() == Dhcp4Message.OP_BOOTREQUEST) {
            assertEquals(0, m.ciaddr(), "ciaddr");
        }
        if (e.fact("hostname") != null) {
            assertEquals(unquote(e.fact("hostname")), m.option(Dhcp4Options.HOST_NAME));
        }
        if (e.fact("vendor-class") != null) {
            assertEquals(unquote(e.fact("vendor-class")), m.option(Dhcp4Options.VENDOR_CLASS_IDENTIFIER));
        }
        if (e.fact("PRL") != null) {
            assertEquals(e.ints("PRL"), m.option(Dhcp4Options.PARAMETER_REQUEST_LIST));
            for (int code : e.ints("PRL")) {
                assertTrue(m.requests(code), "requests " + code);
            }
            assertFalse(m.requests(250));
        }
        if (e.fact("server-id") != null) {
            assertEquals(e.fact("server-id"), m.option(Dhcp4Options.SERVER_IDENTIFIER).getHostAddress());
            assertEquals(e.fact("server-id"), IpAddresses.ipv4Text(m.ipv4Option(54)));
        }
        if (e.fact("requested-ip") != null) {
            assertEquals(e.fact("requested-ip"), m.option(Dhcp4Options.REQUESTED_ADDRESS).getHostAddress());
        }
        if (e.fact("max-msg-size") != null) {
            assertEquals(Integer.parseInt(e.fact("max-msg-size")), m.option(Dhcp4Options.MAX_MESSAGE_SIZE));
            assertEquals(Integer.parseInt(e.fact("max-msg-size")), m.u16Option(57, -1));
        }
        if (e.fact("rapid-commit") != null) {
            assertEquals(Boolean.TRUE, m.option(Dhcp4Options.RAPID_COMMIT));
        }
        if (e.fact("client-id") != null) {
            // "type 255 len 19 (ff:3e:...)"
            String fact = e.fact("client-id");
            String hex = fact.substring(fact.indexOf('(') + 1, fact.indexOf(')'));
            ClientId id = m.option(Dhcp4Options.CLIENT_IDENTIFIER);
            assertEquals(Octets.parseHex(hex), id.bytes());
            assertTrue(fact.startsWith("type " + id.type() + " len " + id.bytes().length()), fact);
            if (id.type() == ClientId.TYPE_RFC4361) {
                assertEquals(0x3e000013L, id.iaid(), "dhcpcd's IAID is the MAC's last four bytes");
                assertEquals("fa:16:3e:00:00:13", id.duid().linkLayerAddress().toHex());
            }
        }
        long mac = m.macAddress();
        assertEquals(m.chaddr().toHex(), String.format("%012x", mac).replaceAll("(..)(?!$)", "$1:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void reencodesToTheSameBytes(Golden g) {
        ByteBuf payload = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(g.frame)).payload();
        Dhcp4Message m = Dhcp4Message.wrap(payload);

        Dhcp4MessageWriter w = new Dhcp4MessageWriter().minimumLength(0);
        w.op(m.op()).htype(m.htype()).hlen(m.hlen()).hops(m.hops()).xid(m.xid()).secs(m.secs()).flags(m.flags())
                .ciaddr(m.ciaddr()).yiaddr(m.yiaddr()).siaddr(m.siaddr()).giaddr(m.giaddr())
                .chaddr(m.chaddrField()).snameField(m.snameField()).fileField(m.fileField());
        for (int i = 0; i < m.optionCount(); i++) {
            w.option(m.optionCode(i), m.buffer(), m.optionValueIndex(i), m.optionLength(i));
        }
        ByteBuf out = Unpooled.buffer();
        w.write(out, Math.max(payload.readableBytes(), Dhcp4MessageWriter.BOOTP_MIN_LENGTH));
        assertEquals(0, w.droppedCount());

        byte[] original = ByteBufUtil.getBytes(payload);
        byte[] encoded = ByteBufUtil.getBytes(out);
        assertEquals(ByteBufUtil.hexDump(trimPadding(original)), ByteBufUtil.hexDump(trimPadding(encoded)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void frameChecksumsVerifyAndDetectAFlippedBit(Golden g) {
        Ipv4UdpFrame frame = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(g.frame));
        assertTrue(frame.ipChecksumValid(), "IPv4 header checksum");
        Ipv4UdpFrame.ChecksumState state = frame.udpChecksumState();
        // Captured on the client's veth: what a client sent through its UDP socket is still
        // CHECKSUM_PARTIAL there; raw-socket clients (dhcpcd) may send none at all.
        assertNotEquals(Ipv4UdpFrame.ChecksumState.INVALID, state);
        if (state == Ipv4UdpFrame.ChecksumState.VALID) {
            byte[] damaged = g.frame.clone();
            damaged[damaged.length - 1 - (damaged.length - 42) / 2] ^= 0x10;
            assertNotEquals(Ipv4UdpFrame.ChecksumState.VALID,
                    Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(damaged)).udpChecksumState());
        }
    }

    /** The bytes up to the END option and the zeros after it, which are padding. */
    private static byte[] trimPadding(byte[] bytes) {
        int n = bytes.length;
        while (n > Dhcp4Message.OPTIONS_OFFSET && bytes[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(bytes, n);
    }

    private static String unquote(String s) {
        return s.substring(1, s.length() - 1);
    }
}
