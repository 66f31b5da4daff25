package io.leasehold.model;

import io.leasehold.wire.IpAddresses;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network prefix, {@code 10.0.0.0/24} or {@code fd00:10::/64}: a subnet's CIDR.
 * The address is always the network address (host bits zero).
 */
public final class IpPrefix {

    private final byte[] network;
    private final int length;

    private IpPrefix(byte[] network, int length) {
        this.network = network;
        this.length = length;
    }

    /**
     * The prefix of {@code address}/{@code length}.
     *
     * @throws IllegalArgumentException when the length is out of range or host bits are set
     */
    public static IpPrefix of(InetAddress address, int length) {
        byte[] b = address.getAddress();
        if (length < 0 || length > b.length * 8) {
            throw new IllegalArgumentException("prefix length: " + length + " (expected: 0.." + b.length * 8 + ")");
        }
        byte[] masked = mask(b, length);
        if (!Arrays.equals(masked, b)) {
            throw new IllegalArgumentException("prefix: " + IpAddresses.text(address) + "/" + length
                    + " has host bits set (expected: " + IpAddresses.text(toAddress(masked)) + "/" + length + ")");
        }
        return new IpPrefix(masked, length);
    }

    /** Parses {@code address/length}. */
    public static IpPrefix parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("prefix: '" + text + "' (expected: address/length)");
        }
        int len;
        try {
            len = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prefix: '" + text + "' (expected: a numeric length after /)");
        }
        return of(IpAddresses.parse(t.substring(0, slash)), len);
    }

    private static byte[] mask(byte[] b, int length) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, length - 8 * i));
            out[i] &= (byte) (bits == 0 ? 0 : 0xff << (8 - bits));
        }
        return out;
    }

    private static InetAddress toAddress(byte[] b) {
        return b.length == 4 ? IpAddresses.ipv4(b) : IpAddresses.ipv6(b);
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    /** The network address. */
    public InetAddress address() {
        return toAddress(network);
    }

    /** The prefix length. */
    public int length() {
        return length;
    }

    /** The IPv4 network address as an int; IPv4 prefixes only. */
    public int ipv4Network() {
        if (!isIpv4()) {
            throw new IllegalStateException(this + " is not an IPv4 prefix");
        }
        return IpAddresses.toInt((Inet4Address) address());
    }

    /** The IPv4 netmask as an int; IPv4 prefixes only. */
    public int ipv4Mask() {
        return IpAddresses.prefixMask(length);
    }

    /** The IPv4 directed broadcast address as an int; IPv4 prefixes only. */
    public int ipv4Broadcast() {
        return ipv4Network() | ~ipv4Mask();
    }

    /** True when the IPv4 address (network order) is inside this prefix. */
    public boolean contains(int ipv4) {
        return isIpv4() && (ipv4 & ipv4Mask()) == ipv4Network();
    }

    /** True when {@code address} is inside this prefix (and of the same family). */
    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == network.length && Arrays.equals(mask(b, length), network);
    }

    /** The number of addresses, capped at {@code Long.MAX_VALUE} for large IPv6 prefixes. */
    public long addressCount() {
        int hostBits = network.length * 8 - length;
        return hostBits >= 63 ? Long.MAX_VALUE : 1L << hostBits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix && ((IpPrefix) o).length == length && Arrays.equals(((IpPrefix) o).network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + length;
    }

    @Override
    public String toString() {
        InetAddress a = address();
        return (a instanceof Inet6Address ? IpAddresses.text(a) : a.getHostAddress()) + "/" + length;
    }
}
