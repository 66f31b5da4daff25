package io.leasehold.netns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rtnetlink parser on crafted datagrams, well-formed and hostile. */
class RtnetlinkParserTest {

    private static final byte[] MAC = {0x02, 0x42, (byte) 0xac, 0x11, 0x00, 0x02};

    private static RecordingHandler parse(byte[] datagram) {
        RecordingHandler h = new RecordingHandler();
        Rtnetlink.parse(datagram, 0, datagram.length, h);
        return h;
    }

    @Test
    void parsesNewLink() {
        byte[] d = NetlinkMessages.datagram()
                .link(Rtnetlink.RTM_NEWLINK, 0, 0, 7, LinkEvent.IFF_UP | LinkEvent.IFF_RUNNING, "tap1234", 1450, MAC)
                .bytes();
        RecordingHandler h = parse(d);
        assertEquals(List.of(new LinkEvent(Rtnetlink.Change.NEW, 7, "tap1234", 0x41, 1450, MAC)), h.links);
        LinkEvent e = h.links.get(0);
        assertTrue(e.up());
        assertTrue(e.running());
        assertArrayEquals(MAC, e.hardwareAddress());
        assertEquals(List.of(), h.malformed);
    }

    @Test
    void parsesDelLinkDown() {
        byte[] d = NetlinkMessages.datagram().link(Rtnetlink.RTM_DELLINK, 0, 0, 9, 0, "veth0", 1500, MAC).bytes();
        LinkEvent e = parse(d).links.get(0);
        assertEquals(Rtnetlink.Change.DEL, e.change());
        assertFalse(e.up());
        assertFalse(e.running());
    }

    @Test
    void parsesIpv4AndIpv6Addresses() throws Exception {
        byte[] v6 = InetAddress.getByName("fe80::42:acff:fe11:2").getAddress();
        byte[] d = NetlinkMessages.datagram()
                .address(Rtnetlink.RTM_NEWADDR, 0, LibC.AF_INET, 24, 0, 7, new byte[] {10, 0, 0, 1})
                .address(Rtnetlink.RTM_DELADDR, 0, LibC.AF_INET6, 64, 253, 7, v6)
                .bytes();
        RecordingHandler h = parse(d);
        assertEquals(2, h.addresses.size());
        AddressEvent a = h.addresses.get(0);
        assertEquals(new AddressEvent(Rtnetlink.Change.NEW, StandardProtocolFamily.INET, 7,
                InetAddress.getByName("10.0.0.1"), 24, 0, 0x80), a);
        AddressEvent b = h.addresses.get(1);
        assertEquals(Rtnetlink.Change.DEL, b.change());
        assertEquals(StandardProtocolFamily.INET6, b.family());
        assertEquals(InetAddress.getByName("fe80::42:acff:fe11:2"), b.address());
        assertEquals(AddressEvent.SCOPE_LINK, b.scope());
    }

    @Test
    void keepsV4MappedIpv6AddressesIpv6() {
        byte[] mapped = new byte[16];
        mapped[10] = -1;
        mapped[11] = -1;
        mapped[15] = 1;
        byte[] d = NetlinkMessages.datagram().address(Rtnetlink.RTM_NEWADDR, 0, LibC.AF_INET6, 128, 0, 3, mapped).bytes();
        assertTrue(parse(d).addresses.get(0).address() instanceof Inet6Address);
    }

    @Test
    void multiPartDumpEndsWithDone() {
        int multi = Rtnetlink.NLM_F_MULTI;
        byte[] d = NetlinkMessages.datagram()
                .link(Rtnetlink.RTM_NEWLINK, multi, 5, 1, 0x49, "lo", 65536, new byte[6])
                .link(Rtnetlink.RTM_NEWLINK, multi, 5, 2, 0x1003, "eth0", 1500, MAC)
                .done(5, 0)
                .bytes();
        RecordingHandler h = parse(d);
        assertEquals(List.of("link NEW 1 lo", "link NEW 2 eth0", "done 5"), h.calls);
    }

    @Test
    void reportsErrorsAndAcks() {
        byte[] d = NetlinkMessages.datagram().error(3, -NativeException.EINVAL).error(4, 0).bytes();
        assertEquals(List.of("error 3 22", "error 4 0"), parse(d).calls);
    }

    @Test
    void reportsFailedDumpInDone() {
        byte[] d = NetlinkMessages.datagram()
                .message(Rtnetlink.NLMSG_DONE, Rtnetlink.NLM_F_MULTI, 8, NetlinkMessages.host(4).putInt(0, -16).array())
                .bytes();
        assertEquals(List.of("error 8 16", "done 8"), parse(d).calls);
    }

    @Test
    void reportsInterruptedDump() {
        byte[] d = NetlinkMessages.datagram()
                .link(Rtnetlink.RTM_NEWLINK, Rtnetlink.NLM_F_MULTI | Rtnetlink.NLM_F_DUMP_INTR, 6, 1, 0, "lo", 0, new byte[0])
                .done(6, Rtnetlink.NLM_F_DUMP_INTR)
                .bytes();
        assertEquals(List.of("interrupted 6", "link NEW 1 lo", "interrupted 6", "done 6"), parse(d).calls);
    }

