package io.leasehold.netns;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The C library calls this module makes, by their C names, and the kernel ABI constants they take.
 *
 * <p>Only setup calls go through here (namespace entry, socket creation and configuration, ring
 * mapping): the packet path reads and writes with Netty's own native {@code FileDescriptor}
 * methods. Calls declared {@code throws LastErrorException} are syscall wrappers: glibc touches
 * {@code errno} only on failure, and JNA clears it before each such call, so an exception means
 * the call failed. {@code if_nametoindex} and {@code if_indextoname} are library functions that may
 * leave a stale {@code errno} on success, so they report failure by return value only.
 *
 * <p>Argument types assume LP64 Linux (x86_64, aarch64): {@code size_t}, {@code ssize_t},
 * {@code nfds_t} and {@code off_t} are Java {@code long}. Structures are passed as {@code byte[]}
 * (JNA copies primitive arrays in and out without allocating {@code Memory}), laid out by hand in
 * {@link Sockaddr}, {@link Bpf}, {@link PacketRing} and {@link Rtnetlink}. Avoiding {@code Memory}
 * and {@code String} arguments matters inside a namespace: JNA registers each {@code Memory} with
 * its cleaner, which may start the "JNA Cleaner" thread, and a thread started there would stay in
 * that namespace for the life of the JVM.
 *
 * <p>The constant values are the same on x86_64 and aarch64: both use the asm-generic socket and
 * fcntl headers.
 */
interface LibC extends Library {

    /** Loaded on first use; {@link NamespaceOpener} makes sure that first use is never inside a namespace. */
    LibC INSTANCE = Native.load("c", LibC.class);

    // --- address families and socket types: linux/socket.h, linux/net.h ---

    /** {@code AF_UNSPEC} ({@code linux/socket.h}). */
    int AF_UNSPEC = 0;
    /** {@code AF_INET} ({@code linux/socket.h}). */
    int AF_INET = 2;
    /** {@code AF_INET6} ({@code linux/socket.h}). */
    int AF_INET6 = 10;
    /** {@code AF_NETLINK} ({@code linux/socket.h}). */
    int AF_NETLINK = 16;
    /** {@code AF_PACKET} ({@code linux/socket.h}). */
    int AF_PACKET = 17;
    /** {@code SOCK_STREAM} ({@code linux/net.h}). */
    int SOCK_STREAM = 1;
    /** {@code SOCK_DGRAM} ({@code linux/net.h}). */
    int SOCK_DGRAM = 2;
    /** {@code SOCK_RAW} ({@code linux/net.h}). */
    int SOCK_RAW = 3;
    /** {@code SOCK_NONBLOCK}, equal to {@code O_NONBLOCK} (octal 04000, {@code asm-generic/fcntl.h}). */
    int SOCK_NONBLOCK = 0x800;
    /** {@code SOCK_CLOEXEC}, equal to {@code O_CLOEXEC} (octal 02000000, {@code asm-generic/fcntl.h}). */
    int SOCK_CLOEXEC = 0x80000;
    /** {@code NETLINK_ROUTE} ({@code linux/netlink.h}). */
    int NETLINK_ROUTE = 0;

    // --- open(2) and setns(2) ---

    /** {@code O_RDONLY} ({@code asm-generic/fcntl.h}). */
    int O_RDONLY = 0;
    /** {@code O_CLOEXEC} ({@code asm-generic/fcntl.h}). */
    int O_CLOEXEC = 0x80000;
    /** {@code CLONE_NEWNET} ({@code linux/sched.h}): the nstype argument of {@code setns(2)}. */
    int CLONE_NEWNET = 0x40000000;
    /**
     * {@code NS_GET_NSTYPE}, {@code _IO(0xb7, 0x3)} ({@code linux/nsfs.h}, Linux 4.11): the ioctl
     * that returns the {@code CLONE_NEW*} type of a namespace fd ({@code ioctl_ns(2)}).
     */
    long NS_GET_NSTYPE = 0xb703;

    // --- socket options: asm-generic/socket.h, linux/in.h, linux/in6.h, linux/if_packet.h ---

