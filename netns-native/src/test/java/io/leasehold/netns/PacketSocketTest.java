package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real traffic over a veth pair between two test namespaces (see {@link TestNamespaces}): the
 * DHCPv4 packet socket with its filter, raw sends, the drop-all port holder, the TPACKET_V3 ring,
 * and the packet socket driven by a Netty epoll event loop as the daemon will drive it. The hot
 * path reads and writes with Netty's {@link FileDescriptor}, as the daemon does. Needs root.
 */
class PacketSocketTest {

    private static final NamespaceOpener OPENER = new NamespaceOpener(Duration.ofSeconds(10));

    private TestNamespaces namespaces;
    private NetNamespace a;
    private NetNamespace b;
    private String nameA;
    private String nameB;
    private final List<Integer> fds = new ArrayList<>();

    @BeforeEach
    void setUp() {
        TestNamespaces.assumeAvailable();
        Epoll.ensureAvailability(); // loads Netty's native library, which FileDescriptor uses
        namespaces = new TestNamespaces();
        String[] names = namespaces.createVethPair();
        nameA = names[0];
        nameB = names[1];
        a = NetNamespace.open(nameA);
        b = NetNamespace.open(nameB);
    }

    @AfterEach
    void tearDown() {
        for (int fd : fds) {
            Sockets.close(fd);
        }
        fds.clear();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @AfterAll
    static void leftovers() {
        TestNamespaces.deleteLeftovers();
    }

    /** A packet socket and the ifindex of {@code dev}, both from inside {@code ns}. */
    private record PacketSocket(int fd, int ifindex) {
    }

    private PacketSocket openPacket(NetNamespace ns, String dev) throws Exception {
        PacketSocket s = OPENER.open(ns, f -> new PacketSocket(f.add(Sockets.openPacket()), Sockets.ifNameToIndex(dev)))
                .get(10, TimeUnit.SECONDS);
        fds.add(s.fd());
        return s;
    }

    /** The DHCPv4 receive socket: filter first, then bind, as the daemon does it. */
    private PacketSocket openDhcpSocket(NetNamespace ns, String dev) throws Exception {
        PacketSocket s = openPacket(ns, dev);
        Sockets.attachFilter(s.fd(), Bpf.dhcpServerV4());
        Sockets.bindPacket(s.fd(), Sockets.ETH_P_IP, s.ifindex());
        return s;
    }

    private int openUdp(NetNamespace ns) throws Exception {
        int fd = OPENER.open(ns, f -> f.add(Sockets.openUdp4())).get(10, TimeUnit.SECONDS);
        fds.add(fd);
        return fd;
    }

    /** A DHCP-client-like socket in B: UDP/68 on lhB, allowed to broadcast. */
    private int openClientInB() throws Exception {
        int fd = openUdp(b);
        Sockets.reuseAddress(fd, true);
        Sockets.broadcast(fd, true);
        Sockets.bindToDevice(fd, "lhB");
        Sockets.bind(fd, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 68));
        return fd;
    }

    private static void broadcast(int fd, int port, String payload) throws Exception {
        byte[] to = Sockaddr.inet(new InetSocketAddress(InetAddress.getByName("255.255.255.255"), port));
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        assertEquals(data.length, Sockets.sendTo(fd, data, to, "255.255.255.255:" + port));
    }

    /** One frame read through Netty's FileDescriptor, or null if none arrives in time. */
    private static byte[] readFrame(int fd, int timeoutMillis) throws IOException {
        if (!Sockets.awaitReadable(fd, timeoutMillis)) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        int n = new FileDescriptor(fd).read(buf, 0, buf.capacity());
        byte[] frame = new byte[n];
        buf.get(0, frame);
        return frame;
    }

    private static int udpDestinationPort(byte[] frame) {
        int udp = 14 + 4 * (frame[14] & 0x0f);
        return (frame[udp + 2] & 0xff) << 8 | frame[udp + 3] & 0xff;
    }

    private static String udpPayload(byte[] frame) {
        int udp = 14 + 4 * (frame[14] & 0x0f);
        return new String(frame, udp + 8, frame.length - udp - 8, StandardCharsets.US_ASCII);
    }

