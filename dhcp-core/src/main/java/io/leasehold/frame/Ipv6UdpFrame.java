package io.leasehold.frame;

import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.netty.buffer.ByteBuf;

/**
 * A view of an Ethernet frame carrying UDP over IPv6 with no extension headers, and the writer of
 * such frames. DHCPv6 normally travels through a UDP socket and the kernel builds these headers;
 * this codec exists for captures, tests and tools, and for the checksum the RFC 8200 §8.1
 * pseudo-header defines.
 *
 * <pre>
 * Ethernet (14)  | dst MAC (6) | src MAC (6) | ethertype 0x86dd (2) |
 * IPv6 (40)      | ver/class/flow (4) | payload length (2) | next header 17 | hop limit |
 *                | source address (16) | destination address (16) |
 * UDP (8)        | source port | destination port | length | checksum |
 * </pre>
 */
public final class Ipv6UdpFrame {

    public static final int IPV6_HEADER_LENGTH = 40;
    public static final int HEADERS_LENGTH = Ipv4UdpFrame.ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH
            + Ipv4UdpFrame.UDP_HEADER_LENGTH;

    private ByteBuf buf;
    private int ipIndex;
    private int udpIndex;
    private int udpLength;

    /** A new view of the readable bytes of {@code frame}. */
    public static Ipv6UdpFrame wrap(ByteBuf frame) {
        return new Ipv6UdpFrame().reset(frame);
    }

    /**
     * Points this view at the readable bytes of {@code frame}.
     *
     * @throws MalformedPacketException for a frame that is not UDP directly over IPv6, or whose
     *         lengths do not add up
     */
    public Ipv6UdpFrame reset(ByteBuf frame) {
        buf = null;
        int b = frame.readerIndex();
        int n = frame.readableBytes();
        if (n < HEADERS_LENGTH) {
            throw new MalformedPacketException(Reason.TOO_SHORT, "frame: " + n + " bytes (expected: at least " + HEADERS_LENGTH + ")");
        }
        int ethertype = frame.getUnsignedShort(b + Ipv4UdpFrame.ETHERTYPE_OFFSET);
        if (ethertype != Ipv4UdpFrame.ETHERTYPE_IPV6) {
            throw new MalformedPacketException(Reason.NOT_DHCP, "ethertype: 0x" + Integer.toHexString(ethertype)
                    + " (expected: 0x86dd)");
        }
        int ip = b + Ipv4UdpFrame.ETHERNET_HEADER_LENGTH;
        if ((frame.getUnsignedByte(ip) >>> 4) != 6) {
            throw new MalformedPacketException(Reason.BAD_HEADER, "IP version: " + (frame.getUnsignedByte(ip) >>> 4)
                    + " (expected: 6)");
        }
        int nextHeader = frame.getUnsignedByte(ip + 6);
        if (nextHeader != InternetChecksum.PROTOCOL_UDP) {
            throw new MalformedPacketException(Reason.NOT_DHCP, "IPv6 next header: " + nextHeader + " (expected: 17, UDP)");
        }
        int payloadLength = frame.getUnsignedShort(ip + 4);
        if (payloadLength < Ipv4UdpFrame.UDP_HEADER_LENGTH
                || Ipv4UdpFrame.ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + payloadLength > n) {
            throw new MalformedPacketException(Reason.BAD_HEADER, "IPv6 payload length: " + payloadLength);
        }
        int udp = ip + IPV6_HEADER_LENGTH;
        int ulen = frame.getUnsignedShort(udp + 4);
        if (ulen < Ipv4UdpFrame.UDP_HEADER_LENGTH || ulen > payloadLength) {
            throw new MalformedPacketException(Reason.BAD_HEADER, "UDP length: " + ulen + " (expected: 8.." + payloadLength + ")");
        }
        this.buf = frame;
        this.ipIndex = ip;
        this.udpIndex = udp;
        this.udpLength = ulen;
        return this;
    }

    /** Absolute index of the 16-byte source address. */
    public int srcAddressIndex() {
        return ipIndex + 8;
    }

    /** Absolute index of the 16-byte destination address. */
    public int dstAddressIndex() {
        return ipIndex + 24;
    }

    public int hopLimit() {
        return buf.getUnsignedByte(ipIndex + 7);
    }

    public int srcPort() {
        return buf.getUnsignedShort(udpIndex);
    }

    public int dstPort() {
        return buf.getUnsignedShort(udpIndex + 2);
    }

    public int payloadIndex() {
        return udpIndex + Ipv4UdpFrame.UDP_HEADER_LENGTH;
    }

    public int payloadLength() {
        return udpLength - Ipv4UdpFrame.UDP_HEADER_LENGTH;
    }

    /** A slice of the UDP payload, sharing the frame's memory. */
    public ByteBuf payload() {
        return buf.slice(payloadIndex(), payloadLength());
    }

    /** True when the UDP checksum verifies; over IPv6 it is mandatory, so zero never verifies. */
    public boolean udpChecksumValid() {
        if (buf.getUnsignedShort(udpIndex + 6) == 0) {
            return false;
        }
        long pseudo = InternetChecksum.ipv6PseudoHeader(buf, srcAddressIndex(), dstAddressIndex(), udpLength);
        return InternetChecksum.verifies(InternetChecksum.add(pseudo, buf, udpIndex, udpLength));
    }

    /**
     * Fills in Ethernet, IPv6 and UDP headers of a frame whose payload is already at
     * {@code frameIndex + HEADERS_LENGTH}, with the UDP checksum computed.
     *
     * @param src the 16-byte source address
     * @param dst the 16-byte destination address
     */
    public static void writeHeaders(ByteBuf frame, int frameIndex, long dstMac, long srcMac, byte[] src, byte[] dst,
                                    int srcPort, int dstPort, int payloadLength, int hopLimit) {
        if (src.length != 16 || dst.length != 16) {
            throw new IllegalArgumentException("address length: " + src.length + "/" + dst.length + " (expected: 16)");
        }
        int udpLength = Ipv4UdpFrame.UDP_HEADER_LENGTH + payloadLength;
        if (udpLength > 0xffff) {
            throw new IllegalArgumentException("payload length: " + payloadLength + " (expected: at most 65527)");
        }
        frame.setShort(frameIndex, (int) (dstMac >>> 32));
        frame.setInt(frameIndex + 2, (int) dstMac);
        frame.setShort(frameIndex + 6, (int) (srcMac >>> 32));
        frame.setInt(frameIndex + 8, (int) srcMac);
        frame.setShort(frameIndex + Ipv4UdpFrame.ETHERTYPE_OFFSET, Ipv4UdpFrame.ETHERTYPE_IPV6);
        int ip = frameIndex + Ipv4UdpFrame.ETHERNET_HEADER_LENGTH;
        frame.setInt(ip, 6 << 28);
        frame.setShort(ip + 4, udpLength);
        frame.setByte(ip + 6, InternetChecksum.PROTOCOL_UDP);
        frame.setByte(ip + 7, hopLimit);
        frame.setBytes(ip + 8, src);
        frame.setBytes(ip + 24, dst);
        int udp = ip + IPV6_HEADER_LENGTH;
        frame.setShort(udp, srcPort);
        frame.setShort(udp + 2, dstPort);
        frame.setShort(udp + 4, udpLength);
        frame.setShort(udp + 6, 0);
        long pseudo = InternetChecksum.ipv6PseudoHeader(frame, ip + 8, ip + 24, udpLength);
        frame.setShort(udp + 6, InternetChecksum.udp(pseudo, frame, udp, udpLength));
    }
}
