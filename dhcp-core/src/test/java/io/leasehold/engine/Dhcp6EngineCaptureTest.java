package io.leasehold.engine;

import io.leasehold.frame.Ipv6UdpFrame;
import io.leasehold.lease.LeaseChange;
import io.leasehold.testing.Captures;
import io.leasehold.testing.Pcap;
import io.leasehold.v6.Dhcp6Message;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays what dhclient -6, udhcpc6, dhcpcd and dhcp6c sent to dnsmasq through the engine, in the
 * capture run's order, and checks every answer against dnsmasq's: message type, option codes in
 * order, and option bytes.
 *
 * <p>Deliberate differences, not compared: the T1/T2 of renewals (dnsmasq subtracts a random fuzz)
 * and answers to a client whose IAID changed (udhcpc6's retransmitted Solicits), which dnsmasq
 * refuses as "address in use" only once a lease exists under the old IAID.
 */
class Dhcp6EngineCaptureTest {

    private static final int IA_NA = Dhcp6Options.IA_NA.code();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc6", "dhcpcd", "dhcp6c"})
    void answersEveryCapturedMessageAsDnsmasqDid(String client) {
        Dhcp6Harness h = Dhcp6Harness.neutron();
        int compared = 0;
        for (String scenario : List.of("acquire", "renew", "reboot", "release")) {
            compared += replay(h, client + "-v6-" + scenario + ".pcap", scenario.equals("renew"));
        }
        assertTrue(compared >= 4, "compared " + compared + " replies");
        assertEquals(0, h.leases.size6(), "released: " + h.leases);
        assertEquals(LeaseChange.Kind.DELETE6, h.journal.get(h.journal.size() - 1).kind());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc6", "dhcpcd", "dhcp6c"})
    void answersStatelessClientsAsDnsmasqDid(String client) {
        Dhcp6Harness h = Dhcp6Harness.stateless();
        assertEquals(1, replay(h, client + "-v6-stateless.pcap", false));
        assertTrue(h.journal.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udhcpc6-v6-unknown-mac.pcap"})
    void advertisesNoAddrsAvailToAnUnknownMac(String file) {
        Dhcp6Harness h = Dhcp6Harness.neutron();
        assertEquals(5, replay(h, file, false));
        assertEquals(0, h.leases.size());
    }

    private static int replay(Dhcp6Harness h, String file, boolean renewal) {
        if (!Captures.FILES.contains(file)) {
            return 0;
        }
        List<Pcap.Packet> packets = Captures.packets(file);
        long start = packets.get(0).timestampMicros();
        long base = h.now;
        int compared = 0;
        for (int i = 0; i < packets.size(); i++) {
            Ipv6UdpFrame frame = udp(packets.get(i));
            if (frame == null || frame.dstPort() != 547) {
                continue;
            }
            h.now = base + (packets.get(i).timestampMicros() - start) / 1_000_000;
            byte[] src = new byte[16];
            frame.payload();   // bounds checked by the view
            Unpooled.wrappedBuffer(packets.get(i).frame()).getBytes(frame.srcAddressIndex(), src);
            Dhcp6Harness.Exchange ours = h.handle(ByteBufUtil.getBytes(frame.payload()), IpAddresses.eui64Mac(src));
            Dhcp6Message theirs = replyTo(packets, i);
            String where = file + "#" + i;
            if (theirs == null) {
                assertFalse(ours.decision().replies(), where + ": dnsmasq did not answer; we " + ours.decision());
                continue;
            }
            assertTrue(ours.decision().replies(), where + ": dnsmasq answered; we " + ours.decision());
            compare(theirs, ours.reply(), renewal, where);
            compared++;
        }
        h.now += 10;
        return compared;
    }

    private static Ipv6UdpFrame udp(Pcap.Packet p) {
        try {
            return Ipv6UdpFrame.wrap(Unpooled.wrappedBuffer(p.frame()));
        } catch (io.leasehold.wire.MalformedPacketException notUdp) {
            return null;   // router solicitations and advertisements
        }
    }

    private static Dhcp6Message replyTo(List<Pcap.Packet> packets, int request) {
        for (int j = request + 1; j < packets.size(); j++) {
            Ipv6UdpFrame next = udp(packets.get(j));
            if (next == null) {
                continue;
            }
            return next.srcPort() == 547 ? Dhcp6Message.wrap(next.payload()) : null;
        }
        return null;
    }

    private static void compare(Dhcp6Message theirs, Dhcp6Message ours, boolean renewal, String where) {
        assertEquals(theirs.messageType(), ours.messageType(), where + " type");
        assertEquals(theirs.xid(), ours.xid(), where + " xid");
        assertEquals(codes(theirs), codes(ours), where + " option codes in order");
        for (int k = 0; k < theirs.optionCount(); k++) {
            int code = theirs.optionCode(k);
            Octets a = Octets.copyOf(theirs.optionValueAt(k));
            Octets b = Octets.copyOf(ours.optionValueAt(k));
            if (renewal && code == IA_NA) {
                // IAID and nested options must match; T1/T2 (octets 4..11) are fuzzed by dnsmasq.
                assertEquals(a.slice(0, 4), b.slice(0, 4), where + " IA_NA IAID");
                assertEquals(a.slice(12, a.length()), b.slice(12, b.length()), where + " IA_NA addresses");
                continue;
            }
            assertEquals(a, b, where + " option " + Dhcp6Options.TABLE.byCode(code).label());
        }
    }

    private static List<Integer> codes(Dhcp6Message m) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < m.optionCount(); i++) {
            out.add(m.optionCode(i));
        }
        return out;
    }

}