    @Test
    void ignoresOtherMessageTypesAndFamilies() {
        byte[] d = NetlinkMessages.datagram()
                .message(24 /* RTM_NEWROUTE */, 0, 0, new byte[12])
                .message(Rtnetlink.NLMSG_NOOP, 0, 0, new byte[0])
                .address(Rtnetlink.RTM_NEWADDR, 0, 28 /* AF_MPLS */, 20, 0, 2, new byte[4])
                .bytes();
        RecordingHandler h = parse(d);
        assertEquals(List.of(), h.calls);
    }

    @Test
    void headerLengthBelowSixteenStopsTheDatagram() {
        byte[] d = NetlinkMessages.datagram()
                .raw(NetlinkMessages.host(16).putInt(0, 8).array())
                .link(Rtnetlink.RTM_NEWLINK, 0, 0, 7, 0, "after", 0, MAC)
                .bytes();
        RecordingHandler h = parse(d);
        assertEquals(List.of("malformed"), h.calls);
        assertEquals("nlmsg_len 8 at offset 0 (expected: 16.." + d.length + ")", h.malformed.get(0));
    }

    @Test
    void headerLengthPastTheBufferStopsTheDatagram() {
        byte[] good = NetlinkMessages.datagram().link(Rtnetlink.RTM_NEWLINK, 0, 0, 7, 0, "eth0", 0, MAC).bytes();
        byte[] lying = good.clone();
        ByteBuffer.wrap(lying).order(ByteOrder.nativeOrder()).putInt(0, 0xffff_fff0);
        RecordingHandler h = parse(NetlinkMessages.concat(good, lying));
        assertEquals(List.of("link NEW 7 eth0", "malformed"), h.calls);
        assertTrue(h.malformed.get(0).startsWith("nlmsg_len 4294967280 at offset " + good.length), h.malformed.get(0));
    }

    @Test
    void attributeOverrunningItsMessageSkipsOnlyThatMessage() {
        byte[] bad = NetlinkMessages.datagram().link(Rtnetlink.RTM_NEWLINK, 0, 0, 7, 0, "eth0", 1500, MAC).bytes();
        // The first attribute (IFLA_IFNAME at body offset 16) claims 200 bytes.
        ByteBuffer.wrap(bad).order(ByteOrder.nativeOrder()).putShort(16 + 16, (short) 200);
        byte[] d = NetlinkMessages.concat(bad,
                NetlinkMessages.datagram().link(Rtnetlink.RTM_NEWLINK, 0, 0, 8, 0, "eth1", 1500, MAC).bytes());
        RecordingHandler h = parse(d);
        assertEquals(List.of("malformed", "link NEW 8 eth1"), h.calls);
        assertTrue(h.malformed.get(0).contains("attribute 3 length 200"), h.malformed.get(0));
    }

    @Test
    void wrongSizedValuesAreMalformed() {
        byte[] shortMtu = NetlinkMessages.datagram().message(Rtnetlink.RTM_NEWLINK, 0, 0, NetlinkMessages.concat(
                NetlinkMessages.host(16).putInt(4, 3).array(),
                NetlinkMessages.attr(3, NetlinkMessages.cString("x")),
                NetlinkMessages.attr(4, new byte[2]))).bytes();
        assertEquals(List.of("malformed"), parse(shortMtu).calls);
        byte[] v6InV4 = NetlinkMessages.datagram().address(Rtnetlink.RTM_NEWADDR, 0, LibC.AF_INET, 24, 0, 3, new byte[16]).bytes();
        assertEquals(List.of("malformed"), parse(v6InV4).calls);
        byte[] prefix = NetlinkMessages.datagram().address(Rtnetlink.RTM_NEWADDR, 0, LibC.AF_INET, 33, 0, 3, new byte[4]).bytes();
        assertEquals(List.of("malformed"), parse(prefix).calls);
        byte[] noIndex = NetlinkMessages.datagram().link(Rtnetlink.RTM_NEWLINK, 0, 0, 0, 0, "eth0", 1500, MAC).bytes();
        assertEquals(List.of("malformed"), parse(noIndex).calls);
        byte[] truncatedBody = NetlinkMessages.datagram().message(Rtnetlink.RTM_NEWADDR, 0, 0, new byte[4]).bytes();
        assertEquals(List.of("malformed"), parse(truncatedBody).calls);
        byte[] shortError = NetlinkMessages.datagram().message(Rtnetlink.NLMSG_ERROR, 0, 0, new byte[0]).bytes();
        assertEquals(List.of("malformed"), parse(shortError).calls);
    }

    @Test
    void trailingBytesAreReported() {
        byte[] d = NetlinkMessages.concat(NetlinkMessages.datagram().done(1, 0).bytes(), new byte[5]);
        RecordingHandler h = parse(d);
        assertEquals(List.of("done 1", "malformed"), h.calls);
    }

