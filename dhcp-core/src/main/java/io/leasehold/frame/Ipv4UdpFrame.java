package io.leasehold.frame;

import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.netty.buffer.ByteBuf;

/**
 * A view of an Ethernet frame carrying UDP over IPv4, as a raw AF_PACKET socket receives it, and
 * the writer of such frames for replies sent the same way.
 *
 * <pre>
 * Ethernet (14)  | dst MAC (6) | src MAC (6) | ethertype 0x0800 (2) |
 * IPv4 (20..60)  | ver/ihl | tos | total length | id | flags/frag | ttl | proto 17 | checksum |
 *                | source address (4) | destination address (4) | options (ihl*4 - 20) |
 * UDP (8)        | source port | destination port | length | checksum |
 * payload        | the DHCP message |
 * </pre>
 *
 * <p>{@link #reset} checks every length against every other and against the frame, so the payload
 * bounds can be trusted; it does not require checksums to verify, because a frame looped back
 * through a veth pair carries a partial UDP checksum (offloaded, {@code CHECKSUM_PARTIAL}) that
 * the kernel never completed. {@link #udpChecksumState} tells the cases apart.
 */
public final class Ipv4UdpFrame {

    public static final int ETHERNET_HEADER_LENGTH = 14;
    public static final int IPV4_HEADER_LENGTH = 20;
    public static final int UDP_HEADER_LENGTH = 8;
    /** Ethernet, an IPv4 header without options, and UDP: where a reply's payload starts. */
    public static final int HEADERS_LENGTH = ETHERNET_HEADER_LENGTH + IPV4_HEADER_LENGTH + UDP_HEADER_LENGTH;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86dd;

    static final int DST_MAC_OFFSET = 0;
    static final int SRC_MAC_OFFSET = 6;
    static final int ETHERTYPE_OFFSET = 12;

    /** The broadcast Ethernet address as the low 48 bits of a long. */
    public static final long BROADCAST_MAC = 0xffff_ffff_ffffL;
    /** The limited broadcast IPv4 address 255.255.255.255. */
    public static final int BROADCAST_IPV4 = 0xffffffff;

    /** What the UDP checksum field of a received frame says. */
    public enum ChecksumState {
        /** The sender put no checksum (0), which UDP over IPv4 allows. */
        ABSENT,
        /** The checksum verifies. */
        VALID,
        /**
         * The field holds only the pseudo-header sum: the sender offloaded the checksum and the frame
         * reached us before any hardware filled it in (veth, tap). The data is as sent.
         */
        PARTIAL,
        /** The checksum does not verify: the datagram was damaged. */
        INVALID
    }

    private ByteBuf buf;
    private int base;
    private int ipIndex;
    private int udpIndex;
    private int udpLength;

    /** A view with no frame; call {@link #reset} before use. */
    public Ipv4UdpFrame() {
    }

    /** A new view of the readable bytes of {@code frame}. */
    public static Ipv4UdpFrame wrap(ByteBuf frame) {
        return new Ipv4UdpFrame().reset(frame);
    }

    /**
     * Points this view at the readable bytes of {@code frame}.
     *
     * @throws MalformedPacketException {@link Reason#NOT_DHCP} for a frame that is not an unfragmented
     *         UDP-over-IPv4 datagram; {@link Reason#TOO_SHORT} or {@link Reason#BAD_HEADER} for one whose
     *         lengths do not add up
     */
    public Ipv4UdpFrame reset(ByteBuf frame) {
        buf = null;
        int b = frame.readerIndex();
        int n = frame.readableBytes();
        if (n < ETHERNET_HEADER_LENGTH + IPV4_HEADER_LENGTH) {
            throw new MalformedPacketException(Reason.TOO_SHORT, "frame: " + n + " bytes (expected: at least 34)");
        }
        int ethertype = frame.getUnsignedShort(b + ETHERTYPE_OFFSET);
        if (ethertype != ETHERTYPE_IPV4) {
            throw new MalformedPacketException(Reason.NOT_DHCP, "ethertype: 0x" + Integer.toHexString(ethertype)
                    + " (expected: 0x0800)");
        }
        int ip = b + ETHERNET_HEADER_LENGTH;
        int versionIhl = frame.getUnsignedByte(ip);
        int ihl = (versionIhl & 0xf) * 4;
        if ((versionIhl >>> 4) != 4 || ihl < IPV4_HEADER_LENGTH) {
            throw new MalformedPacketException(Reason.BAD_HEADER, "IPv4 version/ihl: 0x" + Integer.toHexString(versionIhl)
                    + " (expected: version 4, ihl >= 5)");
        }
        int totalLength = frame.getUnsignedShort(ip + 2);
        if (totalLength < ihl + UDP_HEADER_LENGTH || ETHERNET_HEADER_LENGTH + totalLength > n) {
            throw new MalformedPacketException(Reason.BAD_HEADER, "IPv4 total length: " + totalLength
                    + " (expected: " + (ihl + UDP_HEADER_LENGTH) + ".." + (n - ETHERNET_HEADER_LENGTH) + ")");
        }
        int protocol = frame.getUnsignedByte(ip + 9);
        if (protocol != InternetChecksum.PROTOCOL_UDP) {
            throw new MalformedPacketException(Reason.NOT_DHCP, "IPv4 protocol: " + protocol + " (expected: 17, UDP)");
        }
        int fragment = frame.getUnsignedShort(ip + 6);
        // More-fragments set, or a non-zero offset: a piece of a datagram we do not reassemble.
        if ((fragment & 0x3fff) != 0) {
            throw new MalformedPacketException(Reason.NOT_DHCP, "IPv4 fragment (flags/offset 0x"
                    + Integer.toHexString(fragment) + ")");
        }
        int udp = ip + ihl;
        int ulen = frame.getUnsignedShort(udp + 4);
        if (ulen < UDP_HEADER_LENGTH || ulen > totalLength - ihl) {
            throw new MalformedPacketException(Reason.BAD_HEADER, "UDP length: " + ulen + " (expected: 8.."
                    + (totalLength - ihl) + ")");
        }
        this.buf = frame;
        this.base = b;
        this.ipIndex = ip;
        this.udpIndex = udp;
        this.udpLength = ulen;
        return this;
    }

