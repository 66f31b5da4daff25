package io.leasehold.engine;

import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.frame.Ipv6UdpFrame;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.option.Duid;
import io.leasehold.testing.Captures;
import io.leasehold.testing.Pcap;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.v6.Dhcp6Message;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the shared captures (what real clients sent to dnsmasq configured by Neutron) through the
 * engines against a given snapshot and checks every answer against dnsmasq's: message type,
 * addresses, option codes in order and option bytes. Public so that other modules can check that
 * the snapshot their configuration loaders build serves the captured clients exactly as dnsmasq did.
 *
 * <p>Deliberate differences, not compared: the T1/T2 of renewals (dnsmasq subtracts a random fuzz;
 * Leasehold sends the configured times).
 */
public final class CaptureReplay {

    private static final int T1 = Dhcp4Options.RENEWAL_TIME.code();
    private static final int T2 = Dhcp4Options.REBINDING_TIME.code();
    private static final int IA_NA = Dhcp6Options.IA_NA.code();

    private CaptureReplay() {
    }

    /**
     * Replays {@code client}'s DHCPv4 captures (acquire, renew, reboot, release) in order against
     * {@code network} on {@code iface}, asserting each answer; returns the number of replies compared.
     * The release leaves no lease behind.
     */
    public static int replay4(NetworkSnapshot network, ServerInterface iface, String client) {
        Dhcp4Harness h = new Dhcp4Harness(network, new LeaseTable(network.id(), network.settings().leaseMax()), iface);
        int compared = 0;
        for (String scenario : List.of("acquire", "renew", "reboot", "release")) {
            String file = client + "-v4-" + scenario + ".pcap";
            if (!Captures.FILES.contains(file)) {
                continue;
            }
            List<Pcap.Packet> packets = Captures.packets(file);
            long start = packets.get(0).timestampMicros();
            long base = h.now;
            for (int i = 0; i < packets.size(); i++) {
                Ipv4UdpFrame frame = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(packets.get(i).frame()));
                if (frame.dstPort() != 67) {
                    continue;
                }
                h.now = base + (packets.get(i).timestampMicros() - start) / 1_000_000;
                boolean unicast = frame.dstIp() != Ipv4UdpFrame.BROADCAST_IPV4;
                Dhcp4Harness.Exchange ours = h.handle(ByteBufUtil.getBytes(frame.payload()), unicast);
                Dhcp4Message theirs = reply4To(packets, i);
                String where = file + "#" + i;
                if (theirs == null) {
                    assertFalse(ours.replied(), where + ": dnsmasq did not answer, " + ours.decision());
                    continue;
                }
                assertTrue(ours.replied(), where + ": dnsmasq answered, we decided " + ours.decision());
                compare4(theirs, ours.reply(), scenario.equals("renew"), where);
                compared++;
            }
            h.now += 30;
        }
        assertEquals(0, h.leases.size4(), h.leases.toString());
        if (!h.journal.isEmpty()) {
            assertEquals(LeaseChange.Kind.DELETE4, h.journal.get(h.journal.size() - 1).kind());
        }
        return compared;
    }

    /**
     * Replays DHCPv6 capture files (in the order given) against {@code network}; returns the number
     * of replies compared. {@code renewal} files are those whose IA_NA T1/T2 dnsmasq fuzzed.
     */
    public static int replay6(NetworkSnapshot network, ServerInterface iface, Duid serverDuid, List<String> files) {
        Dhcp6Harness h = new Dhcp6Harness(network, new LeaseTable(network.id(), network.settings().leaseMax()), iface,
                serverDuid);
        int compared = 0;
        for (String file : files) {
            compared += replay6(h, file, file.contains("-renew"));
        }
        return compared;
    }

    static int replay6(Dhcp6Harness h, String file, boolean renewal) {
        if (!Captures.FILES.contains(file)) {
            return 0;
        }
        List<Pcap.Packet> packets = Captures.packets(file);
        long start = packets.get(0).timestampMicros();
        long base = h.now;
        int compared = 0;
        for (int i = 0; i < packets.size(); i++) {
            Ipv6UdpFrame frame = udp6(packets.get(i));
            if (frame == null || frame.dstPort() != 547) {
                continue;
            }
            h.now = base + (packets.get(i).timestampMicros() - start) / 1_000_000;
            byte[] src = new byte[16];
            Unpooled.wrappedBuffer(packets.get(i).frame()).getBytes(frame.srcAddressIndex(), src);
            Dhcp6Harness.Exchange ours = h.handle(ByteBufUtil.getBytes(frame.payload()), IpAddresses.eui64Mac(src));
            Dhcp6Message theirs = reply6To(packets, i);
            String where = file + "#" + i;
            if (theirs == null) {
                assertFalse(ours.decision().replies(), where + ": dnsmasq did not answer; we " + ours.decision());
                continue;
            }
            assertTrue(ours.decision().replies(), where + ": dnsmasq answered; we " + ours.decision());
            compare6(theirs, ours.reply(), renewal, where);
            compared++;
        }
        h.now += 10;
        return compared;
    }

    private static Dhcp4Message reply4To(List<Pcap.Packet> packets, int request) {
        if (request + 1 >= packets.size()) {
            return null;
        }
        Ipv4UdpFrame next = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(packets.get(request + 1).frame()));
        return next.srcPort() == 67 ? Dhcp4Message.wrap(next.payload()) : null;
    }

    private static void compare4(Dhcp4Message theirs, Dhcp4Message ours, boolean renewal, String where) {
        assertEquals(theirs.messageType(), ours.messageType(), where + " type");
        assertEquals(IpAddresses.ipv4Text(theirs.yiaddr()), IpAddresses.ipv4Text(ours.yiaddr()), where + " yiaddr");
        assertEquals(IpAddresses.ipv4Text(theirs.siaddr()), IpAddresses.ipv4Text(ours.siaddr()), where + " siaddr");
        assertEquals(IpAddresses.ipv4Text(theirs.ciaddr()), IpAddresses.ipv4Text(ours.ciaddr()), where + " ciaddr");
        assertEquals(theirs.flags(), ours.flags(), where + " flags");
        assertEquals(theirs.xid(), ours.xid(), where + " xid");
        assertEquals(theirs.chaddr(), ours.chaddr(), where + " chaddr");
        assertEquals(codes4(theirs), codes4(ours), where + " option codes in order");
        for (int code : codes4(theirs)) {
            if (renewal && (code == T1 || code == T2)) {
                continue;
            }
            assertEquals(Octets.copyOf(theirs.optionValue(code)), Octets.copyOf(ours.optionValue(code)),
                    where + " option " + Dhcp4Options.TABLE.byCode(code).label());
        }
    }

    private static List<Integer> codes4(Dhcp4Message m) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < m.optionCount(); i++) {
            out.add(m.optionCode(i));
        }
        return out;
    }

    private static Ipv6UdpFrame udp6(Pcap.Packet p) {
        try {
            return Ipv6UdpFrame.wrap(Unpooled.wrappedBuffer(p.frame()));
        } catch (io.leasehold.wire.MalformedPacketException notUdp) {
            return null;   // router solicitations and advertisements
        }
    }

    private static Dhcp6Message reply6To(List<Pcap.Packet> packets, int request) {
        for (int j = request + 1; j < packets.size(); j++) {
            Ipv6UdpFrame next = udp6(packets.get(j));
            if (next == null) {
                continue;
            }
            return next.srcPort() == 547 ? Dhcp6Message.wrap(next.payload()) : null;
        }
        return null;
    }

    private static void compare6(Dhcp6Message theirs, Dhcp6Message ours, boolean renewal, String where) {
        assertEquals(theirs.messageType(), ours.messageType(), where + " type");
        assertEquals(theirs.xid(), ours.xid(), where + " xid");
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < theirs.optionCount(); i++) {
            a.add(theirs.optionCode(i));
        }
        for (int i = 0; i < ours.optionCount(); i++) {
            b.add(ours.optionCode(i));
        }
        assertEquals(a, b, where + " option codes in order");
        for (int k = 0; k < theirs.optionCount(); k++) {
            int code = theirs.optionCode(k);
            Octets x = Octets.copyOf(theirs.optionValueAt(k));
            Octets y = Octets.copyOf(ours.optionValueAt(k));
            if (renewal && code == IA_NA) {
                // IAID and nested options must match; T1/T2 (octets 4..11) are fuzzed by dnsmasq.
                assertEquals(x.slice(0, 4), y.slice(0, 4), where + " IA_NA IAID");
                assertEquals(x.slice(12, x.length()), y.slice(12, y.length()), where + " IA_NA addresses");
                continue;
            }
            assertEquals(x, y, where + " option " + Dhcp6Options.TABLE.byCode(code).label());
        }
    }
}
