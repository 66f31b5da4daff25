package io.leasehold.netns;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Interface facts of a namespace from the kernel itself: a {@code NETLINK_ROUTE} socket, dump
 * requests, and a pure parser of link and address messages.
 *
 * <p>Event-loop use (what the daemon does per namespace):
 * <ol>
 *   <li>{@link #openSocket()} in a {@link NamespaceOpener} task: the socket reports on the
 *       namespace it was created in;</li>
 *   <li>on the loop: {@link #subscribe(int, int)} with {@link #DEFAULT_GROUPS}, then
 *       {@link #requestDump(int, int, int)} for {@link #RTM_GETLINK}, and after its
 *       {@code done} for {@link #RTM_GETADDR} (one dump at a time per socket, or the kernel answers
 *       EBUSY). Subscribing first means no change between dump and subscription is missed;</li>
 *   <li>when epoll reports the fd readable, read one datagram per {@code read(2)} (Netty's
 *       {@code FileDescriptor.read}/{@code readAddress}) into a buffer of at least
 *       {@link #RECEIVE_BUFFER_SIZE} bytes and pass it to {@link #parse(ByteBuffer, Handler)}. A read
 *       failing with {@link NativeException#ENOBUFS} means events were dropped: dump again.</li>
 * </ol>
 * {@link #dump(NetNamespace, NamespaceOpener)} does the same once, blocking, for startup.
 *
 * <h2>Parsing</h2>
 * The parser reads only inside the buffer's {@code [position, limit)} and never throws for what it
 * reads: a message whose header length is impossible ends the datagram (nothing after it can be
 * located), a message whose body is inconsistent (an attribute running past its message, an
 * address of the wrong size) is skipped; both are reported to {@link Handler#malformed(String)}.
 * Messages of other types (routes, neighbours) are ignored. The only exception it throws is
 * {@link NullPointerException} for a null argument; exceptions thrown by the handler propagate.
 *
 * @see <a href="https://man7.org/linux/man-pages/man7/netlink.7.html">netlink(7)</a>
 * @see <a href="https://man7.org/linux/man-pages/man7/rtnetlink.7.html">rtnetlink(7)</a>
 */
public final class Rtnetlink {

    // Message types: linux/netlink.h (control) and linux/rtnetlink.h (route family).
    /** {@code NLMSG_NOOP}. */
    public static final int NLMSG_NOOP = 1;
    /** {@code NLMSG_ERROR}: an error, or with error 0 an acknowledgement. */
    public static final int NLMSG_ERROR = 2;
    /** {@code NLMSG_DONE}: the end of a multi-part (dump) reply. */
    public static final int NLMSG_DONE = 3;
    /** {@code RTM_NEWLINK}. */
    public static final int RTM_NEWLINK = 16;
    /** {@code RTM_DELLINK}. */
    public static final int RTM_DELLINK = 17;
    /** {@code RTM_GETLINK}. */
    public static final int RTM_GETLINK = 18;
    /** {@code RTM_NEWADDR}. */
    public static final int RTM_NEWADDR = 20;
    /** {@code RTM_DELADDR}. */
    public static final int RTM_DELADDR = 21;
    /** {@code RTM_GETADDR}. */
    public static final int RTM_GETADDR = 22;

    // Header flags (linux/netlink.h).
    /** {@code NLM_F_REQUEST}. */
    public static final int NLM_F_REQUEST = 0x1;
    /** {@code NLM_F_MULTI}: part of a multi-part reply that ends with {@code NLMSG_DONE}. */
    public static final int NLM_F_MULTI = 0x2;
    /** {@code NLM_F_DUMP_INTR}: the dump changed while it was being taken; it MUST be repeated. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** {@code NLM_F_DUMP} ({@code NLM_F_ROOT | NLM_F_MATCH}). */
    public static final int NLM_F_DUMP = 0x300;

    // Multicast groups for sockaddr_nl.nl_groups (linux/rtnetlink.h, the legacy RTMGRP_* masks).
    /** {@code RTMGRP_LINK}. */
    public static final int RTMGRP_LINK = 0x1;
    /** {@code RTMGRP_IPV4_IFADDR}. */
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    /** {@code RTMGRP_IPV6_IFADDR}. */
    public static final int RTMGRP_IPV6_IFADDR = 0x100;
    /** The groups the daemon follows: links, IPv4 and IPv6 addresses. */
    public static final int DEFAULT_GROUPS = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;

    /**
     * A receive buffer large enough for any rtnetlink datagram: the kernel sizes dump datagrams to
     * at most 32 KiB ({@code netlink_dump}, {@code NLMSG_GOODSIZE} rounded), events are smaller.
     */
    public static final int RECEIVE_BUFFER_SIZE = 64 * 1024;

    /*
     * struct nlmsghdr (linux/netlink.h), 16 bytes, host order:
     *   0  u32 nlmsg_len     header + payload, before padding to 4 (NLMSG_ALIGN)
     *   4  u16 nlmsg_type
     *   6  u16 nlmsg_flags
     *   8  u32 nlmsg_seq
     *  12  u32 nlmsg_pid
     */
    static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_TYPE = 4;
    private static final int NLMSG_FLAGS = 6;
    private static final int NLMSG_SEQ = 8;

    /*
     * struct ifinfomsg (linux/rtnetlink.h), 16 bytes:
     *   0  u8  ifi_family
     *   1  u8  pad
     *   2  u16 ifi_type     ARPHRD_*
     *   4  i32 ifi_index
     *   8  u32 ifi_flags    IFF_*
     *  12  u32 ifi_change
     */
    static final int IFINFOMSG_SIZE = 16;
    private static final int IFI_INDEX = 4;
    private static final int IFI_FLAGS = 8;

    /*
     * struct ifaddrmsg (linux/if_addr.h), 8 bytes:
     *   0  u8  ifa_family
     *   1  u8  ifa_prefixlen
     *   2  u8  ifa_flags
     *   3  u8  ifa_scope
     *   4  u32 ifa_index
     */
    static final int IFADDRMSG_SIZE = 8;
    private static final int IFA_PREFIXLEN = 1;
    private static final int IFA_FLAGS_BYTE = 2;
    private static final int IFA_SCOPE = 3;
    private static final int IFA_INDEX = 4;

    /*
     * struct rtattr (linux/rtnetlink.h), 4 bytes, then the value, padded to 4 (RTA_ALIGN):
     *   0  u16 rta_len      header + value, before padding
     *   2  u16 rta_type     the top two bits are NLA_F_NESTED and NLA_F_NET_BYTEORDER
     */
    static final int RTA_HDRLEN = 4;
    private static final int NLA_TYPE_MASK = 0x3fff;

    // Attribute types (linux/if_link.h, linux/if_addr.h).
    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_FLAGS = 8;

    /** {@code MAX_ADDR_LEN} ({@code linux/netdevice.h}): the longest hardware address. */
    private static final int MAX_ADDR_LEN = 32;

    private Rtnetlink() {
    }

    /** Whether a link or address appeared/changed or went away. */
    public enum Change {
        /** {@code RTM_NEWLINK} or {@code RTM_NEWADDR}. */
        NEW,
        /** {@code RTM_DELLINK} or {@code RTM_DELADDR}. */
        DEL
    }

    /**
     * Receives what {@link #parse} finds, in message order. All methods but {@link #link} and
     * {@link #address} have empty defaults.
     */
    public interface Handler {

        /** An {@code RTM_NEWLINK}/{@code RTM_DELLINK}. */
        void link(LinkEvent event);

        /** An {@code RTM_NEWADDR}/{@code RTM_DELADDR} of family INET or INET6. */
        void address(AddressEvent event);

        /** {@code NLMSG_DONE}: the dump with sequence number {@code seq} is complete. */
        default void done(int seq) {
        }

        /**
         * {@code NLMSG_ERROR} for request {@code seq}: {@code errno} is positive for a failure, 0
         * for an acknowledgement. A failed dump also ends with {@code NLMSG_DONE} carrying an error,
         * reported here before {@link #done}.
         */
        default void error(int seq, int errno) {
        }

        /** A message of dump {@code seq} carried {@code NLM_F_DUMP_INTR}: repeat that dump. */
        default void dumpInterrupted(int seq) {
        }

        /** Bytes that are not a valid message; the text says what and where. */
        default void malformed(String reason) {
        }
    }

    /** The links and addresses of a namespace at one moment, from {@link #dump}. */
    public record Dump(List<LinkEvent> links, List<AddressEvent> addresses) {
        public Dump {
            links = List.copyOf(links);
            addresses = List.copyOf(addresses);
        }
    }

    // ---------------------------------------------------------------- sockets

    /**
     * Opens a {@code NETLINK_ROUTE} socket, non-blocking and close-on-exec. Safe inside a
     * namespace, and it MUST be called there: the socket reports on the namespace of the thread
     * that created it.
     */
    public static int openSocket() {
        return Sockets.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, LibC.NETLINK_ROUTE,
                "socket(AF_NETLINK, SOCK_RAW|SOCK_NONBLOCK|SOCK_CLOEXEC, NETLINK_ROUTE)");
    }

    /**
     * Binds the socket with the multicast {@code groups} ({@code RTMGRP_*} bits; 0 for a socket
     * that only dumps). The kernel assigns the port id. On the owner thread.
     */
    public static void subscribe(int fd, int groups) {
        byte[] nl = Sockaddr.netlink(0, groups);
        try {
            LibC.INSTANCE.bind(fd, nl, nl.length);
        } catch (LastErrorException e) {
            throw NativeException.of("bind(fd=" + fd + ", sockaddr_nl{groups=0x" + Integer.toHexString(groups) + "})", e);
        }
    }

    /**
     * Sends a dump request ({@link #RTM_GETLINK} or {@link #RTM_GETADDR}, all families) to the
     * kernel. The reply arrives as messages flagged {@link #NLM_F_MULTI} carrying {@code seq},
     * ended by {@code NLMSG_DONE}. On the owner thread.
     */
    public static void requestDump(int fd, int type, int seq) {
        Sockets.sendTo(fd, dumpRequest(type, seq), Sockaddr.netlink(0, 0), "dump request type " + type + " seq " + seq);
    }

    /**
     * The bytes of a dump request: {@code nlmsghdr} with {@code NLM_F_REQUEST | NLM_F_DUMP}, then
     * an all-zero {@code ifinfomsg} or {@code ifaddrmsg} (family {@code AF_UNSPEC}: every family).
     */
    public static byte[] dumpRequest(int type, int seq) {
        int body;
        if (type == RTM_GETLINK) {
            body = IFINFOMSG_SIZE;
        } else if (type == RTM_GETADDR) {
            body = IFADDRMSG_SIZE;
        } else {
            throw new IllegalArgumentException("type: " + type + " (expected: RTM_GETLINK 18 or RTM_GETADDR 22)");
        }
        ByteBuffer b = ByteBuffer.allocate(NLMSG_HDRLEN + body).order(ByteOrder.nativeOrder());
        b.putInt(0, NLMSG_HDRLEN + body);
        b.putShort(NLMSG_TYPE, (short) type);
        b.putShort(NLMSG_FLAGS, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        b.putInt(NLMSG_SEQ, seq);
        return b.array();
    }

    // ---------------------------------------------------------------- blocking dump

    /**
     * Dumps the links and addresses of {@code ns} once, blocking: opens a socket there through
     * {@code opener}, requests both dumps, reads until each is done, closes the socket. The whole
     * call is bounded by {@code opener.timeout()} for the open and again for the reading. An
     * interrupted dump ({@code NLM_F_DUMP_INTR}) is repeated, up to three times.
     *
     * @throws NativeException       if a call fails or the kernel rejects a request
     * @throws TimeoutException      if the namespace does not answer in time
     * @throws IllegalStateException if the dump stays inconsistent or is malformed
     */
    public static Dump dump(NetNamespace ns, NamespaceOpener opener) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(opener, "opener");
        int fd = awaitOpen(opener.open(ns, fds -> fds.add(openSocket())));
        try (Memory buffer = new Memory(RECEIVE_BUFFER_SIZE)) {
            subscribe(fd, 0);
            long deadline = System.nanoTime() + opener.timeout().toNanos();
            List<LinkEvent> links = new ArrayList<>();
            List<AddressEvent> addresses = new ArrayList<>();
            dumpOne(fd, buffer, RTM_GETLINK, 1, deadline, links, addresses);
            dumpOne(fd, buffer, RTM_GETADDR, 100, deadline, links, addresses);
            return new Dump(links, addresses);
        } finally {
            Sockets.close(fd);
        }
    }

    private static int awaitOpen(CompletableFuture<Integer> future)
            throws InterruptedException, TimeoutException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw (TimeoutException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("opening a netlink socket failed: " + cause, cause);
        }
    }

    private static void dumpOne(int fd, Memory buffer, int type, int firstSeq, long deadline,
            List<LinkEvent> links, List<AddressEvent> addresses) throws TimeoutException {
        for (int attempt = 0; attempt < 3; attempt++) {
            int seq = firstSeq + attempt;
            DumpCollector collector = new DumpCollector(seq);
            requestDump(fd, type, seq);
            while (!collector.done) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new TimeoutException("rtnetlink dump of type " + type + " did not finish in time");
                }
                if (Sockets.awaitReadable(fd, (int) Math.min(left, Integer.MAX_VALUE))) {
                    receive(fd, buffer, collector);
                }
            }
            if (collector.errno != 0) {
                throw NativeException.of("rtnetlink dump request type " + type + " seq " + seq, collector.errno);
            }
            if (collector.malformed != null) {
                throw new IllegalStateException("rtnetlink dump of type " + type + ": " + collector.malformed);
            }
            if (!collector.interrupted) {
                links.addAll(collector.links);
                addresses.addAll(collector.addresses);
                return;
            }
        }
        throw new IllegalStateException("rtnetlink dump of type " + type + " was interrupted by changes 3 times");
    }

    /**
     * Reads one datagram from a non-blocking netlink socket into {@code buffer} and parses it.
     * Returns false if there was nothing to read. For the blocking paths; an event loop reads with
     * Netty and calls {@link #parse(ByteBuffer, Handler)}.
     */
    static boolean receive(int fd, Memory buffer, Handler handler) {
        long n;
        try {
            n = LibC.INSTANCE.recv(fd, buffer, buffer.size(), LibC.MSG_TRUNC | LibC.MSG_DONTWAIT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == NativeException.EAGAIN || e.getErrorCode() == NativeException.EINTR) {
                return false;
            }
            throw NativeException.of("recv(fd=" + fd + ", netlink)", e);
        }
        if (n > buffer.size()) {
            // MSG_TRUNC makes recv return the real length; the tail is lost.
            handler.malformed("datagram of " + n + " bytes truncated to " + buffer.size());
            n = buffer.size();
        }
        parse(buffer.getByteBuffer(0, n), handler);
        return true;
    }

    /** Collects one dump's reply, ignoring messages of other requests (and multicast events). */
    private static final class DumpCollector implements Handler {
        final int seq;
        final List<LinkEvent> links = new ArrayList<>();
        final List<AddressEvent> addresses = new ArrayList<>();
        boolean done;
        boolean interrupted;
        int errno;
        String malformed;

        DumpCollector(int seq) {
            this.seq = seq;
        }

        // Parse callbacks carry no seq for link/address: a dump-only socket (groups 0) receives
        // nothing but replies to its own one outstanding request.
        @Override
        public void link(LinkEvent event) {
            links.add(event);
        }

        @Override
        public void address(AddressEvent event) {
            addresses.add(event);
        }

        @Override
        public void done(int seq) {
            if (seq == this.seq) {
                done = true;
            }
        }

        @Override
        public void error(int seq, int errno) {
            if (seq == this.seq && errno != 0) {
                this.errno = errno;
                done = true;
            }
        }

        @Override
        public void dumpInterrupted(int seq) {
            if (seq == this.seq) {
                interrupted = true;
            }
        }

        @Override
        public void malformed(String reason) {
            if (malformed == null) {
                malformed = reason;
            }
        }
    }

    // ---------------------------------------------------------------- parser

    /** Parses {@code length} bytes of {@code bytes} from {@code offset}; see {@link #parse(ByteBuffer, Handler)}. */
    public static int parse(byte[] bytes, int offset, int length, Handler handler) {
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            handler.malformed("offset " + offset + ", length " + length + " outside an array of " + bytes.length);
            return 0;
        }
        return parse(ByteBuffer.wrap(bytes, offset, length), handler);
    }

    /**
     * Parses the netlink messages in {@code [position, limit)} of {@code buffer} (one datagram,
     * host byte order whatever the buffer's order), calling {@code handler} for each. The
     * buffer's position is not changed.
     *
     * @return the number of messages whose header was valid
     */
    public static int parse(ByteBuffer buffer, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
        int start = b.position();
        int end = b.limit();
        int pos = start;
        int messages = 0;
        while (end - pos >= NLMSG_HDRLEN) {
            long len = b.getInt(pos) & 0xffffffffL;
            if (len < NLMSG_HDRLEN || len > end - pos) {
                handler.malformed("nlmsg_len " + len + " at offset " + (pos - start) + " (expected: "
                        + NLMSG_HDRLEN + ".." + (end - pos) + ")");
                return messages;
            }
            int type = b.getShort(pos + NLMSG_TYPE) & 0xffff;
            int flags = b.getShort(pos + NLMSG_FLAGS) & 0xffff;
            int seq = b.getInt(pos + NLMSG_SEQ);
            int body = pos + NLMSG_HDRLEN;
            int bodyEnd = pos + (int) len;
            messages++;
            if ((flags & NLM_F_DUMP_INTR) != 0) {
                handler.dumpInterrupted(seq);
            }
            switch (type) {
                case NLMSG_DONE:
                    // Since Linux 4.x the payload is an int: 0, or a negative errno if the dump failed.
                    if (bodyEnd - body >= 4 && b.getInt(body) < 0) {
                        handler.error(seq, -b.getInt(body));
                    }
                    handler.done(seq);
                    break;
                case NLMSG_ERROR:
                    if (bodyEnd - body < 4) {
                        handler.malformed("NLMSG_ERROR of " + len + " bytes at offset " + (pos - start)
                                + " (expected: at least 20)");
                    } else {
                        handler.error(seq, -b.getInt(body));
                    }
                    break;
                case RTM_NEWLINK:
                case RTM_DELLINK:
                    parseLink(b, body, bodyEnd, type == RTM_NEWLINK ? Change.NEW : Change.DEL, pos - start, handler);
                    break;
                case RTM_NEWADDR:
                case RTM_DELADDR:
                    parseAddress(b, body, bodyEnd, type == RTM_NEWADDR ? Change.NEW : Change.DEL, pos - start, handler);
                    break;
                default:
                    // NLMSG_NOOP, routes, neighbours: not ours to read.
                    break;
            }
            // NLMSG_ALIGN: the next header starts at a multiple of 4; the last may lack padding.
            pos += (int) ((len + 3) & ~3L);
        }
        if (pos < end) {
            handler.malformed((end - pos) + " trailing bytes at offset " + (pos - start)
                    + " (expected: none, or a 16-byte header)");
        }
        return messages;
    }

    private static void parseLink(ByteBuffer b, int body, int end, Change change, int at, Handler handler) {
        if (end - body < IFINFOMSG_SIZE) {
            handler.malformed("link message at offset " + at + ": " + (end - body)
                    + " body bytes (expected: at least 16)");
            return;
        }
        int ifindex = b.getInt(body + IFI_INDEX);
        int flags = b.getInt(body + IFI_FLAGS);
        String name = null;
        int mtu = 0;
        byte[] hardware = new byte[0];
        int a = body + IFINFOMSG_SIZE;
        while (end - a >= RTA_HDRLEN) {
            int rtaLen = b.getShort(a) & 0xffff;
            int rtaType = b.getShort(a + 2) & NLA_TYPE_MASK;
            if (rtaLen < RTA_HDRLEN || rtaLen > end - a) {
                handler.malformed("link message at offset " + at + ": attribute " + rtaType + " length " + rtaLen
                        + " (expected: 4.." + (end - a) + ")");
                return;
            }
            int value = a + RTA_HDRLEN;
            int valueLength = rtaLen - RTA_HDRLEN;
            if (rtaType == IFLA_IFNAME) {
                name = cString(b, value, valueLength);
            } else if (rtaType == IFLA_MTU) {
                if (valueLength != 4) {
                    handler.malformed("link message at offset " + at + ": IFLA_MTU of " + valueLength
                            + " bytes (expected: 4)");
                    return;
                }
                mtu = b.getInt(value);
            } else if (rtaType == IFLA_ADDRESS) {
                if (valueLength > MAX_ADDR_LEN) {
                    handler.malformed("link message at offset " + at + ": IFLA_ADDRESS of " + valueLength
                            + " bytes (expected: 0..32)");
                    return;
                }
                hardware = new byte[valueLength];
                b.get(value, hardware);
            }
            a += (rtaLen + 3) & ~3;
        }
        if (ifindex <= 0 || name == null || name.isEmpty()) {
            handler.malformed("link message at offset " + at + ": ifindex " + ifindex + ", name "
                    + (name == null ? "missing" : "\"" + name + "\"") + " (expected: ifindex > 0 and IFLA_IFNAME)");
            return;
        }
        handler.link(new LinkEvent(change, ifindex, name, flags, mtu, hardware));
    }

    private static void parseAddress(ByteBuffer b, int body, int end, Change change, int at, Handler handler) {
        if (end - body < IFADDRMSG_SIZE) {
            handler.malformed("address message at offset " + at + ": " + (end - body)
                    + " body bytes (expected: at least 8)");
            return;
        }
        int family = b.get(body) & 0xff;
        int addressLength;
        StandardProtocolFamily protocolFamily;
        if (family == LibC.AF_INET) {
            addressLength = 4;
            protocolFamily = StandardProtocolFamily.INET;
        } else if (family == LibC.AF_INET6) {
            addressLength = 16;
            protocolFamily = StandardProtocolFamily.INET6;
        } else {
            return; // other families (MPLS, DECnet...) are not ours
        }
        int prefixLength = b.get(body + IFA_PREFIXLEN) & 0xff;
        int flags = b.get(body + IFA_FLAGS_BYTE) & 0xff;
        int scope = b.get(body + IFA_SCOPE) & 0xff;
        int ifindex = b.getInt(body + IFA_INDEX);
        byte[] address = null;
        byte[] local = null;
        int a = body + IFADDRMSG_SIZE;
        while (end - a >= RTA_HDRLEN) {
            int rtaLen = b.getShort(a) & 0xffff;
            int rtaType = b.getShort(a + 2) & NLA_TYPE_MASK;
            if (rtaLen < RTA_HDRLEN || rtaLen > end - a) {
                handler.malformed("address message at offset " + at + ": attribute " + rtaType + " length " + rtaLen
                        + " (expected: 4.." + (end - a) + ")");
                return;
            }
            int value = a + RTA_HDRLEN;
            int valueLength = rtaLen - RTA_HDRLEN;
            if (rtaType == IFA_ADDRESS || rtaType == IFA_LOCAL) {
                if (valueLength != addressLength) {
                    handler.malformed("address message at offset " + at + ": attribute " + rtaType + " of "
                            + valueLength + " bytes (expected: " + addressLength + ")");
                    return;
                }
                byte[] bytes = new byte[addressLength];
                b.get(value, bytes);
                if (rtaType == IFA_LOCAL) {
                    local = bytes;
                } else {
                    address = bytes;
                }
            } else if (rtaType == IFA_FLAGS) {
                if (valueLength != 4) {
                    handler.malformed("address message at offset " + at + ": IFA_FLAGS of " + valueLength
                            + " bytes (expected: 4)");
                    return;
                }
                flags = b.getInt(value);
            }
            a += (rtaLen + 3) & ~3;
        }
        byte[] own = local != null ? local : address;
        if (ifindex <= 0 || own == null || prefixLength > addressLength * 8) {
            handler.malformed("address message at offset " + at + ": ifindex " + ifindex + ", prefix length "
                    + prefixLength + ", address " + (own == null ? "missing" : "present")
                    + " (expected: ifindex > 0, prefix length <= " + addressLength * 8 + ", IFA_LOCAL or IFA_ADDRESS)");
            return;
        }
        handler.address(new AddressEvent(change, protocolFamily, ifindex, inetAddress(own), prefixLength, scope, flags));
    }

    /** The bytes up to the first NUL (or all of them), as UTF-8. */
    private static String cString(ByteBuffer b, int offset, int length) {
        int n = 0;
        while (n < length && b.get(offset + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static InetAddress inetAddress(byte[] bytes) {
        try {
            // Inet6Address.getByAddress keeps a v4-mapped IPv6 address IPv6 (InetAddress would not).
            return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: address of " + bytes.length + " bytes", e);
        }
    }
}
