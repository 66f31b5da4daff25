package io.leasehold.v6;

import io.leasehold.frame.InternetChecksum;
import io.leasehold.frame.Ipv6UdpFrame;
import io.leasehold.testing.Captures;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UDP-over-IPv6 checksum of the frame codec (RFC 8200 §8.1 pseudo-header: source, destination,
 * upper-layer length, next header) against the DHCPv6 frames of the shared captures.
 *
 * <p>The captures were taken on the client's veth, where a datagram a process sent through a UDP
 * socket still carries CHECKSUM_PARTIAL: its checksum field holds only the folded pseudo-header sum,
 * for the "hardware" to finish. dhcpcd and udhcpc6 build some of their frames themselves, so those
 * carry complete checksums. Every frame is one or the other, and rebuilding any frame's headers
 * gives the complete checksum.
 */
class Ipv6UdpChecksumTest {

    static List<Captures.Frame> frames() {
        // DHCPv6 only: the RS/RA frames are ICMPv6.
        List<Captures.Frame> out = Captures.frames(f -> f.contains("-v6-")).stream()
                .filter(f -> f.bytes()[20] == InternetChecksum.PROTOCOL_UDP)
                .toList();
        assertEquals(54, out.size());
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void everyChecksumIsCompleteOrAnOffloadedPseudoHeaderSum(Captures.Frame f) {
        ByteBuf buf = Unpooled.wrappedBuffer(f.bytes());
        Ipv6UdpFrame frame = Ipv6UdpFrame.wrap(buf);
        int udp = frame.payloadIndex() - 8;
        int field = buf.getUnsignedShort(udp + 6);
        long pseudo = InternetChecksum.ipv6PseudoHeader(buf, frame.srcAddressIndex(), frame.dstAddressIndex(),
                frame.payloadLength() + 8);
        boolean partial = field == InternetChecksum.fold(pseudo);
        assertTrue(frame.udpChecksumValid() || partial, f + ": checksum 0x" + Integer.toHexString(field));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void rebuildingTheHeadersGivesAVerifyingFrame(Captures.Frame f) {
        ByteBuf original = Unpooled.wrappedBuffer(f.bytes());
        Ipv6UdpFrame frame = Ipv6UdpFrame.wrap(original);
        ByteBuf rebuilt = Unpooled.buffer(f.bytes().length);
        rebuilt.writeZero(Ipv6UdpFrame.HEADERS_LENGTH).writeBytes(frame.payload());
        byte[] src = ByteBufUtil.getBytes(original, frame.srcAddressIndex(), 16);
        byte[] dst = ByteBufUtil.getBytes(original, frame.dstAddressIndex(), 16);
        long dstMac = (long) original.getUnsignedShort(0) << 32 | original.getUnsignedInt(2);
        long srcMac = (long) original.getUnsignedShort(6) << 32 | original.getUnsignedInt(8);
        Ipv6UdpFrame.writeHeaders(rebuilt, 0, dstMac, srcMac, src, dst, frame.srcPort(), frame.dstPort(),
                frame.payloadLength(), frame.hopLimit());
        Ipv6UdpFrame again = Ipv6UdpFrame.wrap(rebuilt);
        assertTrue(again.udpChecksumValid(), f.toString());
        assertEquals(frame.srcPort(), again.srcPort());
        assertEquals(frame.dstPort(), again.dstPort());
        if (frame.udpChecksumValid()) {
            // A complete checksum is the one we compute: the rebuilt frame is the captured one, but
            // for the flow label, the sender's choice, which the checksum does not cover.
            byte[] want = f.bytes().clone();
            byte[] got = ByteBufUtil.getBytes(rebuilt);
            System.arraycopy(got, 14, want, 14, 4);
            assertArrayEquals(want, got, f.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void aFlippedBitIsDetected(Captures.Frame f) {
        ByteBuf buf = Unpooled.buffer().writeBytes(f.bytes());
        Ipv6UdpFrame frame = Ipv6UdpFrame.wrap(buf);
        if (!frame.udpChecksumValid()) {
            // Complete the offloaded checksum first, as the NIC would have.
            int udp = frame.payloadIndex() - 8;
            int udpLength = frame.payloadLength() + 8;
            buf.setShort(udp + 6, 0);
            long pseudo = InternetChecksum.ipv6PseudoHeader(buf, frame.srcAddressIndex(), frame.dstAddressIndex(), udpLength);
            buf.setShort(udp + 6, InternetChecksum.udp(pseudo, buf, udp, udpLength));
            assertTrue(Ipv6UdpFrame.wrap(buf).udpChecksumValid(), f.toString());
        }
        Random r = new Random(f.toString().hashCode());
        // Any single bit of the addresses, the UDP header or the DHCPv6 payload.
        for (int i = 0; i < 64; i++) {
            int from = frame.srcAddressIndex();
            int at = from + r.nextInt(buf.writerIndex() - from);
            int bit = 1 << r.nextInt(8);
            buf.setByte(at, buf.getByte(at) ^ bit);
            boolean lengthHit = at == frame.payloadIndex() - 4 || at == frame.payloadIndex() - 3;
            if (!lengthHit) {
                assertFalse(Ipv6UdpFrame.wrap(buf).udpChecksumValid(), f + ": bit " + bit + " of byte " + at);
            }
            buf.setByte(at, buf.getByte(at) ^ bit);
        }
        assertTrue(Ipv6UdpFrame.wrap(buf).udpChecksumValid());
    }

    @Test
    void aZeroChecksumNeverVerifiesOverIpv6() {
        // RFC 8200 §8.1: unlike IPv4, a zero UDP checksum is not "no checksum" but invalid.
        byte[] frame = Captures.frames(f -> f.equals("dhcpcd-v6-acquire.pcap")).get(2).bytes().clone();
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        Ipv6UdpFrame view = Ipv6UdpFrame.wrap(buf);
        assertTrue(view.udpChecksumValid());
        buf.setShort(view.payloadIndex() - 2, 0);
        assertFalse(Ipv6UdpFrame.wrap(buf).udpChecksumValid());
    }

    @Test
    void aFrameThatIsNotUdpOverIpv6IsRefused() {
        byte[] ra = Captures.frames(f -> f.equals("dhcpcd-v6-acquire.pcap")).get(1).bytes();
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Ipv6UdpFrame.wrap(Unpooled.wrappedBuffer(ra)));
        assertEquals(MalformedPacketException.Reason.NOT_DHCP, e.reason());
    }

    @Test
    void writtenFramesCarryTheDhcpPayloadAndVerify() {
        byte[] payload = Dhcp6Fixtures.solicit(Dhcp6Fixtures.hex("00030001fa163e000012"));
        ByteBuf frame = Unpooled.buffer().writeZero(Ipv6UdpFrame.HEADERS_LENGTH).writeBytes(payload);
        byte[] src = IpAddresses.parseIpv6("fe80::f816:3eff:fe00:12").getAddress();
        byte[] dst = IpAddresses.parseIpv6("ff02::1:2").getAddress();
        Ipv6UdpFrame.writeHeaders(frame, 0, 0x333300010002L, 0xfa163e000012L, src, dst, 546, 547, payload.length, 1);
        Ipv6UdpFrame view = Ipv6UdpFrame.wrap(frame);
        assertTrue(view.udpChecksumValid());
        assertEquals(Dhcp6MessageType.SOLICIT.code(), Dhcp6Message.wrap(view.payload()).messageType());
    }
}