    private static byte[] mac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    @Test
    void filteredPacketSocketReceivesUdp67AndNotUdp68() throws Exception {
        PacketSocket dhcp = openDhcpSocket(a, "lhA");
        // The port holder: UDP/67 with the drop-all filter, so the kernel sends no ICMP
        // port-unreachable, and reads nothing itself.
        int holder = openUdp(a);
        Sockets.attachFilter(holder, Bpf.dropAll());
        Sockets.reuseAddress(holder, true);
        Sockets.bindToDevice(holder, "lhA");
        Sockets.bind(holder, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 67));

        int client = openClientInB();
        broadcast(client, 68, "to-68"); // sent first: had the filter passed it, it would be read first
        broadcast(client, 67, "to-67");

        byte[] frame = readFrame(dhcp.fd(), 5000);
        assertNotNull(frame, "the UDP/67 broadcast reached the packet socket");
        assertEquals(67, udpDestinationPort(frame));
        assertEquals("to-67", udpPayload(frame));
        assertArrayEquals(mac(TestNamespaces.macOf(nameB, "lhB")), Arrays.copyOfRange(frame, 6, 12), "source MAC");
        assertArrayEquals(Frames.BROADCAST, Arrays.copyOfRange(frame, 0, 6));
        assertEquals(null, readFrame(dhcp.fd(), 300), "UDP/68 was filtered out");
        assertFalse(Sockets.awaitReadable(holder, 0), "the drop-all holder queued nothing");

