package io.leasehold.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address conversions that never touch DNS: literal parsing, and reading and writing addresses
 * as network-order bytes or as a 32-bit {@code int} (the hot path keeps IPv4 addresses as ints).
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * Parses a dotted-quad IPv4 literal.
     *
     * @throws IllegalArgumentException naming the text when it is not an IPv4 literal
     */
    public static Inet4Address parseIpv4(String text) {
        String s = text.trim();
        if (!NetUtil.isValidIpV4Address(s)) {
            throw new IllegalArgumentException("IPv4 address: '" + text + "' (expected: a.b.c.d)");
        }
        return ipv4(NetUtil.createByteArrayFromIpAddressString(s));
    }

    /**
     * Parses an IPv6 literal, with or without the brackets dnsmasq files put around it.
     *
     * @throws IllegalArgumentException naming the text when it is not an IPv6 literal
     */
    public static Inet6Address parseIpv6(String text) {
        String s = text.trim();
        if (s.length() >= 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (!NetUtil.isValidIpV6Address(s) || s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("IPv6 address: '" + text + "' (expected: an IPv6 literal like fd00::1)");
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s);
        if (bytes == null || bytes.length != 16) {
            throw new IllegalArgumentException("IPv6 address: '" + text + "' (expected: an IPv6 literal like fd00::1)");
        }
        return ipv6(bytes);
    }

    /** Parses an IPv4 or IPv6 literal (IPv6 possibly bracketed). */
    public static InetAddress parse(String text) {
        String s = text.trim();
        if (NetUtil.isValidIpV4Address(s)) {
            return parseIpv4(s);
        }
        return parseIpv6(s);
    }

    /** The IPv4 address of four network-order bytes. */
    public static Inet4Address ipv4(byte[] bytes) {
        if (bytes.length != 4) {
            throw new IllegalArgumentException("IPv4 address length: " + bytes.length + " (expected: 4)");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    /** The IPv4 address whose network-order value is {@code value}. */
    public static Inet4Address ipv4(int value) {
        return ipv4(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    /**
     * The IPv6 address of sixteen network-order bytes. An IPv4-mapped address stays an IPv6 address
     * here ({@link InetAddress#getByAddress} would turn it into an IPv4 one).
     */
    public static Inet6Address ipv6(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("IPv6 address length: " + bytes.length + " (expected: 16)");
        }
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    /** The network-order value of an IPv4 address. */
    public static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** Reads four bytes as an IPv4 address, advancing the reader index. */
    public static Inet4Address readIpv4(ByteBuf buf) {
        return ipv4(buf.readInt());
    }

    /** Reads sixteen bytes as an IPv6 address, advancing the reader index. */
    public static Inet6Address readIpv6(ByteBuf buf) {
        byte[] b = new byte[16];
        buf.readBytes(b);
        return ipv6(b);
    }

    /** Dotted-quad text of a network-order IPv4 value, without creating an address object. */
    public static String ipv4Text(int value) {
        return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }

    /** Text of an address: dotted quad, or the RFC 5952 compressed IPv6 form. */
    public static String text(InetAddress address) {
        if (address instanceof Inet6Address) {
            return NetUtil.toAddressString(address);
        }
        return address.getHostAddress();
    }

    /**
     * The Ethernet address embedded in a modified EUI-64 link-local IPv6 address (RFC 4291 §2.5.1,
     * appendix A: fe80::/64 with {@code ff:fe} in the middle of the interface identifier and the
     * universal/local bit inverted), as the low 48 bits of a long; -1 for any other address. Linux
     * forms its link-local addresses this way unless configured for stable-privacy ones, so it
     * tells a DHCPv6 server the client's MAC without a neighbour lookup.
     */
    public static long eui64Mac(byte[] ipv6) {
        if (ipv6.length != 16 || (ipv6[0] & 0xff) != 0xfe || (ipv6[1] & 0xc0) != 0x80
                || ipv6[2] != 0 || ipv6[3] != 0 || ipv6[4] != 0 || ipv6[5] != 0 || ipv6[6] != 0 || ipv6[7] != 0
                || (ipv6[11] & 0xff) != 0xff || (ipv6[12] & 0xff) != 0xfe) {
            return -1;
        }
        return ((long) ((ipv6[8] ^ 0x02) & 0xff) << 40) | ((long) (ipv6[9] & 0xff) << 32) | ((long) (ipv6[10] & 0xff) << 24)
                | ((long) (ipv6[13] & 0xff) << 16) | ((long) (ipv6[14] & 0xff) << 8) | (ipv6[15] & 0xff);
    }

    /** The netmask value of a prefix length 0..32. */
    public static int prefixMask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 0..32)");
        }
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The prefix length of a contiguous netmask, or -1 when the mask is not contiguous. */
    public static int maskPrefixLength(int mask) {
        int ones = Integer.bitCount(mask);
        return prefixMask(ones) == mask ? ones : -1;
    }
}