    @Test
    void lastMessageMayLackPadding() {
        // ifinfomsg + IFLA_IFNAME "eth0\0" (rta_len 9) and nothing after: nlmsg_len 41.
        byte[] body = NetlinkMessages.concat(NetlinkMessages.host(16).putInt(4, 7).array(),
                Arrays.copyOf(NetlinkMessages.attr(3, NetlinkMessages.cString("eth0")), 9));
        byte[] d = NetlinkMessages.datagram().message(Rtnetlink.RTM_NEWLINK, 0, 0, body).bytes();
        int len = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).getInt(0);
        assertEquals(41, len);
        RecordingHandler h = parse(Arrays.copyOf(d, len));
        assertEquals(List.of("link NEW 7 eth0"), h.calls);
    }

    @Test
    void readsOnlyInsideTheGivenWindow() {
        byte[] msg = NetlinkMessages.datagram().link(Rtnetlink.RTM_NEWLINK, 0, 0, 7, 0, "eth0", 1500, MAC).bytes();
        byte[] array = new byte[msg.length + 64];
        Arrays.fill(array, (byte) 0x7f);
        System.arraycopy(msg, 0, array, 32, msg.length);
        RecordingHandler h = new RecordingHandler();
        assertEquals(1, Rtnetlink.parse(array, 32, msg.length, h));
        assertEquals(List.of("link NEW 7 eth0"), h.calls);
        ByteBuffer window = ByteBuffer.wrap(array, 32, msg.length);
        Rtnetlink.parse(window, new RecordingHandler());
        assertEquals(32, window.position(), "position unchanged");
    }

    @Test
    void badWindowIsReportedNotThrown() {
        RecordingHandler h = new RecordingHandler();
        assertEquals(0, Rtnetlink.parse(new byte[10], 8, 4, h));
        assertEquals(0, Rtnetlink.parse(new byte[10], -1, 4, h));
        assertEquals(2, h.malformed.size());
    }

    @Test
    void dumpRequestLayout() {
        ByteBuffer b = ByteBuffer.wrap(Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, 42)).order(ByteOrder.nativeOrder());
        assertEquals(32, b.capacity());
        assertEquals(32, b.getInt(0));
        assertEquals(Rtnetlink.RTM_GETLINK, b.getShort(4));
        assertEquals(Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_DUMP, b.getShort(6));
        assertEquals(42, b.getInt(8));
        assertEquals(24, Rtnetlink.dumpRequest(Rtnetlink.RTM_GETADDR, 1).length);
    }

    static LongStream seeds() {
        return LongStream.range(0, 64).map(i -> 0x9e3779b97f4a7c15L * (i + 1));
    }

    /**
     * Random bytes, and valid datagrams with random corruption, parsed as a window of a larger
     * array: a read outside the window would throw IndexOutOfBoundsException, and nothing may throw.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void hostileInputNeverThrowsNorReadsOutside(long seed) {
        Random random = new Random(seed);
        byte[] valid = NetlinkMessages.datagram()
                .link(Rtnetlink.RTM_NEWLINK, Rtnetlink.NLM_F_MULTI, 1, 2, 0x1043, "eth0", 1500, MAC)
                .address(Rtnetlink.RTM_NEWADDR, 1, LibC.AF_INET, 24, 0, 2, new byte[] {10, 0, 0, 1})
                .address(Rtnetlink.RTM_NEWADDR, 1, LibC.AF_INET6, 64, 0, 2, new byte[16])
                .done(1, 0)
                .bytes();
        for (int round = 0; round < 500; round++) {
            byte[] content;
            if (round % 2 == 0) {
                content = new byte[random.nextInt(200)];
                random.nextBytes(content);
                if (content.length >= 16 && random.nextBoolean()) {
                    // A plausible header makes the parser go deeper than the first length check.
                    ByteBuffer.wrap(content).order(ByteOrder.nativeOrder())
                            .putInt(0, 16 + random.nextInt(content.length - 15))
                            .putShort(4, (short) (16 + random.nextInt(8)));
                }
            } else {
                content = Arrays.copyOf(valid, random.nextInt(valid.length + 1));
                for (int flips = random.nextInt(6); flips > 0 && content.length > 0; flips--) {
                    content[random.nextInt(content.length)] = (byte) random.nextInt(256);
                }
            }
            byte[] array = new byte[content.length + 32];
            random.nextBytes(array);
            System.arraycopy(content, 0, array, 16, content.length);
            ByteBuffer window = ByteBuffer.wrap(array, 16, content.length).slice();
            try {
                Rtnetlink.parse(window, new RecordingHandler());
                Rtnetlink.parse(ByteBuffer.allocateDirect(content.length).put(content).flip(), new RecordingHandler());
            } catch (RuntimeException e) {
                fail("seed " + seed + " round " + round + ": " + e, e);
            }
        }
    }
}