        // Interface facts from the socket itself, in its namespace.
        assertEquals(TestNamespaces.macOf(nameA, "lhA"), HexFormat.ofDelimiter(":").formatHex(Sockets.hardwareAddress(dhcp.fd())));
        assertEquals(dhcp.ifindex(), Sockets.packetIfindex(dhcp.fd()));
    }

    @Test
    void craftedFrameFromThePacketSocketReachesAUdpSocketInThePeer() throws Exception {
        PacketSocket raw = openDhcpSocket(a, "lhA");
        int receiver = openUdp(b);
        Sockets.bind(receiver, new InetSocketAddress(InetAddress.getByName("10.99.67.2"), 6767));
        assertEquals(new InetSocketAddress(InetAddress.getByName("10.99.67.2"), 6767), Sockets.localAddress(receiver));

        Frames.Spec spec = Frames.spec();
        spec.destinationMac = mac(TestNamespaces.macOf(nameB, "lhB"));
        spec.sourceMac = Sockets.hardwareAddress(raw.fd());
        spec.sourceIp = new byte[] {10, 99, 67, 1};
        spec.destinationIp = new byte[] {10, 99, 67, 2};
        spec.sourcePort = 67;
        spec.destinationPort = 6767;
        spec.payload = "crafted reply".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = Frames.build(spec);
        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        // The hot-path write: a whole Ethernet frame on the bound packet socket.
        assertEquals(frame.length, new FileDescriptor(raw.fd()).write(direct, 0, frame.length));

        assertTrue(Sockets.awaitReadable(receiver, 5000), "the frame reached the UDP socket in the peer namespace");
        byte[] buf = new byte[256];
        long n = LibC.INSTANCE.recv(receiver, buf, buf.length, 0);
        assertEquals("crafted reply", new String(buf, 0, (int) n, StandardCharsets.US_ASCII));
    }

    @Test
    void udpSocketOptionsTakeEffect() throws Exception {
        int fd = openUdp(a);
        Sockets.receiveBufferSize(fd, 64 * 1024);
        assertEquals(2 * 64 * 1024, Sockets.receiveBufferSize(fd), "the kernel doubles SO_RCVBUF");
        Sockets.sendBufferSize(fd, 32 * 1024);
        assertEquals(2 * 32 * 1024, Sockets.sendBufferSize(fd));
        Sockets.ipPacketInfo(fd, true);

        int v6 = OPENER.open(a, f -> f.add(Sockets.openUdp6())).get(10, TimeUnit.SECONDS);
        fds.add(v6);
        int ifindex = OPENER.open(a, f -> Sockets.ifNameToIndex("lhA")).get(10, TimeUnit.SECONDS);
        Sockets.ipv6Only(v6, true);
        Sockets.ipv6ReceivePacketInfo(v6, true);
        Sockets.reuseAddress(v6, true);
        Sockets.bindToDevice(v6, "lhA");
        Sockets.joinGroup6(v6, (java.net.Inet6Address) InetAddress.getByName("ff02::1:2"), ifindex);
        Sockets.bind(v6, new InetSocketAddress(InetAddress.getByName("::"), 547));
        assertEquals(547, Sockets.localAddress(v6).getPort());
        // The membership is visible in the namespace's own view of the interface.
        String maddr = TestNamespaces.ip("-n", nameA, "-6", "maddr", "show", "dev", "lhA");
        assertTrue(maddr.contains("ff02::1:2"), maddr);
    }

    @Test
    void packetRingReceivesFrames() throws Exception {
        PacketSocket s = openPacket(a, "lhA");
        PacketRing ring = PacketRing.attach(s.fd(), 1 << 16, 4, 2048, 5);
        try {
            Sockets.attachFilter(s.fd(), Bpf.dhcpServerV4());
            Sockets.bindPacket(s.fd(), Sockets.ETH_P_IP, s.ifindex());
            int client = openClientInB();
            for (int i = 0; i < 3; i++) {
                broadcast(client, 68, "skip-" + i);
                broadcast(client, 67, "ring-" + i);
            }
            List<String> payloads = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 0; i < 100 && payloads.size() < 3 && System.nanoTime() < deadline; i++) {
                if (Sockets.awaitReadable(s.fd(), 100)) {
                    ring.drain(frame -> {
                        ByteBuffer data = frame.data();
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        assertEquals(frame.length(), frame.snapLength(), "the filter keeps whole frames");
                        assertEquals(67, udpDestinationPort(bytes));
                        payloads.add(udpPayload(bytes));
                        statuses.add(frame.status());
                    });
                }
            }
            assertEquals(List.of("ring-0", "ring-1", "ring-2"), payloads);
            // Locally sent UDP over veth usually carries a partial checksum: the flag is how a
            // receiver knows not to verify it. Whether it is set depends on offload settings.
            System.out.println("tp_status of ring frames: " + statuses.stream().map(Integer::toHexString).toList()
                    + " (CSUMNOTREADY=" + Integer.toHexString(PacketRing.TP_STATUS_CSUMNOTREADY) + ")");
            assertTrue(statuses.stream().allMatch(st -> (st & PacketRing.TP_STATUS_USER) != 0), statuses::toString);
        } finally {
            ring.close();
            ring.close(); // idempotent
        }
        assertThrows(IllegalStateException.class, () -> ring.drain(frame -> { }));
    }

    @Test
    void packetSocketOnANettyEpollLoop() throws Exception {
        PacketSocket dhcp = openDhcpSocket(a, "lhA");
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        FramesHandle handle = new FramesHandle(new FileDescriptor(dhcp.fd()), received);
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            IoEventLoop loop = group.next();
            IoRegistration registration = loop.register(handle).get(5, TimeUnit.SECONDS);
            loop.submit(() -> registration.submit(EpollIoOps.EPOLLIN)).get(5, TimeUnit.SECONDS);

            int client = openClientInB();
            broadcast(client, 68, "loop-68");
            broadcast(client, 67, "loop-67");
            byte[] frame = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(frame, "the loop read the UDP/67 frame");
            assertEquals("loop-67", udpPayload(frame));
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
            loop.submit(registration::cancel).get(5, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** The shape of the daemon's handle: read until EAGAIN on EPOLLIN; the fd is closed by its owner. */
    private static final class FramesHandle implements EpollIoHandle {
        private final FileDescriptor fd;
        private final BlockingQueue<byte[]> received;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);

        FramesHandle(FileDescriptor fd, BlockingQueue<byte[]> received) {
            this.fd = fd;
            this.received = received;
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (!((EpollIoEvent) event).ops().contains(EpollIoOps.EPOLLIN)) {
                return;
            }
            try {
                for (int i = 0; i < 16; i++) { // bounded per wakeup, like Netty's maxMessagesPerRead
                    int n = fd.read(buffer, 0, buffer.capacity());
                    if (n <= 0) {
                        return;
                    }
                    byte[] frame = new byte[n];
                    buffer.get(0, frame);
                    received.add(frame);
                }
            } catch (IOException e) {
                registration.cancel();
            }
        }

        @Override
        public void close() {
            // The test closes the fd itself (Sockets.close), as the daemon's attachment will.
        }
    }
}
