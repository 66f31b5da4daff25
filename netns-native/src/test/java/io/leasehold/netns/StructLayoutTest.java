package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Native;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The hand-written structure layouts against the sizes and offsets of the kernel headers on LP64
 * Linux (what {@code pahole} or {@code sizeof} report on x86_64 and aarch64).
 */
class StructLayoutTest {

    private static ByteBuffer host(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void sizesMatchTheKernelHeaders() {
        assertEquals(16, Sockaddr.IN_SIZE, "sizeof(struct sockaddr_in)");
        assertEquals(28, Sockaddr.IN6_SIZE, "sizeof(struct sockaddr_in6)");
        assertEquals(20, Sockaddr.LL_SIZE, "sizeof(struct sockaddr_ll)");
        assertEquals(12, Sockaddr.NL_SIZE, "sizeof(struct sockaddr_nl)");
        assertEquals(20, Sockaddr.IPV6_MREQ_SIZE, "sizeof(struct ipv6_mreq)");
        assertEquals(8, Sockaddr.POLLFD_SIZE, "sizeof(struct pollfd)");
        assertEquals(8, Bpf.SOCK_FILTER_SIZE, "sizeof(struct sock_filter)");
        assertEquals(16, Sockets.SOCK_FPROG_SIZE, "sizeof(struct sock_fprog)");
        assertEquals(Native.POINTER_SIZE, Sockets.SOCK_FPROG_FILTER_OFFSET, "offsetof(sock_fprog, filter): pointer-aligned");
        assertEquals(28, PacketRing.TPACKET_REQ3_SIZE, "sizeof(struct tpacket_req3)");
        assertEquals(48, PacketRing.BLOCK_DESC_SIZE, "sizeof(struct tpacket_block_desc)");
        assertEquals(48, PacketRing.FRAME_HEADER_SIZE, "sizeof(struct tpacket3_hdr)");
        assertEquals(16, Rtnetlink.NLMSG_HDRLEN, "NLMSG_HDRLEN");
        assertEquals(16, Rtnetlink.IFINFOMSG_SIZE, "sizeof(struct ifinfomsg)");
        assertEquals(8, Rtnetlink.IFADDRMSG_SIZE, "sizeof(struct ifaddrmsg)");
        assertEquals(4, Rtnetlink.RTA_HDRLEN, "RTA_LENGTH(0)");
    }

    @Test
    void lp64Target() {
        assertEquals(8, Native.POINTER_SIZE, "the layouts are written for LP64");
        assertEquals(8, Native.SIZE_T_SIZE, "size_t is mapped to long");
    }

    @Test
    void sockaddrIn() throws Exception {
        byte[] sa = Sockaddr.inet(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 67));
        assertEquals(16, sa.length);
        assertEquals(LibC.AF_INET, host(sa).getShort(0));
        assertArrayEquals(new byte[] {0, 67, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(sa, 2, 16));
        assertEquals(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 67), Sockaddr.readInet(sa, sa.length));
    }

    @Test
    void sockaddrIn6() throws Exception {
        Inet6Address ll = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 7);
        byte[] sa = Sockaddr.inet(new InetSocketAddress(ll, 547));
        assertEquals(28, sa.length);
        assertEquals(LibC.AF_INET6, host(sa).getShort(0));
        assertEquals(0x02, sa[2]); // 547 = 0x0223, big-endian
        assertEquals(0x23, sa[3]);
        assertEquals(0, host(sa).getInt(Sockaddr.IN6_FLOWINFO_OFFSET));
        assertEquals((byte) 0xfe, sa[8]);
        assertEquals(1, sa[23]);
        assertEquals(7, host(sa).getInt(Sockaddr.IN6_SCOPE_ID_OFFSET));
        assertEquals(new InetSocketAddress(ll, 547), Sockaddr.readInet(sa, sa.length));
    }

    @Test
    void sockaddrLl() {
        byte[] sa = Sockaddr.packet(Sockets.ETH_P_IP, 5);
        assertEquals(LibC.AF_PACKET, host(sa).getShort(0));
        assertEquals(0x08, sa[2]); // htons(ETH_P_IP)
        assertEquals(0x00, sa[3]);
        assertEquals(5, host(sa).getInt(Sockaddr.LL_IFINDEX_OFFSET));
        // What getsockname returns for an Ethernet interface: 18 bytes, halen 6.
        sa[Sockaddr.LL_HALEN_OFFSET] = 6;
        byte[] mac = {2, 0, 0, 0, 0, 9};
        System.arraycopy(mac, 0, sa, Sockaddr.LL_ADDR_OFFSET, 6);
        assertArrayEquals(mac, Sockaddr.readPacketHardwareAddress(sa, 18));
        // A lying sll_halen cannot make it read past the returned length.
        sa[Sockaddr.LL_HALEN_OFFSET] = 8;
        assertEquals(6, Sockaddr.readPacketHardwareAddress(sa, 18).length);
    }

    @Test
    void sockaddrNlAndMreqAndPollfd() throws Exception {
        byte[] nl = Sockaddr.netlink(0, Rtnetlink.DEFAULT_GROUPS);
        assertEquals(LibC.AF_NETLINK, host(nl).getShort(0));
        assertEquals(0, host(nl).getInt(Sockaddr.NL_PID_OFFSET));
        assertEquals(0x111, host(nl).getInt(Sockaddr.NL_GROUPS_OFFSET));

        byte[] mreq = Sockaddr.ipv6Mreq((Inet6Address) InetAddress.getByName("ff02::1:2"), 4);
        assertEquals((byte) 0xff, mreq[0]);
        assertEquals(2, mreq[15]);
        assertEquals(4, host(mreq).getInt(Sockaddr.IPV6_MREQ_INTERFACE_OFFSET));

        byte[] pollfd = Sockaddr.pollfd(9, LibC.POLLIN);
        assertEquals(9, host(pollfd).getInt(0));
        assertEquals(1, host(pollfd).getShort(Sockaddr.POLLFD_EVENTS_OFFSET));
        assertEquals(0, Sockaddr.pollRevents(pollfd));
    }

    @Test
    void tpacketReq3() {
        ByteBuffer req = host(PacketRing.request(1 << 16, 16, 2048, 10));
        assertEquals(28, req.capacity());
        assertEquals(1 << 16, req.getInt(0));
        assertEquals(16, req.getInt(4));
        assertEquals(2048, req.getInt(8));
        assertEquals(32 * 16, req.getInt(12), "tp_frame_nr = frames per block * blocks");
        assertEquals(10, req.getInt(16));
        assertEquals(0, req.getInt(20));
        assertEquals(0, req.getInt(24));
    }
}
