package io.leasehold.frame;

import io.leasehold.testing.Seeds;
import io.leasehold.wire.MalformedPacketException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Ethernet/IPv4/UDP frame codec: generated frames verify, damage is detected, lies are refused. */
class Ipv4UdpFrameTest {

    static LongStream seeds() {
        return Seeds.of(20);
    }

    static ByteBuf frame(Random r, int payloadLength) {
        ByteBuf f = Unpooled.buffer(Ipv4UdpFrame.HEADERS_LENGTH + payloadLength);
        f.writeZero(Ipv4UdpFrame.HEADERS_LENGTH);
        byte[] payload = new byte[payloadLength];
        r.nextBytes(payload);
        f.writeBytes(payload);
        Ipv4UdpFrame.writeHeaders(f, 0, r.nextLong() & 0xffff_ffff_ffffL, r.nextLong() & 0xffff_ffff_ffffL,
                r.nextInt(), r.nextInt(), 67, 68, payloadLength, r.nextInt(65536));
        return f;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void generatedFramesVerifyAndEveryFlippedBitIsDetected(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 30; i++) {
            ByteBuf f = frame(r, r.nextInt(600));
            Ipv4UdpFrame v = Ipv4UdpFrame.wrap(f);
            assertTrue(v.ipChecksumValid(), "seed=" + seed);
            assertEquals(Ipv4UdpFrame.ChecksumState.VALID, v.udpChecksumState(), "seed=" + seed);
            assertEquals(67, v.srcPort());
            assertEquals(68, v.dstPort());

            byte[] bytes = ByteBufUtil.getBytes(f);
            // Flip one bit anywhere in the IP header, the UDP header or the payload.
            int bit = Ipv4UdpFrame.ETHERNET_HEADER_LENGTH * 8 + r.nextInt((bytes.length - Ipv4UdpFrame.ETHERNET_HEADER_LENGTH) * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(damageDetected(bytes), "seed=" + seed + " bit " + bit + " not detected");
        }
    }

    private static boolean damageDetected(byte[] bytes) {
        try {
            Ipv4UdpFrame v = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(bytes));
            return !v.ipChecksumValid() || v.udpChecksumState() != Ipv4UdpFrame.ChecksumState.VALID;
        } catch (MalformedPacketException e) {
            return true;   // the flip broke a length or the protocol: refused outright
        }
    }

    @Test
    void aPartialChecksumIsToldApartFromDamage() {
        ByteBuf f = frame(new Random(7), 300);
        Ipv4UdpFrame v = Ipv4UdpFrame.wrap(f);
        int udp = Ipv4UdpFrame.ETHERNET_HEADER_LENGTH + Ipv4UdpFrame.IPV4_HEADER_LENGTH;
        // What a veth delivers under checksum offload: only the pseudo-header sum.
        long pseudo = InternetChecksum.ipv4PseudoHeader(v.srcIp(), v.dstIp(), 308);
        f.setShort(udp + 6, InternetChecksum.fold(pseudo));
        assertEquals(Ipv4UdpFrame.ChecksumState.PARTIAL, v.udpChecksumState());
        f.setShort(udp + 6, 0);
        assertEquals(Ipv4UdpFrame.ChecksumState.ABSENT, v.udpChecksumState());
        f.setShort(udp + 6, 0x1234);
        assertEquals(Ipv4UdpFrame.ChecksumState.INVALID, v.udpChecksumState());
    }

    @Test
    void framesThatAreNotUnfragmentedUdpOverIpv4AreRefusedByName() {
        ByteBuf f = frame(new Random(1), 300);
        byte[] b = ByteBufUtil.getBytes(f);

        byte[] arp = b.clone();
        arp[12] = 0x08; arp[13] = 0x06;
        assertEquals(MalformedPacketException.Reason.NOT_DHCP, reason(arp));

        byte[] tcp = b.clone();
        tcp[14 + 9] = 6;
        assertEquals(MalformedPacketException.Reason.NOT_DHCP, reason(tcp));

        byte[] fragment = b.clone();
        fragment[14 + 6] = 0x20;   // more fragments
        assertEquals(MalformedPacketException.Reason.NOT_DHCP, reason(fragment));

        byte[] lyingTotal = b.clone();
        lyingTotal[14 + 2] = (byte) 0xff;
        assertEquals(MalformedPacketException.Reason.BAD_HEADER, reason(lyingTotal));

        byte[] lyingUdp = b.clone();
        lyingUdp[14 + 20 + 4] = (byte) 0xff;
        assertEquals(MalformedPacketException.Reason.BAD_HEADER, reason(lyingUdp));

        byte[] badIhl = b.clone();
        badIhl[14] = 0x44;
        assertEquals(MalformedPacketException.Reason.BAD_HEADER, reason(badIhl));

        assertEquals(MalformedPacketException.Reason.TOO_SHORT, reason(new byte[33]));
    }

    @Test
    void headersWithOptionsAreSkipped() {
        // An IPv4 header with 4 bytes of options (ihl 6): the payload still lands where it belongs.
        ByteBuf f = frame(new Random(3), 10);
        byte[] b = ByteBufUtil.getBytes(f);
        byte[] withOptions = new byte[b.length + 4];
        System.arraycopy(b, 0, withOptions, 0, 34);
        System.arraycopy(b, 34, withOptions, 38, b.length - 34);
        withOptions[14] = 0x46;
        int total = ((b[16] & 0xff) << 8 | (b[17] & 0xff)) + 4;
        withOptions[16] = (byte) (total >> 8);
        withOptions[17] = (byte) total;
        Ipv4UdpFrame v = Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(withOptions));
        assertEquals(24, v.ipHeaderLength());
        assertEquals(10, v.payloadLength());
        assertEquals(b[42], withOptions[v.payloadIndex()]);
        assertFalse(v.ipChecksumValid(), "the header changed, so its checksum no longer holds");
        assertNotEquals(0, v.ttl());
    }

    private static MalformedPacketException.Reason reason(byte[] frame) {
        return assertThrows(MalformedPacketException.class, () -> Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(frame))).reason();
    }
}
