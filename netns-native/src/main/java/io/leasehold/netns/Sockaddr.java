package io.leasehold.netns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Hand-written layouts of the socket address structures this module passes to the kernel, as
 * byte arrays.
 *
 * <p>Ports, {@code sll_protocol} and IPv4/IPv6 addresses are in network byte order; every other
 * integer ({@code sa_family}, {@code sll_ifindex}, {@code nl_pid}, {@code nl_groups},
 * {@code sin6_scope_id}) is in host byte order, which is little-endian on both targets but is taken
 * from {@link ByteOrder#nativeOrder()} rather than assumed.
 */
final class Sockaddr {

    /*
     * struct sockaddr_in (linux/in.h), 16 bytes:
     *   0  u16 sin_family       host order, AF_INET
     *   2  u16 sin_port         network order
     *   4  u8[4] sin_addr       network order
     *   8  u8[8] sin_zero
     */
    static final int IN_SIZE = 16;
    static final int IN_PORT_OFFSET = 2;
    static final int IN_ADDR_OFFSET = 4;

    /*
     * struct sockaddr_in6 (linux/in6.h), 28 bytes:
     *   0  u16 sin6_family      host order, AF_INET6
     *   2  u16 sin6_port        network order
     *   4  u32 sin6_flowinfo    network order
     *   8  u8[16] sin6_addr
     *  24  u32 sin6_scope_id    host order (an ifindex for link-local addresses)
     */
    static final int IN6_SIZE = 28;
    static final int IN6_PORT_OFFSET = 2;
    static final int IN6_FLOWINFO_OFFSET = 4;
    static final int IN6_ADDR_OFFSET = 8;
    static final int IN6_SCOPE_ID_OFFSET = 24;

    /*
     * struct sockaddr_ll (linux/if_packet.h), 20 bytes:
     *   0  u16 sll_family       host order, AF_PACKET
     *   2  u16 sll_protocol     network order (an ETH_P_* value)
     *   4  i32 sll_ifindex      host order
     *   8  u16 sll_hatype       host order (ARPHRD_*)
     *  10  u8  sll_pkttype
     *  11  u8  sll_halen        bytes used in sll_addr
     *  12  u8[8] sll_addr
     * getsockname(2) returns offsetof(sll_addr) + sll_halen bytes, so 18 for Ethernet.
     */
    static final int LL_SIZE = 20;
    static final int LL_PROTOCOL_OFFSET = 2;
    static final int LL_IFINDEX_OFFSET = 4;
    static final int LL_HATYPE_OFFSET = 8;
    static final int LL_PKTTYPE_OFFSET = 10;
    static final int LL_HALEN_OFFSET = 11;
    static final int LL_ADDR_OFFSET = 12;
    static final int LL_ADDR_CAPACITY = 8;

    /*
     * struct sockaddr_nl (linux/netlink.h), 12 bytes:
     *   0  u16 nl_family        host order, AF_NETLINK
     *   2  u16 nl_pad
     *   4  u32 nl_pid           host order; 0 addresses the kernel
     *   8  u32 nl_groups        host order; multicast group bit mask (RTMGRP_*)
     */
    static final int NL_SIZE = 12;
    static final int NL_PID_OFFSET = 4;
    static final int NL_GROUPS_OFFSET = 8;

    /*
     * struct ipv6_mreq (linux/in6.h), 20 bytes:
     *   0  u8[16] ipv6mr_multiaddr
     *  16  i32 ipv6mr_interface host order (ifindex)
     */
    static final int IPV6_MREQ_SIZE = 20;
    static final int IPV6_MREQ_INTERFACE_OFFSET = 16;

    /*
     * struct pollfd (poll.h), 8 bytes:
     *   0  i32 fd
     *   4  i16 events
     *   6  i16 revents
     */
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS_OFFSET = 4;
    static final int POLLFD_REVENTS_OFFSET = 6;

    private Sockaddr() {
    }

    /** A {@code sockaddr_in} or {@code sockaddr_in6} for {@code address}, chosen by its family. */
    static byte[] inet(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("address: " + address + " (expected: resolved)");
        }
        if (ip instanceof Inet4Address) {
            ByteBuffer b = host(IN_SIZE);
            b.putShort(0, (short) LibC.AF_INET);
            putPort(b, IN_PORT_OFFSET, address.getPort());
            b.put(IN_ADDR_OFFSET, ip.getAddress());
            return b.array();
        }
        ByteBuffer b = host(IN6_SIZE);
        b.putShort(0, (short) LibC.AF_INET6);
        putPort(b, IN6_PORT_OFFSET, address.getPort());
        b.put(IN6_ADDR_OFFSET, ip.getAddress());
        b.putInt(IN6_SCOPE_ID_OFFSET, ((Inet6Address) ip).getScopeId());
        return b.array();
    }

    /**
     * Reads a {@code sockaddr_in} or {@code sockaddr_in6} of {@code length} bytes back into an
     * address, or throws {@link IllegalArgumentException} for another family or a short length.
     */
    static InetSocketAddress readInet(byte[] sockaddr, int length) {
        ByteBuffer b = ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder());
        int family = length >= 2 ? b.getShort(0) & 0xffff : -1;
        try {
            if (family == LibC.AF_INET && length >= IN_SIZE) {
                byte[] ip = new byte[4];
                b.get(IN_ADDR_OFFSET, ip);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port(b, IN_PORT_OFFSET));
            }
            if (family == LibC.AF_INET6 && length >= IN6_SIZE) {
                byte[] ip = new byte[16];
                b.get(IN6_ADDR_OFFSET, ip);
                int scope = b.getInt(IN6_SCOPE_ID_OFFSET);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port(b, IN6_PORT_OFFSET));
            }
        } catch (UnknownHostException e) {
            // Unreachable: the arrays have exactly the lengths getByAddress accepts.
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("sockaddr: family " + family + ", " + length
                + " bytes (expected: AF_INET with 16 or AF_INET6 with 28)");
    }

    /** A {@code sockaddr_ll} for {@code bind(2)}: only family, protocol and ifindex matter there. */
    static byte[] packet(int protocol, int ifindex) {
        ByteBuffer b = host(LL_SIZE);
        b.putShort(0, (short) LibC.AF_PACKET);
        putPort(b, LL_PROTOCOL_OFFSET, protocol);
        b.putInt(LL_IFINDEX_OFFSET, ifindex);
        return b.array();
    }

    /** The {@code sll_addr} bytes of a {@code sockaddr_ll} returned by {@code getsockname(2)}. */
    static byte[] readPacketHardwareAddress(byte[] sockaddr, int length) {
        ByteBuffer b = ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder());
        int family = length >= 2 ? b.getShort(0) & 0xffff : -1;
        if (family != LibC.AF_PACKET || length < LL_ADDR_OFFSET) {
            throw new IllegalArgumentException("sockaddr: family " + family + ", " + length
                    + " bytes (expected: AF_PACKET with at least 12)");
        }
        // The kernel may report fewer bytes than sll_halen claims; trust the smaller of the two.
        int halen = Math.min(b.get(LL_HALEN_OFFSET) & 0xff,
                Math.min(LL_ADDR_CAPACITY, length - LL_ADDR_OFFSET));
        byte[] address = new byte[halen];
        b.get(LL_ADDR_OFFSET, address);
        return address;
    }

    /** The {@code sll_ifindex} of a {@code sockaddr_ll}. */
    static int readPacketIfindex(byte[] sockaddr) {
        return ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder()).getInt(LL_IFINDEX_OFFSET);
    }

    /** A {@code sockaddr_nl}: {@code pid} 0 addresses the kernel, or lets bind(2) pick one. */
    static byte[] netlink(int pid, int groups) {
        ByteBuffer b = host(NL_SIZE);
        b.putShort(0, (short) LibC.AF_NETLINK);
        b.putInt(NL_PID_OFFSET, pid);
        b.putInt(NL_GROUPS_OFFSET, groups);
        return b.array();
    }

    /** A {@code struct ipv6_mreq} joining {@code group} on interface {@code ifindex}. */
    static byte[] ipv6Mreq(Inet6Address group, int ifindex) {
        ByteBuffer b = host(IPV6_MREQ_SIZE);
        b.put(0, group.getAddress());
        b.putInt(IPV6_MREQ_INTERFACE_OFFSET, ifindex);
        return b.array();
    }

    /** One {@code struct pollfd} waiting for {@code events} on {@code fd}. */
    static byte[] pollfd(int fd, short events) {
        ByteBuffer b = host(POLLFD_SIZE);
        b.putInt(0, fd);
        b.putShort(POLLFD_EVENTS_OFFSET, events);
        return b.array();
    }

    /** The {@code revents} a {@code poll(2)} call wrote into a {@link #pollfd} array. */
    static int pollRevents(byte[] pollfd) {
        return ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).getShort(POLLFD_REVENTS_OFFSET) & 0xffff;
    }

    private static ByteBuffer host(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    // Network order regardless of the buffer's order: a port is two bytes, high byte first.
    private static void putPort(ByteBuffer b, int offset, int value) {
        b.put(offset, (byte) (value >>> 8));
        b.put(offset + 1, (byte) value);
    }

    private static int port(ByteBuffer b, int offset) {
        return (b.get(offset) & 0xff) << 8 | b.get(offset + 1) & 0xff;
    }
}
