package io.leasehold.netns;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Creating and configuring the sockets of a served interface, as static methods over raw fds.
 *
 * <p>Two kinds of methods, and where each may run:
 * <ul>
 *   <li><b>Inside a namespace</b>, in a {@link NamespaceOpener} task: {@link #openPacket()},
 *       {@link #openUdp4()}, {@link #openUdp6()}, {@link #ifNameToIndex(String)},
 *       {@link #ifIndexToName(int)}. They make one system or library call each and allocate no
 *       native memory, so they cannot start a thread.</li>
 *   <li><b>On the thread that owns the fd</b> (the event loop the fd is pinned to), anywhere:
 *       everything else. A socket stays in the namespace it was created in, so configuring it
 *       needs no setns.</li>
 * </ul>
 * All sockets are created non-blocking and close-on-exec, ready for epoll. Failures throw
 * {@link NativeException} naming the call; argument errors throw {@link IllegalArgumentException}.
 *
 * <p>The intended order for a receive socket is open, filter, then bind: a socket starts queueing
 * packets at bind, and anything queued before the filter is attached would bypass it.
 *
 * @see <a href="https://man7.org/linux/man-pages/man7/packet.7.html">packet(7)</a>
 * @see <a href="https://man7.org/linux/man-pages/man7/socket.7.html">socket(7)</a>
 * @see <a href="https://man7.org/linux/man-pages/man7/ip.7.html">ip(7)</a>
 * @see <a href="https://man7.org/linux/man-pages/man7/ipv6.7.html">ipv6(7)</a>
 */
public final class Sockets {

    /** {@code ETH_P_ALL}: every protocol ({@code linux/if_ether.h}). */
    public static final int ETH_P_ALL = 0x0003;
    /** {@code ETH_P_IP}: IPv4 ({@code linux/if_ether.h}). */
    public static final int ETH_P_IP = 0x0800;
    /** {@code ETH_P_ARP} ({@code linux/if_ether.h}). */
    public static final int ETH_P_ARP = 0x0806;
    /** {@code ETH_P_IPV6} ({@code linux/if_ether.h}). */
    public static final int ETH_P_IPV6 = 0x86DD;

    /*
     * struct sock_fprog (linux/filter.h), 16 bytes on LP64:
     *   0  u16 len              number of sock_filter entries
     *   2  (6 bytes of padding to align the pointer)
     *   8  struct sock_filter *filter
     */
    static final int SOCK_FPROG_SIZE = 16;
    static final int SOCK_FPROG_FILTER_OFFSET = 8;

    private Sockets() {
    }

    // ---------------------------------------------------------------- creation: inside a namespace

    /**
     * Opens an {@code AF_PACKET}/{@code SOCK_RAW} socket, non-blocking and close-on-exec, that
     * receives nothing yet: its protocol is 0 until {@link #bindPacket} names {@link #ETH_P_IP}
     * and the interface. (A socket opened with {@code htons(ETH_P_IP)} would start queueing IPv4
     * frames from every interface of the namespace at once, before its filter is attached.)
     * Safe inside a namespace. Needs CAP_NET_RAW.
     */
    public static int openPacket() {
        return socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0, "socket(AF_PACKET, SOCK_RAW|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)");
    }

    /** Opens an {@code AF_INET}/{@code SOCK_DGRAM} socket, non-blocking and close-on-exec. Safe inside a namespace. */
    public static int openUdp4() {
        return socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0, "socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)");
    }

    /** Opens an {@code AF_INET6}/{@code SOCK_DGRAM} socket, non-blocking and close-on-exec. Safe inside a namespace. */
    public static int openUdp6() {
        return socket(LibC.AF_INET6, LibC.SOCK_DGRAM, 0, "socket(AF_INET6, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)");
    }

    /** Opens an {@code AF_INET}/{@code SOCK_STREAM} socket, non-blocking and close-on-exec. Safe inside a namespace. */
    public static int openTcp4() {
        return socket(LibC.AF_INET, LibC.SOCK_STREAM, 0, "socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)");
    }

    /** Opens an {@code AF_INET6}/{@code SOCK_STREAM} socket, non-blocking and close-on-exec. Safe inside a namespace. */
    public static int openTcp6() {
        return socket(LibC.AF_INET6, LibC.SOCK_STREAM, 0, "socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)");
    }

    /** {@code socket(2)} with {@code SOCK_NONBLOCK | SOCK_CLOEXEC} added to {@code type}. */
    static int socket(int domain, int type, int protocol, String call) {
        try {
            return LibC.INSTANCE.socket(domain, type | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw NativeException.of(call, e);
        }
    }

    /**
     * The index of interface {@code name} in the CALLING THREAD's namespace
     * ({@code if_nametoindex(3)}). It MUST run inside the namespace, as a {@link NamespaceOpener}
     * task: interface facts come from the namespace itself, never from
     * {@code java.net.NetworkInterface} or {@code /sys}, which show the namespace the JVM started in.
     *
     * @throws NativeException with {@link NativeException#ENODEV} if there is no such interface there
     */
    public static int ifNameToIndex(String name) {
        byte[] c = interfaceName(name);
        int index = LibC.INSTANCE.if_nametoindex(c);
        if (index == 0) {
            throw NativeException.of("if_nametoindex(\"" + name + "\")", Native.getLastError());
        }
        return index;
    }

    /**
     * The name of interface {@code ifindex} in the CALLING THREAD's namespace
     * ({@code if_indextoname(3)}); like {@link #ifNameToIndex} it MUST run inside the namespace.
     */
    public static String ifIndexToName(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex: " + ifindex + " (expected: > 0)");
        }
        byte[] buf = new byte[LibC.IFNAMSIZ];
        Pointer p = LibC.INSTANCE.if_indextoname(ifindex, buf);
        if (p == null) {
            throw NativeException.of("if_indextoname(" + ifindex + ")", Native.getLastError());
        }
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- configuration: owner thread

    /**
     * Binds an {@code AF_PACKET} socket to one protocol on one interface ({@code packet(7)},
     * "bind"). From here on it receives {@code protocol} frames arriving on {@code ifindex}, and a
     * plain {@code write(2)} of a whole Ethernet frame sends on that interface.
     */
    public static void bindPacket(int fd, int protocol, int ifindex) {
        if (protocol < 0 || protocol > 0xffff) {
            throw new IllegalArgumentException("protocol: " + protocol + " (expected: 0..65535)");
        }
        checkIfindex(ifindex);
        byte[] sll = Sockaddr.packet(protocol, ifindex);
        try {
            LibC.INSTANCE.bind(fd, sll, sll.length);
        } catch (LastErrorException e) {
            throw NativeException.of("bind(fd=" + fd + ", sockaddr_ll{protocol=0x" + Integer.toHexString(protocol)
                    + ", ifindex=" + ifindex + "})", e);
        }
    }

    /**
     * The hardware (MAC) address of the interface a bound {@code AF_PACKET} socket is bound to,
     * read from {@code sll_addr} by {@code getsockname(2)}: 6 bytes for Ethernet, 0 for loopback.
     */
    public static byte[] hardwareAddress(int fd) {
        byte[] sll = new byte[Sockaddr.LL_SIZE];
        int[] len = {sll.length};
        try {
            LibC.INSTANCE.getsockname(fd, sll, len);
        } catch (LastErrorException e) {
            throw NativeException.of("getsockname(fd=" + fd + ")", e);
        }
        return Sockaddr.readPacketHardwareAddress(sll, len[0]);
    }

    /** The interface index a bound {@code AF_PACKET} socket is bound to ({@code getsockname(2)}). */
    public static int packetIfindex(int fd) {
        byte[] sll = new byte[Sockaddr.LL_SIZE];
        int[] len = {sll.length};
        try {
            LibC.INSTANCE.getsockname(fd, sll, len);
        } catch (LastErrorException e) {
            throw NativeException.of("getsockname(fd=" + fd + ")", e);
        }
        Sockaddr.readPacketHardwareAddress(sll, len[0]); // validates the family and length
        return Sockaddr.readPacketIfindex(sll);
    }

    /**
     * Attaches a classic BPF program ({@code SO_ATTACH_FILTER}, {@code socket(7)}); it replaces any
     * program attached before. The kernel copies the program, so the native copy made here is freed
     * on return. Works on packet, UDP and netlink sockets alike.
     *
     * @see <a href="https://docs.kernel.org/networking/filter.html">Linux Socket Filtering</a>
     */
    public static void attachFilter(int fd, Bpf.Program program) {
        Objects.requireNonNull(program, "program");
        byte[] filter = program.encode();
        try (Memory instructions = new Memory(filter.length); Memory fprog = new Memory(SOCK_FPROG_SIZE)) {
            instructions.write(0, filter, 0, filter.length);
            fprog.clear();
            fprog.setShort(0, (short) program.length());
            fprog.setPointer(SOCK_FPROG_FILTER_OFFSET, instructions);
            LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, fprog, SOCK_FPROG_SIZE);
        } catch (LastErrorException e) {
            throw NativeException.of("setsockopt(fd=" + fd + ", SOL_SOCKET, SO_ATTACH_FILTER, "
                    + program.length() + " instructions)", e);
        }
    }

    /** {@code SO_REUSEADDR} ({@code socket(7)}). */
    public static void reuseAddress(int fd, boolean on) {
        setInt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, on ? 1 : 0, "SOL_SOCKET, SO_REUSEADDR");
    }

    /** {@code SO_BROADCAST} ({@code socket(7)}): needed to send to 255.255.255.255 over UDP. */
    public static void broadcast(int fd, boolean on) {
        setInt(fd, LibC.SOL_SOCKET, LibC.SO_BROADCAST, on ? 1 : 0, "SOL_SOCKET, SO_BROADCAST");
    }

    /**
     * {@code SO_BINDTODEVICE} ({@code socket(7)}): only packets from interface {@code ifname} are
     * received and sends leave through it. The name is resolved in the socket's own namespace, so
     * this may run on any thread. Needs CAP_NET_RAW.
     */
    public static void bindToDevice(int fd, String ifname) {
        byte[] c = interfaceName(ifname);
        try {
            LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, c, c.length);
        } catch (LastErrorException e) {
            throw NativeException.of("setsockopt(fd=" + fd + ", SOL_SOCKET, SO_BINDTODEVICE, \"" + ifname + "\")", e);
        }
    }

    /**
     * {@code SO_RCVBUF} ({@code socket(7)}): the kernel doubles the value for its bookkeeping and
     * caps the request at {@code net.core.rmem_max}, so {@link #receiveBufferSize(int)} reads back
     * a different number.
     */
    public static void receiveBufferSize(int fd, int bytes) {
        checkPositive("bytes", bytes);
        setInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes, "SOL_SOCKET, SO_RCVBUF");
    }

    /** The effective {@code SO_RCVBUF} (already doubled by the kernel). */
    public static int receiveBufferSize(int fd) {
        return getInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, "SOL_SOCKET, SO_RCVBUF");
    }

    /** {@code SO_SNDBUF} ({@code socket(7)}), doubled and capped by {@code net.core.wmem_max}. */
    public static void sendBufferSize(int fd, int bytes) {
        checkPositive("bytes", bytes);
        setInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, bytes, "SOL_SOCKET, SO_SNDBUF");
    }

    /** The effective {@code SO_SNDBUF} (already doubled by the kernel). */
    public static int sendBufferSize(int fd) {
        return getInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, "SOL_SOCKET, SO_SNDBUF");
    }

    /** {@code IP_PKTINFO} ({@code ip(7)}): each received datagram carries its ifindex and destination address. */
    public static void ipPacketInfo(int fd, boolean on) {
        setInt(fd, LibC.IPPROTO_IP, LibC.IP_PKTINFO, on ? 1 : 0, "IPPROTO_IP, IP_PKTINFO");
    }

    /** {@code IPV6_RECVPKTINFO} ({@code ipv6(7)}, RFC 3542 §6.1): the IPv6 counterpart of {@link #ipPacketInfo}. */
    public static void ipv6ReceivePacketInfo(int fd, boolean on) {
        setInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_RECVPKTINFO, on ? 1 : 0, "IPPROTO_IPV6, IPV6_RECVPKTINFO");
    }

    /** {@code IPV6_V6ONLY} ({@code ipv6(7)}): set it before binding {@code [::]} so IPv4 is not mapped in. */
    public static void ipv6Only(int fd, boolean on) {
        setInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, on ? 1 : 0, "IPPROTO_IPV6, IPV6_V6ONLY");
    }

    /**
     * Joins an IPv6 multicast group on one interface ({@code IPV6_ADD_MEMBERSHIP}, which RFC 3493
     * §5.2 calls {@code IPV6_JOIN_GROUP}), for example ff02::1:2, All_DHCP_Relay_Agents_and_Servers
     * (RFC 8415 §7.1). {@code ifindex} is an index in the socket's namespace.
     */
    public static void joinGroup6(int fd, Inet6Address group, int ifindex) {
        Objects.requireNonNull(group, "group");
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("group: " + group.getHostAddress() + " (expected: multicast)");
        }
        checkIfindex(ifindex);
        byte[] mreq = Sockaddr.ipv6Mreq(group, ifindex);
        try {
            LibC.INSTANCE.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_ADD_MEMBERSHIP, mreq, mreq.length);
        } catch (LastErrorException e) {
            throw NativeException.of("setsockopt(fd=" + fd + ", IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, "
                    + group.getHostAddress() + "%" + ifindex + ")", e);
        }
    }

    /** Binds a UDP socket to an IPv4 or IPv6 address and port ({@code bind(2)}); port 0 picks one. */
    public static void bind(int fd, InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] sa = Sockaddr.inet(address);
        try {
            LibC.INSTANCE.bind(fd, sa, sa.length);
        } catch (LastErrorException e) {
            throw NativeException.of("bind(fd=" + fd + ", " + address + ")", e);
        }
    }

    /**
     * {@code listen(2)}: a bound TCP socket starts accepting. Do this before registering it with an
     * event loop: a stream socket that is neither listening nor connected polls as hung up.
     */
    public static void listen(int fd, int backlog) {
        try {
            LibC.INSTANCE.listen(fd, backlog);
        } catch (LastErrorException e) {
            throw NativeException.of("listen(fd=" + fd + ", " + backlog + ")", e);
        }
    }

    /** The address a UDP socket is bound to ({@code getsockname(2)}). */
    public static InetSocketAddress localAddress(int fd) {
        byte[] sa = new byte[Sockaddr.IN6_SIZE];
        int[] len = {sa.length};
        try {
            LibC.INSTANCE.getsockname(fd, sa, len);
        } catch (LastErrorException e) {
            throw NativeException.of("getsockname(fd=" + fd + ")", e);
        }
        return Sockaddr.readInet(sa, len[0]);
    }

    /**
     * Closes {@code fd} ({@code close(2)}). Call it once: on Linux the fd is released even when
     * close reports an error, and a second close could hit an fd number reused meanwhile.
     */
    public static void close(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            throw NativeException.of("close(fd=" + fd + ")", e);
        }
    }

    // ---------------------------------------------------------------- blocking helpers (package)

    /**
     * Waits up to {@code timeoutMillis} for {@code fd} to become readable ({@code poll(2)}), for
     * the blocking paths (the startup dump, tests); an event loop uses epoll instead.
     */
    static boolean awaitReadable(int fd, int timeoutMillis) {
        byte[] pollfd = Sockaddr.pollfd(fd, LibC.POLLIN);
        try {
            return LibC.INSTANCE.poll(pollfd, 1, Math.max(0, timeoutMillis)) > 0
                    && (Sockaddr.pollRevents(pollfd) & LibC.POLLIN) != 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == NativeException.EINTR) {
                return false; // the caller's loop re-checks its deadline
            }
            throw NativeException.of("poll(fd=" + fd + ", POLLIN)", e);
        }
    }

    /** {@code sendto(2)} of a whole datagram; returns the bytes sent. */
    static int sendTo(int fd, byte[] data, byte[] sockaddr, String what) {
        try {
            return (int) LibC.INSTANCE.sendto(fd, data, data.length, 0, sockaddr, sockaddr.length);
        } catch (LastErrorException e) {
            throw NativeException.of("sendto(fd=" + fd + ", " + what + ")", e);
        }
    }

    // ---------------------------------------------------------------- internals

    static void setInt(int fd, int level, int option, int value, String what) {
        byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
        try {
            LibC.INSTANCE.setsockopt(fd, level, option, v, v.length);
        } catch (LastErrorException e) {
            throw NativeException.of("setsockopt(fd=" + fd + ", " + what + ", " + value + ")", e);
        }
    }

    private static int getInt(int fd, int level, int option, String what) {
        byte[] v = new byte[4];
        int[] len = {v.length};
        try {
            LibC.INSTANCE.getsockopt(fd, level, option, v, len);
        } catch (LastErrorException e) {
            throw NativeException.of("getsockopt(fd=" + fd + ", " + what + ")", e);
        }
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt(0);
    }

    /** An interface name as the kernel takes it: 1..15 bytes, NUL-terminated ({@code IFNAMSIZ}, {@code linux/if.h}). */
    private static byte[] interfaceName(String name) {
        Objects.requireNonNull(name, "name");
        byte[] c = LibC.cString(name);
        if (c.length < 2 || c.length > LibC.IFNAMSIZ || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name: \"" + name + "\" (expected: 1..15 bytes, no NUL)");
        }
        return c;
    }

    static void checkIfindex(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex: " + ifindex + " (expected: > 0)");
        }
    }

    private static void checkPositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
