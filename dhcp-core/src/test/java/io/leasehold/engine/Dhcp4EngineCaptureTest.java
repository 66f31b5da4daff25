package io.leasehold.engine;

import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.lease.Lease4;
import io.leasehold.testing.Captures;
import io.leasehold.testing.Pcap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays what dhclient, udhcpc and dhcpcd sent to dnsmasq (configured by Neutron) through the
 * engine, in the order of the capture run, and checks that the engine answers as dnsmasq did:
 * same message type, same addresses, same options in the same order with the same values.
 *
 * <p>Deliberate difference: on a renewal dnsmasq subtracts a random "fuzz" of up to T1/8 from T1
 * and T2 (the captured 9 s / 75599 s); Leasehold sends the configured times (10 s / 75600 s), so
 * those two values are not compared on renewals.
 */
class Dhcp4EngineCaptureTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhclient", "udhcpc", "dhcpcd"})
    void answersEveryCapturedRequestAsDnsmasqDid(String client) {
        // The replay also checks that the release leaves no lease and is journalled last.
        int compared = CaptureReplay.replay4(NeutronNetwork.snapshot(), NeutronNetwork.iface(), client);
        assertTrue(compared >= 3, "compared " + compared + " replies");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udhcpc-v4-unknown-mac.pcap"})
    void staysSilentForAMacWithoutAReservation(String file) {
        Dhcp4Harness h = Dhcp4Harness.neutron();
        for (Pcap.Packet p : Captures.packets(file)) {
            Ipv4UdpFrame frame = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(p.frame()));
            Dhcp4Harness.Exchange e = h.handle(ByteBufUtil.getBytes(frame.payload()), false);
            assertNull(e.reply());
            assertEquals(Dhcp4Decision.Outcome.IGNORED_NO_ADDRESS, e.decision().outcome());
            assertEquals("no address available", e.decision().detail());
        }
        assertEquals(0, h.leases.size());
        assertTrue(h.journal.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhcpcd"})
    void recordsTheRfc4361ClientIdWithTheLease(String client) {
        Dhcp4Harness h = Dhcp4Harness.neutron();
        for (Pcap.Packet p : Captures.packets(client + "-v4-acquire.pcap")) {
            Ipv4UdpFrame frame = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(p.frame()));
            if (frame.dstPort() == 67) {
                h.handle(ByteBufUtil.getBytes(frame.payload()), false);
            }
        }
        Lease4 lease = h.leases.v4(NeutronNetwork.ip("10.77.0.13"));
        assertNotNull(lease);
        assertEquals(NeutronNetwork.DHCPCD, lease.mac());
        assertEquals("host-10-77-0-13", lease.hostname());
        assertEquals(0xff, lease.clientId().unsignedByte(0));
        assertEquals(h.now - 0 + 86400, lease.expiresAt(), 2);
    }
}
