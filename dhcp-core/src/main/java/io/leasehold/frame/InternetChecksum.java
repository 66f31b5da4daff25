package io.leasehold.frame;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit
 * words. Used for the IPv4 header (RFC 791) and UDP over IPv4 (RFC 768) and IPv6 (RFC 8200 §8.1),
 * whose checksums also cover a pseudo-header of addresses, protocol and length.
 *
 * <p>Sums are carried in a {@code long} and folded once at the end, so a whole datagram is summed
 * four bytes at a time without intermediate carries.
 */
public final class InternetChecksum {

    /** IANA protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;

    private InternetChecksum() {
    }

    /**
     * Adds the bytes [index, index + length) of {@code buf} to {@code sum} as big-endian 16-bit
     * words; an odd last byte is padded with zero (RFC 1071 §4.1).
     */
    public static long add(long sum, ByteBuf buf, int index, int length) {
        int i = index;
        int end = index + length;
        while (end - i >= 4) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (end - i >= 2) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits (end-around carry), not yet complemented. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum field value for a running sum: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** The IPv4 pseudo-header sum for UDP (RFC 768): source, destination, protocol, UDP length. */
    public static long ipv4PseudoHeader(int srcIp, int dstIp, int udpLength) {
        return (srcIp & 0xffffffffL) + (dstIp & 0xffffffffL) + PROTOCOL_UDP + udpLength;
    }

    /**
     * The IPv6 pseudo-header sum for UDP (RFC 8200 §8.1): the 16-byte source and destination at
     * {@code srcIndex} and {@code dstIndex} of {@code buf}, the upper-layer length and next header.
     */
    public static long ipv6PseudoHeader(ByteBuf buf, int srcIndex, int dstIndex, int udpLength) {
        long sum = add(0, buf, srcIndex, 16);
        sum = add(sum, buf, dstIndex, 16);
        return sum + udpLength + PROTOCOL_UDP;
    }

    /**
     * The UDP checksum field value for a datagram [udpIndex, udpIndex + udpLength) whose checksum
     * field is zero, given the pseudo-header sum. A computed 0 is sent as 0xffff (RFC 768: zero
     * means "no checksum").
     */
    public static int udp(long pseudoHeaderSum, ByteBuf buf, int udpIndex, int udpLength) {
        int c = finish(add(pseudoHeaderSum, buf, udpIndex, udpLength));
        return c == 0 ? 0xffff : c;
    }

    /** True when the bytes, checksum field included, sum to 0xffff: the checksum verifies. */
    public static boolean verifies(long sum) {
        return fold(sum) == 0xffff;
    }
}