    public ByteBuf buffer() {
        return buf;
    }

    /** Destination MAC as the low 48 bits of a long. */
    public long dstMac() {
        return mac(base + DST_MAC_OFFSET);
    }

    /** Source MAC as the low 48 bits of a long. */
    public long srcMac() {
        return mac(base + SRC_MAC_OFFSET);
    }

    private long mac(int index) {
        return (long) buf.getUnsignedShort(index) << 32 | buf.getUnsignedInt(index + 2);
    }

    /** IPv4 header length in bytes, options included. */
    public int ipHeaderLength() {
        return (buf.getUnsignedByte(ipIndex) & 0xf) * 4;
    }

    public int ttl() {
        return buf.getUnsignedByte(ipIndex + 8);
    }

    public int srcIp() {
        return buf.getInt(ipIndex + 12);
    }

    public int dstIp() {
        return buf.getInt(ipIndex + 16);
    }

    public int srcPort() {
        return buf.getUnsignedShort(udpIndex);
    }

    public int dstPort() {
        return buf.getUnsignedShort(udpIndex + 2);
    }

    /** The absolute index of the UDP payload. */
    public int payloadIndex() {
        return udpIndex + UDP_HEADER_LENGTH;
    }

    /** The UDP payload length (the UDP length field minus its header). */
    public int payloadLength() {
        return udpLength - UDP_HEADER_LENGTH;
    }

    /** A slice of the UDP payload, sharing the frame's memory. */
    public ByteBuf payload() {
        return buf.slice(payloadIndex(), payloadLength());
    }

    /** True when the IPv4 header checksum verifies. */
    public boolean ipChecksumValid() {
        return InternetChecksum.verifies(InternetChecksum.add(0, buf, ipIndex, ipHeaderLength()));
    }

    /** What the UDP checksum field says about the datagram. */
    public ChecksumState udpChecksumState() {
        int field = buf.getUnsignedShort(udpIndex + 6);
        if (field == 0) {
            return ChecksumState.ABSENT;
        }
        long pseudo = InternetChecksum.ipv4PseudoHeader(srcIp(), dstIp(), udpLength);
        if (InternetChecksum.verifies(InternetChecksum.add(pseudo, buf, udpIndex, udpLength))) {
            return ChecksumState.VALID;
        }
        // CHECKSUM_PARTIAL: the stack stores the folded pseudo-header sum, uncomplemented, and
        // leaves the rest to the device.
        if (field == InternetChecksum.fold(pseudo)) {
            return ChecksumState.PARTIAL;
        }
        return ChecksumState.INVALID;
    }

    /**
     * Fills in the Ethernet, IPv4 and UDP headers of a frame whose payload of {@code payloadLength}
     * bytes is already at {@code frameIndex + HEADERS_LENGTH}, with both checksums computed. The
     * IPv4 header has no options, TTL 64 and the don't-fragment bit clear.
     *
     * @param frame  the buffer; its writer index is not moved
     * @param ipId   the IPv4 identification field
     */
    public static void writeHeaders(ByteBuf frame, int frameIndex, long dstMac, long srcMac,
                                    int srcIp, int dstIp, int srcPort, int dstPort, int payloadLength, int ipId) {
        int udpLength = UDP_HEADER_LENGTH + payloadLength;
        int totalLength = IPV4_HEADER_LENGTH + udpLength;
        if (totalLength > 0xffff) {
            throw new IllegalArgumentException("payload length: " + payloadLength + " (expected: at most 65507)");
        }
        frame.setShort(frameIndex, (int) (dstMac >>> 32));
        frame.setInt(frameIndex + 2, (int) dstMac);
        frame.setShort(frameIndex + 6, (int) (srcMac >>> 32));
        frame.setInt(frameIndex + 8, (int) srcMac);
        frame.setShort(frameIndex + ETHERTYPE_OFFSET, ETHERTYPE_IPV4);

        int ip = frameIndex + ETHERNET_HEADER_LENGTH;
        frame.setByte(ip, 0x45);                 // version 4, ihl 5
        frame.setByte(ip + 1, 0);                // DSCP/ECN: best effort
        frame.setShort(ip + 2, totalLength);
        frame.setShort(ip + 4, ipId);
        frame.setShort(ip + 6, 0);               // no flags, offset 0
        frame.setByte(ip + 8, 64);               // TTL
        frame.setByte(ip + 9, InternetChecksum.PROTOCOL_UDP);
        frame.setShort(ip + 10, 0);
        frame.setInt(ip + 12, srcIp);
        frame.setInt(ip + 16, dstIp);
        frame.setShort(ip + 10, InternetChecksum.finish(InternetChecksum.add(0, frame, ip, IPV4_HEADER_LENGTH)));

        int udp = ip + IPV4_HEADER_LENGTH;
        frame.setShort(udp, srcPort);
        frame.setShort(udp + 2, dstPort);
        frame.setShort(udp + 4, udpLength);
        frame.setShort(udp + 6, 0);
        long pseudo = InternetChecksum.ipv4PseudoHeader(srcIp, dstIp, udpLength);
        frame.setShort(udp + 6, InternetChecksum.udp(pseudo, frame, udp, udpLength));
    }
}