    /** {@code SOL_SOCKET} ({@code asm-generic/socket.h}). */
    int SOL_SOCKET = 1;
    /** {@code SO_REUSEADDR} ({@code asm-generic/socket.h}). */
    int SO_REUSEADDR = 2;
    /** {@code SO_BROADCAST} ({@code asm-generic/socket.h}). */
    int SO_BROADCAST = 6;
    /** {@code SO_SNDBUF} ({@code asm-generic/socket.h}). */
    int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF} ({@code asm-generic/socket.h}). */
    int SO_RCVBUF = 8;
    /** {@code SO_BINDTODEVICE} ({@code asm-generic/socket.h}). */
    int SO_BINDTODEVICE = 25;
    /** {@code SO_ATTACH_FILTER} ({@code asm-generic/socket.h}); the value is a {@code struct sock_fprog}. */
    int SO_ATTACH_FILTER = 26;
    /** {@code IPPROTO_IP} ({@code linux/in.h}): the level of IPv4 options. */
    int IPPROTO_IP = 0;
    /** {@code IP_PKTINFO} ({@code linux/in.h}). */
    int IP_PKTINFO = 8;
    /** {@code IPPROTO_IPV6} ({@code linux/in6.h}): the level of IPv6 options. */
    int IPPROTO_IPV6 = 41;
    /** {@code IPV6_ADD_MEMBERSHIP}, also spelled {@code IPV6_JOIN_GROUP} ({@code linux/in6.h}). */
    int IPV6_ADD_MEMBERSHIP = 20;
    /** {@code IPV6_V6ONLY} ({@code linux/in6.h}). */
    int IPV6_V6ONLY = 26;
    /** {@code IPV6_RECVPKTINFO} ({@code linux/in6.h}). */
    int IPV6_RECVPKTINFO = 49;
    /** {@code SOL_PACKET} ({@code linux/socket.h}). */
    int SOL_PACKET = 263;
    /** {@code PACKET_RX_RING} ({@code linux/if_packet.h}). */
    int PACKET_RX_RING = 5;
    /** {@code PACKET_VERSION} ({@code linux/if_packet.h}). */
    int PACKET_VERSION = 10;
    /** {@code TPACKET_V3}, a value of {@code enum tpacket_versions} ({@code linux/if_packet.h}). */
    int TPACKET_V3 = 2;

    // --- mmap(2), poll(2), recv(2) ---

    /** {@code PROT_READ} ({@code asm-generic/mman-common.h}). */
    int PROT_READ = 0x1;
    /** {@code PROT_WRITE} ({@code asm-generic/mman-common.h}). */
    int PROT_WRITE = 0x2;
    /** {@code MAP_SHARED} ({@code linux/mman.h}). */
    int MAP_SHARED = 0x01;
    /** {@code POLLIN} ({@code asm-generic/poll.h}). */
    short POLLIN = 0x0001;
    /** {@code MSG_TRUNC} ({@code linux/socket.h}): recv returns the real length of a longer datagram. */
    int MSG_TRUNC = 0x20;
    /** {@code MSG_DONTWAIT} ({@code linux/socket.h}). */
    int MSG_DONTWAIT = 0x40;

    /** {@code IFNAMSIZ} ({@code linux/if.h}): interface names are at most 15 bytes plus the NUL. */
    int IFNAMSIZ = 16;

    // --- calls (man section 2 unless noted) ---

    /**
     * {@code open(2)} without {@code O_CREAT}, so the variadic mode argument is absent; the path is
     * NUL-terminated bytes.
     */
    int open(byte[] path, int flags) throws LastErrorException;

    /** {@code close(2)}. */
    int close(int fd) throws LastErrorException;

    /** {@code ioctl(2)} without an argument, for {@link #NS_GET_NSTYPE}. */
    int ioctl(int fd, long request) throws LastErrorException;

    /** {@code setns(2)}: moves the calling thread only. */
    int setns(int fd, int nstype) throws LastErrorException;

    /** {@code socket(2)}. */
    int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code bind(2)}; {@code addr} is a sockaddr built by {@link Sockaddr}. */
    int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    /** {@code listen(2)}. */
    int listen(int fd, int backlog) throws LastErrorException;

    /** {@code setsockopt(2)} with the option value in a Java array. */
    int setsockopt(int fd, int level, int optname, byte[] optval, int optlen) throws LastErrorException;

    /** {@code setsockopt(2)} with a native value: a structure holding a pointer ({@code sock_fprog}). */
    int setsockopt(int fd, int level, int optname, Pointer optval, int optlen) throws LastErrorException;

    /** {@code getsockopt(2)}; {@code optlen} is in/out. */
    int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen) throws LastErrorException;

    /** {@code getsockname(2)}; {@code addrlen} is in/out. */
    int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

    /** {@code sendto(2)}. */
    long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen) throws LastErrorException;

    /** {@code recv(2)} into native memory. */
    long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    /** {@code recv(2)} into a Java array. */
    long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    /** {@code poll(2)}; {@code fds} is an array of 8-byte {@code struct pollfd}. */
    int poll(byte[] fds, long nfds, int timeout) throws LastErrorException;

    /** {@code mmap(2)}; failure ({@code MAP_FAILED}) raises the exception. */
    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    /** {@code munmap(2)}. */
    int munmap(Pointer addr, long length) throws LastErrorException;

    /** {@code if_nametoindex(3)}: 0 on failure, errno set; the name is NUL-terminated bytes. */
    int if_nametoindex(byte[] name);

    /** {@code if_indextoname(3)}: null on failure; {@code buf} holds {@link #IFNAMSIZ} bytes. */
    Pointer if_indextoname(int ifindex, byte[] buf);

    /** {@code strerror(3)}: the message text of an error number. */
    String strerror(int errnum);

    /** {@code getpagesize(2)}. */
    int getpagesize();

    /** The {@code strerror} text for {@code errno}, or a neutral text if even that call fails. */
    static String errorText(int errno) {
        try {
            String text = INSTANCE.strerror(errno);
            return text != null ? text : "Unknown error " + errno;
        } catch (RuntimeException | LinkageError e) {
            return "Unknown error " + errno;
        }
    }

    /**
     * {@code s} as NUL-terminated UTF-8: the form in which JNA passes a {@code const char *} without
     * allocating native memory.
     */
    static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }
}
